// Two routes the console needed (issue 12): GET /uploads/limits tells what POST /uploads takes, from the same
// configuration the upload enforces (a desk with its own limits answers those, and refuses by them); DELETE
// /tickets/{id}/presence takes the caller off a ticket at once (idempotent, 204) instead of after PRESENCE_TTL,
// for staff who can see the ticket.
import { loadConfig } from '../../platform/config';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
const t = {} as Record<'alice' | 'ann' | 'ben' | 'eve' | 'sam' | 'root' | 'gateway', string>;
// Not the defaults: the route must answer the desk's own configuration.
const MAX_BYTES = 40_000;
const TYPES = ['text/plain', 'application/pdf'];

beforeAll(async () => {
  desk = await startDesk('api-console-follow-ups', { config: { mail: { ...loadConfig({}).mail, attachmentMaxBytes: MAX_BYTES, attachmentTypes: TYPES } } });
  t.alice = desk.token({ sub: 'alice', role: 'requester', name: 'Alice Martin' });
  t.ann = desk.token({ sub: 'ann', role: 'agent', name: 'Ann Lee', groups: ['network-l1'] });
  t.ben = desk.token({ sub: 'ben', role: 'agent', name: 'Ben Ortiz', groups: ['network-l1'] });
  t.eve = desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
  t.sam = desk.token({ sub: 'sam', role: 'supervisor', name: 'Sam Supervisor' });
  t.root = desk.token({ sub: 'root', role: 'admin' });
  t.gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });
});
afterAll(() => desk.close());

async function upload(token: string, size: number, name: string, type: string) {
  const form = new FormData();
  form.append('file', new Blob([Buffer.alloc(size, 0x61)], { type }), name);
  const res = await fetch(`${desk.baseUrl}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

describe('GET /uploads/limits', () => {
  it('tells every role that may upload what POST /uploads takes: the desk’s own limits', async () => {
    for (const token of [t.alice, t.ann, t.sam, t.root]) {
      const res = await desk.http('GET', '/uploads/limits', { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ maxBytes: MAX_BYTES, types: TYPES });
    }
  });

  it('is what the upload enforces: the largest file passes, one byte more is 413, a type not listed is 415', async () => {
    const { maxBytes, types } = (await desk.http('GET', '/uploads/limits', { token: t.alice })).body;
    expect((await upload(t.alice, maxBytes, 'largest.txt', types[0])).status).toBe(201);
    expect((await upload(t.alice, 10, 'report.pdf', types[1])).status).toBe(201);
    const tooLarge = await upload(t.alice, maxBytes + 1, 'too-large.txt', types[0]);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.errors).toEqual([{ path: 'body.file', message: `must be at most ${maxBytes} bytes` }]);
    // A type of the defaults that this desk does not take.
    const png = await upload(t.alice, 10, 'screen.png', 'image/png');
    expect(png.status).toBe(415);
    expect(png.body.errors).toEqual([{ path: 'body.file', message: `must be one of: ${types.join(', ')}` }]);
  });

  it('is for signed-in people only, not the mail gateway, and is documented', async () => {
    expect((await desk.http('GET', '/uploads/limits', { token: t.gateway })).status).toBe(403);
    expect((await desk.http('GET', '/uploads/limits')).status).toBe(401);
    const doc = (await desk.http('GET', '/openapi.json')).body;
    const op = doc.paths['/uploads/limits'].get;
    expect(op['x-roles']).toEqual(['requester', 'agent', 'supervisor', 'admin']);
    expect(op.responses['200'].content['application/json'].schema).toMatchObject({ properties: { maxBytes: { type: 'integer' }, types: { type: 'array' } } });
  });
});

describe('DELETE /tickets/{id}/presence', () => {
  const open = async () => {
    const res = await desk.http('POST', '/tickets', { token: t.alice, body: createTicketBody });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const mark = (id: string, token: string) => desk.http('POST', `/tickets/${id}/presence`, { token, body: { state: 'viewing' } });
  const leave = (id: string, token: string) => desk.http('DELETE', `/tickets/${id}/presence`, { token });
  const seenBy = async (id: string, token: string) => (await desk.http('GET', `/tickets/${id}/presence`, { token })).body.viewers.map((v: { sub: string }) => v.sub);

  it('takes the caller off the ticket at once, and only the caller', async () => {
    const id = await open();
    await mark(id, t.ann);
    expect((await mark(id, t.ben)).body.viewers.map((v: { sub: string }) => v.sub)).toEqual(['ann']);
    expect(await seenBy(id, t.ann)).toEqual(['ben']);

    const gone = await leave(id, t.ben);
    expect(gone.status).toBe(204);
    expect(gone.body).toBeUndefined();
    expect(await seenBy(id, t.ann)).toEqual([]);
    expect((await mark(id, t.ann)).body.viewers).toEqual([]);
    expect(await seenBy(id, t.sam)).toEqual(['ann']);
    expect(await desk.db.models.Presence.countDocuments({ ticketId: id })).toBe(1);

    // A heartbeat after leaving (the page opened again) brings them back.
    await mark(id, t.ben);
    expect(await seenBy(id, t.ann)).toEqual(['ben']);
  });

  it('is idempotent: leaving twice, or a ticket one never had open, answers 204', async () => {
    const id = await open();
    await mark(id, t.ann);
    expect((await leave(id, t.ann)).status).toBe(204);
    expect((await leave(id, t.ann)).status).toBe(204);
    expect((await leave(id, t.sam)).status).toBe(204);
    expect((await leave(id, t.root)).status).toBe(204);
    expect(await seenBy(id, t.sam)).toEqual([]);
  });

  it('is for staff who can see the ticket: requesters and the gateway 403, other groups and unknown tickets 404', async () => {
    const id = await open();
    await mark(id, t.ann);
    const refused: string[] = [];
    for (const [who, token] of [['alice', t.alice], ['gateway', t.gateway], ['eve', t.eve]] as const) refused.push(`${who} ${(await leave(id, token)).status}`);
    expect(refused).toEqual(['alice 403', 'gateway 403', 'eve 404']);
    expect((await leave('ZZZZZZZZZZ', t.sam)).status).toBe(404);
    expect((await leave('not-an-id', t.sam)).status).toBe(400);
    expect((await desk.http('DELETE', `/tickets/${id}/presence`)).status).toBe(401);
    expect(await seenBy(id, t.sam)).toEqual(['ann']);
  });
});
