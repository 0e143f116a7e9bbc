// The routes the browser console builds on: safe updates (ETag, If-None-Match, If-Match → 412), work queues with
// counts and the SLA-deadline sort, presence, canned replies, the development sign-in and GET /me.
import jwt from 'jsonwebtoken';
import { openTicket } from '../../domain/intake';
import type { Ticket } from '../../domain/ticket';
import { loadConfig } from '../../platform/config';
import { demoCannedReplies } from '../../stack/demo-desk';
import { tokenEnv } from '../../stack/settings';
import { newTicketId } from '../../api/tickets/ids';
import { documentOf } from '../../store/tickets';
import { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { activityDeps } from '../../worker/deps';
import { createTicketWorker } from '../../worker/worker';
import { silentLogger, startDesk, TEST_SECRET, testServers, type TestDesk } from '../helpers/desk';
import { createTicketBody, vpnIntake } from '../helpers/fixtures';

let desk: TestDesk;
const t = {} as Record<'alice' | 'bob' | 'ann' | 'ben' | 'eve' | 'sam' | 'root' | 'gateway', string>;
beforeAll(async () => {
  desk = await startDesk('api-console');
  t.alice = desk.token({ sub: 'alice', role: 'requester', name: 'Alice Martin' });
  t.bob = desk.token({ sub: 'bob', role: 'requester' });
  t.ann = desk.token({ sub: 'ann', role: 'agent', name: 'Ann Lee', groups: ['network-l1'] });
  // No name in Ben's token: others see the desk's record of him.
  t.ben = desk.token({ sub: 'ben', role: 'agent', groups: ['network-l1'] });
  t.eve = desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
  t.sam = desk.token({ sub: 'sam', role: 'supervisor', name: 'Sam Supervisor' });
  t.root = desk.token({ sub: 'root', role: 'admin' });
  t.gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });
});
afterAll(() => desk.close());

const open = async (token = t.alice) => {
  const res = await desk.http('POST', '/tickets', { token, body: createTicketBody });
  expect(res.status).toBe(201);
  return res.body;
};
const get = (id: string, token: string, headers: Record<string, string> = {}) => desk.http('GET', `/tickets/${id}`, { token, headers });
const comment = (id: string, token: string, body: string, headers: Record<string, string> = {}) => desk.http('POST', `/tickets/${id}/comments`, { token, body: { body }, headers });
const comments = async (id: string) => (await desk.timeline(id)).filter((e) => e.type === 'comment').map((e) => (e.data as { body: string }).body);

