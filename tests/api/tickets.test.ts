// Ticket routes over HTTP against a real worker: reads, visibility, permissions, validation, idempotency.
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
const t = {} as Record<'alice' | 'bob' | 'ann' | 'eve' | 'sam' | 'root', string>;
beforeAll(async () => {
  desk = await startDesk('api-tickets');
  t.alice = desk.token({ sub: 'alice', role: 'requester', name: 'Alice Martin' });
  t.bob = desk.token({ sub: 'bob', role: 'requester' });
  t.ann = desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] });
  t.eve = desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
  t.sam = desk.token({ sub: 'sam', role: 'supervisor' });
  t.root = desk.token({ sub: 'root', role: 'admin' });
});
afterAll(() => desk.close());

async function create(token: string, overrides: Record<string, unknown> = {}) {
  const res = await desk.http('POST', '/tickets', { token, body: { ...createTicketBody, ...overrides } });
  expect(res.status).toBe(201);
  return res.body;
}

const resolution = { summary: 'Raised the idle timeout', rootCause: 'Concentrator idle timeout', steps: 'Changed it to 8 h', newKnowledge: true };

describe('intake validation', () => {
  it('reports every missing template fact by field and starts nothing', async () => {
    const before = await desk.db.models.Ticket.countDocuments();
    const res = await desk.http('POST', '/tickets', { token: t.alice, body: { ...createTicketBody, fields: { environment: 'Windows' } } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'body.fields.symptom', message: 'What you see is required for Incident' },
      { path: 'body.fields.occurredAt', message: 'When it started is required for Incident' },
    ]);
    const unknown = await desk.http('POST', '/tickets', { token: t.alice, body: { ...createTicketBody, problemType: 'complaint' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.problemType');
    expect(await desk.db.models.Ticket.countDocuments()).toBe(before);
  });

  it('applies the template’s default impact and urgency', async () => {
    const ticket = await create(t.alice, { problemType: 'question', impact: undefined, urgency: undefined, fields: {} });
    expect(ticket).toMatchObject({ impact: 'minor', urgency: 'low', priority: 'P3' });
  });
});

describe('who the requester is', () => {
  const carol = () => desk.token({ sub: 'carol', role: 'requester', name: 'Carol Diaz', email: 'Carol.Diaz@example.com' });
  const open = (token: string, requester: Record<string, string>) => desk.http('POST', '/tickets', { token, body: { ...createTicketBody, requester } });

  it('refuses a requester naming anyone but herself, field by field, and stores nothing', async () => {
    const before = await desk.db.models.Ticket.countDocuments();
    const spoofed = await open(carol(), { id: 'carol', email: 'someone-else@example.com', name: 'Support Desk' });
    expect(spoofed.status).toBe(400);
    expect(spoofed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(spoofed.body.errors.map((e: any) => e.path)).toEqual(['body.requester.email', 'body.requester.name']);
    // A token without a name or email cannot have one supplied by the body either.
    const bare = await open(t.bob, { id: 'bob', name: 'Robert' });
    expect(bare.status).toBe(400);
    expect(bare.body.errors.map((e: any) => e.path)).toEqual(['body.requester.name']);
    const other = await open(carol(), { id: 'dave' });
    expect(other.status).toBe(400);
    expect(other.body.errors.map((e: any) => e.path)).toEqual(['body.requester.id']);
    expect(await desk.db.models.Ticket.countDocuments()).toBe(before);
  });

  it('takes the token’s values: repeating them (email in any case) or leaving them out is fine', async () => {
    const repeated = await open(carol(), { id: 'carol', email: 'carol.diaz@EXAMPLE.com', name: 'Carol Diaz' });
    expect(repeated.status).toBe(201);
    const omitted = await open(carol(), { id: 'carol' });
    expect(omitted.status).toBe(201);
    for (const res of [repeated, omitted]) expect(res.body.requester).toEqual({ id: 'carol', name: 'Carol Diaz', email: 'carol.diaz@example.com' });
  });

  it('lets staff file for the customer they are helping', async () => {
    const customer = { id: 'dave', name: 'Dave Park', email: 'dave@example.com' };
    for (const token of [t.ann, t.sam, t.root]) {
      const res = await open(token, customer);
      expect(res.status).toBe(201);
      expect(res.body.requester).toEqual(customer);
    }
  });
});

describe('reading tickets', () => {
  let mine: any;
  let bobs: any;
  let billing: any;
  beforeAll(async () => {
    mine = await create(t.alice);
    bobs = await create(t.bob, { title: 'Printer on floor 3 jams' });
    billing = await create(t.bob, { productLine: 'billing', title: 'Invoice 1043 charged twice', description: 'Charged twice for November' });
  });

  it('lists only what the caller may see', async () => {
    const ids = async (token: string, query = '') => (await desk.http('GET', `/tickets${query}`, { token })).body.items.map((x: any) => x.id);
    expect(await ids(t.alice)).toContain(mine.id);
    expect(await ids(t.alice)).not.toContain(bobs.id);
    expect(await ids(t.ann)).toEqual(expect.arrayContaining([mine.id, bobs.id]));
    expect(await ids(t.ann)).not.toContain(billing.id);
    expect(await ids(t.eve)).toContain(billing.id);
    expect(await ids(t.eve)).not.toContain(mine.id);
    expect(await ids(t.sam)).toEqual(expect.arrayContaining([mine.id, bobs.id, billing.id]));
  });

  it('filters by status, priority, group, assignee, text and breach flag', async () => {
    const ids = async (query: string) => (await desk.http('GET', `/tickets?${query}`, { token: t.sam })).body.items.map((x: any) => x.id);
    expect(await ids('group=billing-l1')).toEqual([billing.id]);
    expect(await ids(`assignee=${mine.assignment.agent}&q=vpn`)).toContain(mine.id);
    expect(await ids('q=printer')).toEqual([bobs.id]);
    expect(await ids('q=PRINTER&status=assigned,in_progress')).toEqual([bobs.id]);
    expect(await ids('q=printer&status=closed')).toEqual([]);
    expect(await ids('q=printer&priority=P3')).toEqual([]);
    expect(await ids('q=printer&breached=false')).toEqual([bobs.id]);
    const bad = await desk.http('GET', '/tickets?status=open', { token: t.sam });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toMatch(/^query\.status/);
  });

  it('pages with a cursor, newest first, without overlap', async () => {
    const first = await desk.http('GET', '/tickets?limit=2', { token: t.sam });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await desk.http('GET', `/tickets?limit=2&cursor=${first.body.nextCursor}`, { token: t.sam });
    const all = (await desk.http('GET', '/tickets?limit=100', { token: t.sam })).body.items.map((x: any) => x.id);
    expect([...first.body.items, ...second.body.items].map((x: any) => x.id)).toEqual(all.slice(0, 4));
    expect((await desk.http('GET', '/tickets?cursor=garbage', { token: t.sam })).status).toBe(400);
  });

  it('never shows internal events to the requester', async () => {
    await desk.http('POST', `/tickets/${mine.id}/comments`, { token: t.ann, body: { body: 'Customer runs an old client', visibility: 'internal' } });
    await desk.http('POST', `/tickets/${mine.id}/comments`, { token: t.ann, body: { body: 'Please update your client', visibility: 'public' } });
    const forAlice = (await desk.http('GET', `/tickets/${mine.id}/timeline`, { token: t.alice })).body.items;
    const forAnn = (await desk.http('GET', `/tickets/${mine.id}/timeline`, { token: t.ann })).body.items;
    expect(forAlice.every((e: any) => e.visibility === 'public')).toBe(true);
    expect(JSON.stringify(forAlice)).not.toContain('old client');
    expect(forAlice.map((e: any) => e.type)).toEqual(['created', 'comment', 'status_changed']);
    expect(forAnn.map((e: any) => e.type)).toEqual(expect.arrayContaining(['assigned', 'notified', 'comment']));
    expect((await desk.http('GET', `/tickets/${mine.id}/timeline`, { token: t.bob })).status).toBe(404);
    const page = await desk.http('GET', `/tickets/${mine.id}/timeline?limit=2`, { token: t.ann });
    const next = await desk.http('GET', `/tickets/${mine.id}/timeline?limit=2&after=${page.body.nextCursor}`, { token: t.ann });
    expect(next.body.items[0].seq).toBe(3);
  });
});

describe('changing tickets', () => {
  it('lets each role do only its part', async () => {
    const ticket = await create(t.alice);
    const post = (token: string, action: string, body: unknown = {}) => desk.http('POST', `/tickets/${ticket.id}/${action}`, { token, body });

    expect((await post(t.alice, 'comments', { body: 'secret', visibility: 'internal' })).status).toBe(403);
    expect((await post(t.alice, 'assign', { group: 'billing-l1' })).status).toBe(403);
    expect((await post(t.alice, 'resolve', resolution)).status).toBe(403);
    expect((await post(t.ann, 'assign', { agent: 'ben' })).status).toBe(403);
    expect((await post(t.ann, 'confirm')).status).toBe(403);
    expect((await post(t.ann, 'cancel', { reason: 'x' })).status).toBe(403);
    expect((await post(t.bob, 'comments', { body: 'hi' })).status).toBe(404);
    expect((await post(t.eve, 'comments', { body: 'hi' })).status).toBe(404);
    expect((await post(t.alice, 'confirm')).status).toBe(409);

    const reply = await post(t.ann, 'comments', { body: 'On it' });
    expect(reply.status).toBe(201);
    expect(reply.body.ticket.status).toBe('in_progress');
    expect(reply.body.events.map((e: any) => e.type)).toEqual(['comment', 'status_changed']);
  });

  it('requires a knowledge article or newKnowledge to resolve', async () => {
    const ticket = await create(t.alice);
    const res = await desk.http('POST', `/tickets/${ticket.id}/resolve`, { token: t.ann, body: { ...resolution, newKnowledge: undefined } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('body.kbArticleId');
  });

  it('answers a repeated change with the same Idempotency-Key once', async () => {
    const ticket = await create(t.alice);
    const headers = { 'Idempotency-Key': 'reply-1' };
    const [a, b] = await Promise.all([1, 2].map(() => desk.http('POST', `/tickets/${ticket.id}/comments`, { token: t.ann, body: { body: 'Same reply' }, headers })));
    expect(a!.body.events[0].seq).toBe(b!.body.events[0].seq);
    const comments = (await desk.timeline(ticket.id)).filter((e) => e.type === 'comment').length;
    expect(comments).toBe(1);
  });

  it('lets an agent take a ticket of their group and transfer it; a supervisor reassigns anyone', async () => {
    const ticket = await create(t.alice, { title: 'Wi-Fi slow', description: 'slow' });
    const take = await desk.http('POST', `/tickets/${ticket.id}/assign`, { token: t.ann, body: { agent: 'ann' } });
    expect(take.body.ticket.assignment).toEqual({ group: 'network-l1', agent: 'ann' });
    const transfer = await desk.http('POST', `/tickets/${ticket.id}/assign`, { token: t.ann, body: { group: 'billing-l1', reason: 'billing question' } });
    expect(transfer.body.ticket.assignment).toEqual({ group: 'billing-l1', agent: 'eve' });
    const reassign = await desk.http('POST', `/tickets/${ticket.id}/assign`, { token: t.sam, body: { agent: 'fay' } });
    expect(reassign.body.ticket.assignment).toEqual({ group: 'billing-l2', agent: 'fay' });
    const unknown = await desk.http('POST', `/tickets/${ticket.id}/assign`, { token: t.sam, body: { agent: 'nobody' } });
    expect(unknown.status).toBe(422);
  });

  it('runs resolve → reject → resolve → confirm and then refuses changes to the closed ticket', async () => {
    const ticket = await create(t.alice);
    const post = (token: string, action: string, body: unknown = {}) => desk.http('POST', `/tickets/${ticket.id}/${action}`, { token, body });
    expect((await post(t.ann, 'resolve', resolution)).body.ticket.status).toBe('resolved');
    expect((await post(t.alice, 'reject', { reason: 'still broken' })).body.ticket).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    expect((await post(t.ann, 'resolve', resolution)).status).toBe(200);
    expect((await post(t.alice, 'confirm')).body.ticket.status).toBe('closed');
    const late = await post(t.ann, 'comments', { body: 'one more thing' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/closed/);
  });
});
