// A person's data export (GDPR Article 15; README, "Privacy"): GET /me/export gives a requester everything the desk
// holds about them, as they may see it and nothing internal; GET /privacy/people/{id}/export gives an admin the same
// document. Both are written as they are read, so a person with many tickets is never held in memory at once.
import { openTicket } from '../../domain/intake';
import { documentOf } from '../../store/tickets';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody, vpnIntake } from '../helpers/fixtures';

let desk: TestDesk;
const tokens = {} as Record<'rosa' | 'bob' | 'ann' | 'sam' | 'root' | 'gateway', string>;
const ids = {} as Record<'first' | 'second' | 'byMail' | 'bobs', string>;
/** What the desk keeps to itself: none of it may appear in an export. */
const INTERNAL = { note: 'X-INTERNAL-NOTE-7d1e', rootCause: 'X-ROOT-CAUSE-3b9a', escalation: 'X-ESCALATION-5c20', noteFile: 'x-internal-diagnostics.pdf' };
const ROSA = { name: 'Rosa Export', email: 'rosa.export@example.com' };

async function ok(method: string, path: string, token: string, body?: unknown) {
  const res = await desk.http(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function upload(token: string, content: Buffer, name: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  const res = await fetch(`${desk.baseUrl}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return ((await res.json()) as { uploadId: string }).uploadId;
}

/** The raw answer too: its headers say how it was sent. */
async function exportAs(token: string | undefined, path: string) {
  const res = await fetch(`${desk.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

const LOG = Buffer.from('door controller log: badge refused at 08:02\n');

beforeAll(async () => {
  desk = await startDesk('api-export');
  tokens.rosa = desk.token({ sub: 'rosa', role: 'requester', ...ROSA });
  tokens.bob = desk.token({ sub: 'bob', role: 'requester', name: 'Bob Other' });
  tokens.ann = desk.token({ sub: 'ann', role: 'agent', name: 'Ann Lee', groups: ['network-l1'] });
  tokens.sam = desk.token({ sub: 'sam', role: 'supervisor' });
  tokens.root = desk.token({ sub: 'root', role: 'admin' });
  tokens.gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });

  // Her first ticket: a file, her comment, a public reply, an internal note with a file, a resolution, her rating.
  const file = await upload(tokens.rosa, LOG, 'door.log', 'text/plain');
  ids.first = (await ok('POST', '/tickets', tokens.rosa, { ...createTicketBody, title: 'Badge refused at door 4', attachments: [{ uploadId: file }] })).id;
  const t = `/tickets/${ids.first}`;
  await ok('POST', `${t}/comments`, tokens.rosa, { body: 'It happened again this morning' });
  await ok('POST', `${t}/comments`, tokens.ann, { body: 'We are looking at the door controller' });
  const noteFile = await upload(tokens.ann, Buffer.from('%PDF-1.4 internal'), INTERNAL.noteFile, 'application/pdf');
  await ok('POST', `${t}/comments`, tokens.ann, { body: INTERNAL.note, visibility: 'internal', attachments: [{ uploadId: noteFile }] });
  await ok('POST', `${t}/escalate`, tokens.ann, { reason: INTERNAL.escalation });
  await ok('POST', `${t}/resolve`, tokens.sam, { summary: 'Door controller reset', rootCause: INTERNAL.rootCause, steps: 'reset the controller', newKnowledge: true });
  await ok('POST', `${t}/confirm`, tokens.rosa, {});
  await ok('POST', `${t}/csat`, tokens.rosa, { score: 4, comment: 'Fixed within the day' });
  // Her second ticket, still open; one she sent by mail (filed under her address); and Bob's.
  ids.second = (await ok('POST', '/tickets', tokens.rosa, { ...createTicketBody, title: 'Printer jams on floor 2' })).id;
  ids.byMail = (await ok('POST', '/channels/email', tokens.gateway, { messageId: `<export-${Date.now()}@example.com>`, from: `${ROSA.name} <${ROSA.email}>`, to: ['support@example.com'], subject: 'Screen flickers', text: 'My screen flickers since Friday.' })).ticket.id;
  ids.bobs = (await ok('POST', '/tickets', tokens.bob, { ...createTicketBody, title: 'Bob’s own problem' })).id;
});
afterAll(() => desk.close());

describe('GET /me/export', () => {
  it('gives the requester every ticket of theirs, each exactly as they see it, and nobody else’s', async () => {
    const res = await exportAs(tokens.rosa, '/me/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="personal-data-rosa.json"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.person).toEqual({ id: 'rosa', emails: [ROSA.email] });
    expect(Date.parse(res.body.exportedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Newest first, as GET /tickets lists them; the mailed one is hers by its address.
    expect(res.body.tickets.map((e: any) => e.ticket.id)).toEqual([ids.byMail, ids.second, ids.first]);

    for (const entry of res.body.tickets) {
      const { id } = entry.ticket;
      // The same allow-lists as the requester's own reads: the ticket and its public conversation, field for field.
      expect(entry.ticket).toEqual((await ok('GET', `/tickets/${id}`, tokens.rosa)));
      expect(entry.conversation).toEqual((await ok('GET', `/tickets/${id}/timeline?limit=500`, tokens.rosa)).items);
    }
    const first = res.body.tickets.find((e: any) => e.ticket.id === ids.first);
    const bodies = first.conversation.filter((e: any) => e.type === 'comment').map((e: any) => [e.actor.id, e.data.body]);
    expect(bodies).toEqual([['rosa', 'It happened again this morning'], ['ann', 'We are looking at the door controller']]);
    expect(first.ticket.csat).toMatchObject({ score: 4, comment: 'Fixed within the day' });
    expect(first.conversation.map((e: any) => e.type)).toContain('csat');
  });

  it('holds nothing internal: no note, root cause, escalation reason, internal file or staff-only field', async () => {
    const { text, body } = await exportAs(tokens.rosa, '/me/export');
    for (const secret of Object.values(INTERNAL)) expect(text).not.toContain(secret);
    expect(body.tickets.every((e: any) => e.conversation.every((ev: any) => ev.visibility === 'public'))).toBe(true);
    for (const field of ['tier', 'collaborators', 'requiredSkills', 'stats', 'temporal', 'queueFlags', 'dueAt']) {
      expect([field, body.tickets.some((e: any) => field in e.ticket)]).toEqual([field, false]);
    }
    expect(body.tickets.some((e: any) => 'rootCause' in (e.ticket.resolution ?? {}))).toBe(false);
  });

  it('links each file the requester may have, and the link downloads it with their own token', async () => {
    const { body } = await exportAs(tokens.rosa, '/me/export');
    const first = body.tickets.find((e: any) => e.ticket.id === ids.first);
    expect(first.files).toEqual([{ name: 'door.log', type: 'text/plain', size: LOG.length, url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/tickets/${ids.first}/attachments/u[0-9a-f]+$`)) }]);
    const download = await fetch(first.files[0].url, { headers: { authorization: `Bearer ${tokens.rosa}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(LOG)).toBe(true);
    expect((await fetch(first.files[0].url, { headers: { authorization: `Bearer ${tokens.bob}` } })).status).toBe(404);
  });

  it('is the requester’s own: staff and the mail gateway get 403, no token 401', async () => {
    for (const token of [tokens.ann, tokens.sam, tokens.root, tokens.gateway]) expect((await exportAs(token, '/me/export')).status).toBe(403);
    expect((await exportAs(undefined, '/me/export')).status).toBe(401);
    const bobs = await exportAs(tokens.bob, '/me/export');
    expect(bobs.body.tickets.map((e: any) => e.ticket.id)).toEqual([ids.bobs]);
    expect(bobs.text).not.toContain(ROSA.name);
  });
});

describe('GET /privacy/people/{id}/export', () => {
  it('gives an admin the person’s document, finding their mailed tickets by the address on their others', async () => {
    const mine = (await exportAs(tokens.rosa, '/me/export')).body;
    const res = await exportAs(tokens.root, '/privacy/people/rosa/export');
    expect(res.status).toBe(200);
    expect({ ...res.body, exportedAt: null }).toEqual({ ...mine, exportedAt: null });
    // By the address alone (as a mail requester is known): the tickets filed from it, and those naming it.
    const byAddress = await exportAs(tokens.root, `/privacy/people/${encodeURIComponent(ROSA.email)}/export`);
    expect(byAddress.body.person).toEqual({ id: ROSA.email, emails: [ROSA.email] });
    expect(byAddress.body.tickets.map((e: any) => e.ticket.id)).toEqual([ids.byMail, ids.second, ids.first]);
    // An address given for someone whose tickets carry none.
    const bob = await exportAs(tokens.root, `/privacy/people/bob/export?email=${encodeURIComponent('BOB@example.com')}`);
    expect(bob.body.person).toEqual({ id: 'bob', emails: ['bob@example.com'] });
    expect(bob.body.tickets.map((e: any) => e.ticket.id)).toEqual([ids.bobs]);
  });

  it('is for admins alone: every other role 403, no token 401; an unknown person gets an empty document', async () => {
    for (const token of [tokens.rosa, tokens.ann, tokens.sam, tokens.gateway]) expect((await exportAs(token, '/privacy/people/rosa/export')).status).toBe(403);
    expect((await exportAs(undefined, '/privacy/people/rosa/export')).status).toBe(401);
    const nobody = await exportAs(tokens.root, '/privacy/people/nobody-here/export');
    expect(nobody.body).toMatchObject({ person: { id: 'nobody-here', emails: [] }, tickets: [] });
    expect((await exportAs(tokens.root, '/privacy/people/rosa/export?email=not-an-address')).status).toBe(400);
  });

  it('streams a person with many tickets page by page, every ticket once, newest first', async () => {
    // 130 closed tickets stored as the workflow stores them (more than two pages of the export's reads).
    const base = Date.parse('2026-01-01T00:00:00Z');
    const many = Array.from({ length: 130 }, (_, i) => {
      const ticket = openTicket(vpnIntake({ requester: { id: 'pat', name: 'Pat Many' }, title: `Old ticket ${i}` }), new Date(base + i * 60_000).toISOString());
      return documentOf({ ...ticket, status: 'closed' });
    });
    await desk.db.models.Ticket.collection.insertMany(many as never[]);
    const res = await exportAs(tokens.root, '/privacy/people/pat/export');
    expect(res.status).toBe(200);
    // Written as it was read: chunked, no length known up front.
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    const titles = res.body.tickets.map((e: any) => e.ticket.title);
    expect(titles).toEqual(many.map((_, i) => `Old ticket ${i}`).reverse());
  });
});