describe('safe updates', () => {
  it('answers the ticket with ETag "<version>" and 304 to If-None-Match while it stays at that version', async () => {
    const ticket = await open();
    const first = await get(ticket.id, t.ann);
    expect(first.headers.get('etag')).toBe(`"${first.body.version}"`);
    for (const tag of [`"${first.body.version}"`, `W/"${first.body.version}"`, `"0", "${first.body.version}"`, '*']) {
      const same = await get(ticket.id, t.ann, { 'If-None-Match': tag });
      expect(same.status).toBe(304);
      expect(same.body).toBeUndefined();
      expect(same.headers.get('etag')).toBe(`"${first.body.version}"`);
    }
    await comment(ticket.id, t.ann, 'Looking into it');
    const moved = await get(ticket.id, t.ann, { 'If-None-Match': `"${first.body.version}"` });
    expect(moved.status).toBe(200);
    expect(moved.body.version).toBe(first.body.version + 1);
    expect(moved.headers.get('etag')).toBe(`"${moved.body.version}"`);
    // Unknown and invisible tickets stay 404, tag or not.
    expect((await get(ticket.id, t.eve, { 'If-None-Match': '*' })).status).toBe(404);
  });

  it('refuses a change made against an older version with 412, the ticket now, and nothing changed', async () => {
    const ticket = await open();
    const seen = (await get(ticket.id, t.ann)).body.version;
    // Ann and Ben both opened the ticket at version `seen`; Ann answers first.
    const ann = await comment(ticket.id, t.ann, 'Please update the client to 5.2', { 'If-Match': `"${seen}"` });
    expect(ann.status).toBe(201);
    expect(ann.headers.get('etag')).toBe(`"${seen + 1}"`);
    const ben = await comment(ticket.id, t.ben, 'Please reinstall the client', { 'If-Match': `"${seen}"` });
    expect(ben.status).toBe(412);
    expect(ben.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(ben.body).toMatchObject({ status: 412, title: 'Precondition Failed', detail: expect.stringContaining(`version ${seen}`) });
    const now = await get(ticket.id, t.ben);
    expect(ben.body.ticket).toEqual(now.body);
    expect(ben.body.ticket.version).toBe(seen + 1);
    expect(ben.headers.get('etag')).toBe(`"${seen + 1}"`);
    expect(await comments(ticket.id)).toEqual(['Please update the client to 5.2']);
    // Ben read the new version: his change now goes through, named by the bare number too.
    const retried = await comment(ticket.id, t.ben, 'Please reinstall the client', { 'If-Match': String(seen + 1) });
    expect(retried.status).toBe(201);
    expect(retried.body.ticket.version).toBe(seen + 2);
  });

  it('lets exactly one of several changes made against the same version through', async () => {
    const ticket = await open();
    const seen = (await get(ticket.id, t.sam)).body.version;
    const bodies = ['first', 'second', 'third', 'fourth'].map((n) => `Concurrent note ${n}`);
    const answers = await Promise.all(bodies.map((body, i) => comment(ticket.id, i % 2 ? t.ann : t.ben, body, { 'If-Match': `"${seen}"` })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 412, 412, 412]);
    const winner = bodies[answers.findIndex((a) => a.status === 201)];
    expect(await comments(ticket.id)).toEqual([winner]);
    expect((await get(ticket.id, t.sam)).body.version).toBe(seen + 1);
  });

  it('gives a requester’s 412 the ticket as she sees it', async () => {
    const ticket = await open();
    await comment(ticket.id, t.ann, 'Which client version do you run?');
    const stale = await comment(ticket.id, t.alice, 'Version 5.0', { 'If-Match': `"${ticket.version}"` });
    expect(stale.status).toBe(412);
    expect(stale.body.ticket).toEqual((await get(ticket.id, t.alice)).body);
    expect(stale.body.ticket).not.toHaveProperty('tier');
    expect(stale.body.ticket).not.toHaveProperty('temporal');
  });

  it('refuses a malformed If-Match with 400 naming the header, before anything happens', async () => {
    const ticket = await open();
    for (const tag of ['W/"3"', 'abc', '"3', '"-1"', '3, 4']) {
      const res = await comment(ticket.id, t.ann, 'never stored', { 'If-Match': tag });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'headers.If-Match', message: expect.stringContaining('ticket version') }]);
    }
    expect(await comments(ticket.id)).toEqual([]);
  });

  it('keeps Idempotency-Key answers: a repeat gets the first answer even though the version moved', async () => {
    const ticket = await open();
    const seen = (await get(ticket.id, t.ann)).body.version;
    const headers = { 'If-Match': `"${seen}"`, 'Idempotency-Key': 'reply-once' };
    const first = await comment(ticket.id, t.ann, 'Checking the logs', headers);
    const repeat = await comment(ticket.id, t.ann, 'Checking the logs', headers);
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.body.events).toEqual(first.body.events);
    expect(await comments(ticket.id)).toEqual(['Checking the logs']);
    // A refused attempt is no answer to keep: with a fresh version the same key goes through once.
    const stale = await comment(ticket.id, t.ann, 'Second note', { 'If-Match': `"${seen}"`, 'Idempotency-Key': 'second' });
    expect(stale.status).toBe(412);
    const fresh = await comment(ticket.id, t.ann, 'Second note', { 'If-Match': `"${seen + 1}"`, 'Idempotency-Key': 'second' });
    expect(fresh.status).toBe(201);
  });
});

describe('presence', () => {
  it('tells each staff member who else has the ticket open, and in which state', async () => {
    const ticket = await open();
    const mark = (token: string, state: string) => desk.http('POST', `/tickets/${ticket.id}/presence`, { token, body: { state } });
    expect((await mark(t.ann, 'viewing')).body).toEqual({ viewers: [] });
    const ben = await mark(t.ben, 'replying');
    expect(ben.status).toBe(200);
    expect(ben.body.viewers).toEqual([{ sub: 'ann', name: 'Ann Lee', role: 'agent', state: 'viewing', since: expect.any(String) }]);
    const annSince = ben.body.viewers[0].since;
    // A heartbeat in the same state keeps `since`; Sam only looks, without being seen.
    await mark(t.ann, 'viewing');
    const sam = await desk.http('GET', `/tickets/${ticket.id}/presence`, { token: t.sam });
    expect(sam.body.viewers).toEqual([
      { sub: 'ann', name: 'Ann Lee', role: 'agent', state: 'viewing', since: annSince },
      { sub: 'ben', name: 'Ben Ortiz', role: 'agent', state: 'replying', since: expect.any(String) },
    ]);
    expect((await desk.http('GET', `/tickets/${ticket.id}/presence`, { token: t.ann })).body.viewers.map((v: any) => v.sub)).toEqual(['ben']);
  });

  it('is for staff who can see the ticket: requesters 403, other groups 404, bad states 400', async () => {
    const ticket = await open();
    for (const [token, status] of [[t.alice, 403], [t.gateway, 403], [t.eve, 404]] as const) {
      expect((await desk.http('POST', `/tickets/${ticket.id}/presence`, { token, body: { state: 'viewing' } })).status).toBe(status);
      expect((await desk.http('GET', `/tickets/${ticket.id}/presence`, { token })).status).toBe(status);
    }
    const bad = await desk.http('POST', `/tickets/${ticket.id}/presence`, { token: t.ann, body: { state: 'typing' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.state');
  });

  it('forgets whoever stopped sending heartbeats: stale entries are not shown, and are deleted', async () => {
    const ticket = await open();
    const old = new Date(Date.now() - desk.config.presenceTtlMs - 1_000).toISOString();
    await desk.db.models.Presence.collection.insertOne({ _id: `${ticket.id}:cid` as never, ticketId: ticket.id, sub: 'cid', name: 'Cid Haddad', role: 'agent', state: 'replying', since: old, at: old });
    expect((await desk.http('GET', `/tickets/${ticket.id}/presence`, { token: t.ann })).body.viewers).toEqual([]);
    expect((await desk.http('POST', `/tickets/${ticket.id}/presence`, { token: t.ann, body: { state: 'viewing' } })).body.viewers).toEqual([]);
    expect(await desk.db.models.Presence.countDocuments({ ticketId: ticket.id })).toBe(1);
  });
});

describe('canned replies', () => {
  const ids = (res: { body: any }) => res.body.items.map((r: any) => r.id);

  it('gives agents their groups’ replies and those for everyone, supervisors and admins all', async () => {
    const all = demoCannedReplies.map((r) => r.id);
    const forGroups = (groups: string[]) => demoCannedReplies.filter((r) => r.group === null || groups.includes(r.group)).map((r) => r.id);
    expect(ids(await desk.http('GET', '/canned-replies', { token: t.ann }))).toEqual(forGroups(['network-l1']));
    expect(ids(await desk.http('GET', '/canned-replies', { token: t.eve }))).toEqual(forGroups(['billing-l1']));
    expect(ids(await desk.http('GET', '/canned-replies', { token: t.sam }))).toEqual(all);
    expect(ids(await desk.http('GET', '/canned-replies', { token: t.root }))).toEqual(all);
    expect(forGroups(['network-l1'])).not.toContain('bill-duplicate-charge');
    expect((await desk.http('GET', '/canned-replies', { token: t.alice })).status).toBe(403);
    expect((await desk.http('GET', '/admin/canned-replies', { token: t.sam })).status).toBe(403);
  });

  it('lets admins replace the list, refusing unknown groups and repeated ids at the field', async () => {
    const put = (body: unknown) => desk.http('PUT', '/admin/canned-replies', { token: t.root, body });
    const reply = { id: 'wifi-reset', title: 'Reset the Wi-Fi profile', body: 'Forget the network and join it again.', group: 'network-l1' };
    const ghost = await put([reply, { ...reply, id: 'x', group: 'ghost-group' }]);
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors).toEqual([{ path: 'body.1.group', message: expect.stringContaining('ghost-group') }]);
    const twice = await put([reply, reply]);
    expect(twice.status).toBe(422);
    expect(twice.body.errors[0].path).toBe('body.1.id');
    const shape = await put([{ ...reply, title: '' }, { id: 'y', title: 'No group', body: 'b' }]);
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: any) => e.path)).toEqual(['body.0.title', 'body.1.group']);
    expect((await desk.http('GET', '/admin/canned-replies', { token: t.root })).body).toEqual(demoCannedReplies);

    const everyone = { ...reply, id: 'wifi-everyone', group: null };
    const saved = await put([everyone, reply]);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual([everyone, reply]);
    expect(ids(await desk.http('GET', '/canned-replies', { token: t.eve }))).toEqual(['wifi-everyone']);
    expect(ids(await desk.http('GET', '/canned-replies', { token: t.ann }))).toEqual(['wifi-everyone', 'wifi-reset']);
    // A group that still has canned replies cannot be removed.
    const groups = (await desk.http('GET', '/admin/groups', { token: t.root })).body;
    const drop = await desk.http('PUT', '/admin/groups', { token: t.root, body: groups.filter((g: any) => g.id !== 'network-l1').map((g: any) => ({ ...g, escalationTarget: g.escalationTarget === 'network-l1' ? null : g.escalationTarget })) });
    expect(drop.status).toBe(422);
    expect(drop.body.detail).toContain('still has canned reply wifi-reset');
    expect((await put(demoCannedReplies)).status).toBe(200);
  });
});

describe('queue keys of tickets stored before them', () => {
  it('are added once by the worker’s start step, and then it only reads its marker', async () => {
    const ticket = openTicket(vpnIntake({ id: newTicketId() }), new Date().toISOString());
    Object.assign(ticket, { status: 'assigned', assignment: { group: 'network-l1', agent: null }, version: 2 });
    const { queueFlags: _flags, dueAt: _due, ...bare } = documentOf(ticket);
    await desk.db.models.Ticket.collection.insertOne(bare as never);
    expect(await desk.tickets.updateQueueKeys()).toBe(1);
    const stored = await desk.db.models.Ticket.findById(ticket.id).lean();
    expect(stored).toMatchObject({ queueFlags: ['unsolved', 'unassigned'], dueAt: '9999-12-31T23:59:59.999Z' });
    expect((await desk.http('GET', '/tickets?queue=unassigned&limit=100', { token: t.ann })).body.items.map((x: any) => x.id)).toContain(ticket.id);
    await desk.db.models.Ticket.collection.updateOne({ _id: ticket.id as never }, { $unset: { queueFlags: '' } });
    expect(await desk.tickets.updateQueueKeys()).toBe(0);
  });
});

describe('who am I', () => {
  it('answers the caller’s principal to every role but the mail gateway', async () => {
    expect((await desk.http('GET', '/me', { token: t.ann })).body).toEqual({ sub: 'ann', role: 'agent', name: 'Ann Lee', groups: ['network-l1'] });
    expect((await desk.http('GET', '/me', { token: t.alice })).body).toEqual({ sub: 'alice', role: 'requester', name: 'Alice Martin', groups: [] });
    expect((await desk.http('GET', '/me', { token: t.gateway })).status).toBe(403);
    expect((await desk.http('GET', '/me')).status).toBe(401);
  });

  it('has no development sign-in unless the API is told so: 404 like any unknown route', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await desk.http(method, '/dev/sign-in', method === 'POST' ? { body: { role: 'admin', sub: 'root' } } : {});
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await desk.http('GET', '/openapi.json')).body.paths).not.toHaveProperty(['/dev/sign-in']);
  });

  it('keeps DEV_SIGN_IN to the development secret: never set with AUTH_JWT_SECRET, refused in production', () => {
    expect(loadConfig({}).devSignIn).toBe(false);
    expect(loadConfig({ DEV_SIGN_IN: '1' }).devSignIn).toBe(true);
    expect(() => loadConfig({ DEV_SIGN_IN: '1', NODE_ENV: 'production' })).toThrow(/DEV_SIGN_IN/);
    expect(tokenEnv({ AUTH_JWT_SECRET: 'real', DEV_SIGN_IN: '1' })).toEqual({ AUTH_JWT_SECRET: 'real', DEV_SIGN_IN: undefined });
  });
});

// A second desk, without a worker: tickets are stored as the worker stores them, in exactly the states each
// queue is about, with deadlines relative to now. It also runs with the development sign-in and a short presence TTL.
describe('with tickets in every state', () => {
  let q: TestDesk;
  const now = Date.now();
  const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
  const s = {} as Record<'ann' | 'eve' | 'sam' | 'root' | 'alice', string>;
  const tickets: Record<string, Ticket> = {};

  /** A ticket stored through the store, with the given status, assignment and SLA (deadlines in minutes from now). */
  async function store(name: string, shape: { status: Ticket['status']; group?: string | null; agent?: string | null; response?: number; responded?: boolean; resolution?: number | null; breached?: 'response' | 'resolution'; review?: boolean }) {
    const ticket = openTicket(vpnIntake({ id: newTicketId(), title: `Queue fixture ${name}` }), at(-600 + Object.keys(tickets).length));
    ticket.status = shape.status;
    ticket.assignment = { group: shape.group ?? null, agent: shape.agent ?? null };
    ticket.sla = {
      ...ticket.sla,
      policyId: 'standard',
      responseDue: shape.response === undefined ? at(-300) : at(shape.response),
      firstRespondedAt: shape.responded === false ? null : at(-500),
      resolutionDue: shape.resolution === undefined ? at(2_000) : shape.resolution === null ? null : at(shape.resolution),
      responseBreached: shape.breached === 'response',
      resolutionBreached: shape.breached === 'resolution',
      paused: shape.resolution === null,
    };
    if (shape.review) ticket.closure = { knowledge: null, survey: null, review: { status: 'pending', dueAt: at(3_000), filed: null } };
    ticket.version = 3;
    await q.tickets.record({ ticket, events: [], notifications: [], kpi: { bucket: 'test', backlogChanged: false } });
    tickets[name] = ticket;
  }

  beforeAll(async () => {
    q = await startDesk('api-console-queues', { worker: false, config: { devSignIn: true, presenceTtlMs: 1_500 } });
    s.ann = q.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] });
    s.eve = q.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
    s.sam = q.token({ sub: 'sam', role: 'supervisor' });
    s.root = q.token({ sub: 'root', role: 'admin' });
    s.alice = q.token({ sub: 'alice', role: 'requester' });
    const net = { group: 'network-l1' };
    await store('annWorking', { status: 'in_progress', ...net, agent: 'ann', resolution: 180 });
    await store('annWaiting', { status: 'waiting_on_customer', ...net, agent: 'ann', resolution: null });
    await store('annResolved', { status: 'resolved', ...net, agent: 'ann', resolution: null });
    await store('netUnassigned', { status: 'assigned', ...net, response: 300, responded: false });
    await store('billUnassigned', { status: 'assigned', group: 'billing-l1', response: 240, responded: false });
    await store('responseSoon', { status: 'assigned', ...net, agent: 'ben', response: 30, responded: false });
    await store('resolutionSoon', { status: 'in_progress', ...net, agent: 'ben', resolution: 20 });
    await store('respondedEarlier', { status: 'in_progress', ...net, agent: 'ben', response: 10, resolution: 600 });
    await store('netBreached', { status: 'in_progress', ...net, agent: 'ben', response: -90, responded: false, breached: 'response' });
    await store('billBreached', { status: 'in_progress', group: 'billing-l1', agent: 'eve', resolution: -30, breached: 'resolution' });
    await store('inTriage', { status: 'triage', response: 120, responded: false });
    await store('reviewPending', { status: 'closed', ...net, agent: 'ben', review: true });
    await store('closed', { status: 'closed', ...net, agent: 'ann' });
  });
  afterAll(() => q.close());

  const names = (items: Array<{ id: string }>) => items.map((i) => Object.keys(tickets).find((n) => tickets[n]!.id === i.id)).sort();
  /** Every page of a list, following nextCursor. */
  async function pages(token: string, query: string, limit = 2) {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await q.http('GET', `/tickets?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  const EXPECTED = {
    ann: {
      mine: ['annWaiting', 'annWorking'],
      unassigned: ['netUnassigned'],
      breaching: ['resolutionSoon', 'responseSoon'],
      waiting: ['annWaiting'],
      breached: ['netBreached'],
    },
    sam: {
      mine: [],
      unassigned: ['billUnassigned', 'netUnassigned'],
      breaching: ['resolutionSoon', 'responseSoon'],
      waiting: ['annWaiting'],
      triage: ['inTriage'],
      breached: ['billBreached', 'netBreached'],
      reviews: ['reviewPending'],
    },
  };

  it('lists each queue’s tickets, within what the caller may see, and counts as many', async () => {
    for (const [who, queues] of Object.entries(EXPECTED) as Array<[keyof typeof EXPECTED, Record<string, string[]>]>) {
      const counted = await q.http('GET', '/queues', { token: s[who] });
      expect(counted.status).toBe(200);
      expect(counted.body.items.map((i: any) => i.id)).toEqual(Object.keys(queues));
      for (const item of counted.body.items) {
        const listed = await pages(s[who], `queue=${item.id}`);
        expect({ who, queue: item.id, tickets: names(listed) }).toEqual({ who, queue: item.id, tickets: queues[item.id] });
        expect(item).toEqual({ id: item.id, title: expect.any(String), count: listed.length });
      }
    }
    // Admins have the supervisors' queues.
    expect((await q.http('GET', '/queues', { token: s.root })).body).toEqual((await q.http('GET', '/queues', { token: s.sam })).body);
  });

  it('keeps supervisors’ queues and all queues from those who do not have them', async () => {
    for (const queue of ['triage', 'reviews']) {
      const res = await q.http('GET', `/tickets?queue=${queue}`, { token: s.ann });
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain(queue);
    }
    expect((await q.http('GET', '/queues', { token: s.alice })).status).toBe(403);
    expect((await q.http('GET', '/tickets?queue=mine', { token: s.alice })).status).toBe(403);
    const unknown = await q.http('GET', '/tickets?queue=urgent', { token: s.sam });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('query.queue');
  });

  it('sorts by the nearest running deadline across pages, tickets without one last', async () => {
    // Running deadlines by hand: the response until answered, the resolution unless paused; passed ones first.
    const due: Array<[string, number | null]> = [
      ['netBreached', -90],
      ['billBreached', -30],
      ['resolutionSoon', 20],
      ['responseSoon', 30],
      ['inTriage', 120],
      ['annWorking', 180],
      ['billUnassigned', 240],
      ['netUnassigned', 300],
      ['respondedEarlier', 600],
      ['annWaiting', null],
      ['annResolved', null],
      ['reviewPending', null],
      ['closed', null],
    ];
    const listed = await pages(s.sam, 'sort=due', 3);
    const order = listed.map((i: any) => Object.keys(tickets).find((n) => tickets[n]!.id === i.id));
    const timed = due.filter(([, m]) => m !== null).map(([n]) => n);
    expect(order.slice(0, timed.length)).toEqual(timed);
    const undated = due.filter(([, m]) => m === null).map(([n]) => tickets[n]!.id).sort();
    expect(listed.slice(timed.length).map((i: any) => i.id)).toEqual(undated);
    // Within a queue too, and a cursor of one order is refused by the other.
    expect((await pages(s.ann, 'queue=breaching&sort=due', 1)).map((i: any) => i.id)).toEqual([tickets.resolutionSoon!.id, tickets.responseSoon!.id]);
    const created = await q.http('GET', '/tickets?limit=1', { token: s.sam });
    const mixed = await q.http('GET', `/tickets?sort=due&cursor=${created.body.nextCursor}`, { token: s.sam });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors[0].path).toBe('query.cursor');
  });

  it('pages newest first by default, as before', async () => {
    const listed = await pages(s.sam, 'status=assigned,in_progress,waiting_on_customer,resolved,triage,closed', 4);
    const byAge = Object.values(tickets).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).map((x) => x.id);
    expect(listed.map((i: any) => i.id)).toEqual(byAge);
  });

  it('forgets presence after the configured time without a heartbeat', async () => {
    const id = tickets.annWorking!.id;
    const before = Date.now();
    expect((await q.http('POST', `/tickets/${id}/presence`, { token: s.ann, body: { state: 'replying' } })).status).toBe(200);
    const seen = (await q.http('GET', `/tickets/${id}/presence`, { token: s.sam })).body.viewers;
    expect(seen.map((v: any) => [v.sub, v.state])).toEqual([['ann', 'replying']]);
    // Wait until Ann is gone, then check she lasted her whole TTL.
    for (let deadline = Date.now() + 10_000; ; ) {
      const { viewers } = (await q.http('GET', `/tickets/${id}/presence`, { token: s.sam })).body;
      if (viewers.length === 0) break;
      if (Date.now() > deadline) throw new Error('presence never expired');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now() - before).toBeGreaterThanOrEqual(q.config.presenceTtlMs);
  });

  it('signs in for development: the roles, the desk’s agents, and 12-hour tokens with the API’s secret', async () => {
    const options = await q.http('GET', '/dev/sign-in');
    expect(options.status).toBe(200);
    expect(options.body.roles).toEqual(['requester', 'agent', 'supervisor', 'admin']);
    expect(options.body.agents).toContainEqual({ id: 'ann', name: 'Ann Lee', groups: ['network-l1'] });

    const agent = await q.http('POST', '/dev/sign-in', { body: { role: 'agent', sub: 'ann' } });
    expect(agent.status).toBe(200);
    expect(agent.body.principal).toEqual({ sub: 'ann', role: 'agent', name: 'Ann Lee', email: 'ann@desk.example', groups: ['network-l1'] });
    const claims = jwt.verify(agent.body.token, TEST_SECRET) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
    expect((await q.http('GET', '/me', { token: agent.body.token })).body).toEqual(agent.body.principal);
    expect((await q.http('GET', '/queues', { token: agent.body.token })).status).toBe(200);

    const requester = await q.http('POST', '/dev/sign-in', { body: { role: 'requester', sub: 'carol', name: 'Carol Diaz', email: 'carol@example.com' } });
    expect((await q.http('GET', '/me', { token: requester.body.token })).body).toEqual({ sub: 'carol', role: 'requester', name: 'Carol Diaz', email: 'carol@example.com', groups: [] });

    const unknown = await q.http('POST', '/dev/sign-in', { body: { role: 'agent', sub: 'mallory' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: 'body.sub', message: expect.any(String) }]);
    const gateway = await q.http('POST', '/dev/sign-in', { body: { role: 'gateway', sub: 'mail-gateway' } });
    expect(gateway.status).toBe(400);
    expect(gateway.body.errors[0].path).toBe('body.role');
    expect((await q.http('GET', '/openapi.json')).body.paths['/dev/sign-in'].post.security).toEqual([]);
  });

  // Last in this block: it opens a ticket the queue checks above do not expect.
  it('refuses, under the workflow’s lock, a change accepted while another against the same version ran', async () => {
    const { temporalAddress, workflowBundle } = testServers();
    const connection = await NativeConnection.connect({ address: temporalAddress });
    // No workflow cache: a new worker picks the ticket up at once, without waiting out a sticky queue.
    const worker = () => createTicketWorker({ connection, namespace: q.config.temporalNamespace, taskQueue: q.config.taskQueue, deps: activityDeps(q.db, silentLogger), codec: q.codec, workflowBundle: { codePath: workflowBundle }, tuning: { maxCachedWorkflows: 0 } });
    const first = await worker();
    const firstRun = first.run();
    const ticket = (await q.http('POST', '/tickets', { token: s.alice, body: createTicketBody })).body;
    first.shutdown();
    await firstRun;

    // With no worker the two changes wait at the server, and reach the workflow together in one task.
    const keys = ['race-a', 'race-b'];
    const answers = Promise.all(keys.map((key) => q.http('POST', `/tickets/${ticket.id}/comments`, { token: s.sam, body: { body: key }, headers: { 'If-Match': `"${ticket.version}"`, 'Idempotency-Key': key } })));
    const admitted = (key: string) =>
      q.client.workflowService
        .pollWorkflowExecutionUpdate({
          namespace: q.config.temporalNamespace,
          updateRef: { workflowExecution: { workflowId: `ticket-${ticket.id}` }, updateId: `comment:sam:${key}` },
          identity: 'console-api test',
          waitPolicy: { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED },
        })
        .then(() => true, () => false);
    for (let deadline = Date.now() + 10_000; !(await admitted(keys[0]!)) || !(await admitted(keys[1]!)); ) {
      if (Date.now() > deadline) throw new Error('the changes never reached the server');
      await new Promise((r) => setTimeout(r, 50));
    }
    const second = await worker();
    const secondRun = second.run();
    try {
      expect((await answers).map((a) => a.status).sort()).toEqual([201, 412]);
      const history = await q.client.workflow.getHandle(`ticket-${ticket.id}`).fetchHistory();
      const events = history.events ?? [];
      // Both passed the validator (the lock was busy with the first), and the handler refused the second.
      expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'comment').length).toBe(2);
      expect(events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure).map((e) => e.workflowExecutionUpdateCompletedEventAttributes!.outcome!.failure!.applicationFailureInfo?.type)).toEqual(['VersionMismatch']);
      expect((await q.timeline(ticket.id)).filter((e) => e.type === 'comment').length).toBe(1);
    } finally {
      second.shutdown();
      await secondRun;
      await connection.close();
    }
  });
});
