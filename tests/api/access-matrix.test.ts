// Object-level authorization over every route of the API (OWASP API1, API5): routes are read from the
// OpenAPI document, so a new route without an entry here fails this test until its access is proven.
import { KnowledgeStore } from '../../store/knowledge';
import { demoArticles } from '../../stack/demo-desk';
import { ROLES, type Role } from '../../domain/roles';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
let alicesTicket: any;
const tokens = {} as Record<'alice' | 'bob' | 'ann' | 'eve' | 'sam' | 'root' | 'gateway', string>;
const tokenOfRole = (role: Role) => ({ requester: tokens.bob, agent: tokens.eve, supervisor: tokens.sam, admin: tokens.root, gateway: tokens.gateway })[role];

/** A valid body for every route that takes one, so refusals come from authorization, not validation. */
const BODIES: Record<string, unknown> = {
  'post /tickets': createTicketBody,
  'post /tickets/{id}/assign': { group: 'billing-l1' },
  'post /tickets/{id}/escalate': { reason: 'probe' },
  'post /tickets/{id}/priority': { priority: 'P0', reason: 'probe' },
  'post /tickets/{id}/collaborators': { agent: 'eve' },
  'post /tickets/{id}/comments': { body: 'probe' },
  'post /tickets/{id}/status': { status: 'in_progress' },
  'post /tickets/{id}/resolve': { summary: 's', rootCause: 'r', steps: 's', newKnowledge: true },
  'post /tickets/{id}/confirm': {},
  'post /tickets/{id}/reject': { reason: 'probe' },
  'post /tickets/{id}/suggestions/{articleId}/accept': {},
  'post /tickets/{id}/csat': { score: 1 },
  'post /tickets/{id}/review': { rootCause: 'r', timelineSummary: 't', actions: [{ description: 'd', owner: 'o', dueDate: '2026-12-01' }], lessons: 'l' },
  'post /tickets/{id}/cancel': { reason: 'probe' },
  'post /tickets/{id}/presence': { state: 'viewing' },
  'delete /tickets/{id}/presence': undefined, // no body
  'post /channels/email': { messageId: '<probe@x>', from: 'probe@x.example', subject: 'probe', text: 'probe' },
  'post /uploads': {},
  'post /kb/articles/{id}/publish': {},
  'post /kb/articles/{id}/reject': { reason: 'probe' },
  'put /admin/groups': [],
  'put /admin/agents': [],
  'put /admin/routing-rules': [],
  'put /admin/templates': [],
  'put /admin/calendars': [],
  'put /admin/sla-policies': [],
  'put /admin/mailboxes': [],
  'put /admin/canned-replies': [],
  'post /privacy/people/{id}/erase': { reason: 'probe' },
  'put /admin/retention': { anonymiseClosedAfterDays: null },
  'post /codec/decode': { payloads: [] },
  'post /codec/encode': { payloads: [] },
};

let routes: Array<{ method: string; path: string; roles: Role[] }>;

beforeAll(async () => {
  desk = await startDesk('api-access');
  await new KnowledgeStore(desk.db.models).put(demoArticles);
  tokens.alice = desk.token({ sub: 'alice', role: 'requester' });
  tokens.bob = desk.token({ sub: 'bob', role: 'requester' });
  tokens.ann = desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] });
  tokens.eve = desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
  tokens.sam = desk.token({ sub: 'sam', role: 'supervisor' });
  tokens.root = desk.token({ sub: 'root', role: 'admin' });
  tokens.gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });
  alicesTicket = (await desk.http('POST', '/tickets', { token: tokens.alice, body: createTicketBody })).body;
  await desk.http('POST', `/tickets/${alicesTicket.id}/comments`, { token: tokens.ann, body: { body: 'INTERNAL: customer is on the old client', visibility: 'internal' } });
  alicesTicket = (await desk.http('GET', `/tickets/${alicesTicket.id}`, { token: tokens.alice })).body;
  const doc = (await desk.http('GET', '/openapi.json')).body;
  routes = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([, op]) => op['x-roles']).map(([method, op]) => ({ method, path, roles: op['x-roles'] as Role[] })),
  );
});
afterAll(() => desk.close());

const urlOf = (path: string) => path.replace('{id}', path.startsWith('/kb/') ? 'KB-DEMO-VPN' : alicesTicket.id).replace('{articleId}', 'KB-DEMO-VPN');
const call = (route: { method: string; path: string }, token: string) =>
  desk.http(route.method.toUpperCase(), urlOf(route.path), { token, ...(route.method === 'get' ? {} : { body: BODIES[`${route.method} ${route.path}`] }) });

it('knows every authenticated route of the API', () => {
  const missing = routes.filter((r) => r.method !== 'get' && !(`${r.method} ${r.path}` in BODIES)).map((r) => `${r.method} ${r.path}`);
  expect(missing).toEqual([]);
  expect(routes.length).toBeGreaterThanOrEqual(30);
});

it('refuses every role a route does not allow with 403', async () => {
  const wrong: string[] = [];
  for (const route of routes) {
    for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
      const res = await call(route, tokenOfRole(role));
      if (res.status !== 403) wrong.push(`${role} ${route.method} ${route.path} → ${res.status}`);
    }
  }
  expect(wrong).toEqual([]);
});

it('never lets another requester, or an agent of another group, read or change a ticket: 404 on every ticket route', async () => {
  const wrong: string[] = [];
  for (const route of routes.filter((r) => r.path.startsWith('/tickets/{id}'))) {
    for (const [who, token] of [['requester bob', tokens.bob], ['agent eve (billing)', tokens.eve]] as const) {
      const role = who.startsWith('requester') ? 'requester' : 'agent';
      if (!route.roles.includes(role)) continue;
      const res = await call(route, token);
      if (res.status !== 404) wrong.push(`${who} ${route.method} ${route.path} → ${res.status}`);
    }
  }
  expect(wrong).toEqual([]);
  // Nothing the refused calls attempted reached the ticket.
  const after = (await desk.http('GET', `/tickets/${alicesTicket.id}`, { token: tokens.alice })).body;
  expect(after).toEqual(alicesTicket);
});

it('keeps other requesters’ tickets out of every list', async () => {
  const listed = (await desk.http('GET', '/tickets?limit=100', { token: tokens.bob })).body.items.map((t: any) => t.id);
  expect(listed).not.toContain(alicesTicket.id);
  const byQuery = (await desk.http('GET', `/tickets?q=${encodeURIComponent(alicesTicket.title)}`, { token: tokens.bob })).body.items;
  expect(byQuery).toEqual([]);
  const eveSees = (await desk.http('GET', '/tickets?limit=100', { token: tokens.eve })).body.items.map((t: any) => t.assignment.group);
  expect(eveSees.every((g: string) => g === 'billing-l1')).toBe(true);
});

it('never shows internal notes or internal events to the requester, wherever she looks', async () => {
  const timeline = (await desk.http('GET', `/tickets/${alicesTicket.id}/timeline?limit=500`, { token: tokens.alice })).body.items;
  expect(timeline.length).toBeGreaterThan(0);
  expect(timeline.every((e: any) => e.visibility === 'public')).toBe(true);
  expect(JSON.stringify(timeline)).not.toContain('INTERNAL');
  const reply = await desk.http('POST', `/tickets/${alicesTicket.id}/comments`, { token: tokens.alice, body: { body: 'any news?' } });
  expect(reply.body.events.every((e: any) => e.visibility === 'public')).toBe(true);
  expect(JSON.stringify(await desk.http('GET', `/tickets/${alicesTicket.id}`, { token: tokens.alice }))).not.toContain('INTERNAL');
  const staffView = (await desk.http('GET', `/tickets/${alicesTicket.id}/timeline?limit=500`, { token: tokens.ann })).body.items;
  expect(JSON.stringify(staffView)).toContain('INTERNAL');
});

// Property-level authorization (OWASP API3): what a requester receives is checked against explicit allow-lists,
// so a field added to any resource fails here until someone decides that requesters may see it.
describe('a requester sees only what is hers, through a ticket’s whole life', () => {
  const SECRETS = {
    note: 'X-NOTE-4f1c customer runs a cracked client',
    escalation: 'X-ESCALATION-8b2e L1 cannot read the concentrator logs',
    firstRootCause: 'X-FIRST-CAUSE-19d0 MTU mismatch',
    rootCause: 'X-ROOT-CAUSE-c7a3 concentrator idle timeout of 60 min',
    reviewCause: 'X-REVIEW-CAUSE-2e9b change 4411 shipped without review',
    reviewTimeline: 'X-REVIEW-TIMELINE-5a60',
    reviewAction: 'X-REVIEW-ACTION-0d4f add a config check',
    reviewLessons: 'X-REVIEW-LESSONS-77c1',
  };

  const TICKET = [
    'id', 'title', 'description', 'status', 'priority', 'impact', 'urgency', 'channel', 'productLine', 'module', 'problemType',
    'fields.symptom', 'fields.occurredAt', 'fields.environment',
    'attachments[].name', 'attachments[].type', 'attachments[].size', 'attachments[].location',
    'requester.id', 'requester.name', 'requester.email',
    'assignment.group', 'assignment.agent',
    'sla.responseDue', 'sla.resolutionDue', 'sla.firstRespondedAt',
    'suggestions[].articleId', 'suggestions[].title', 'suggestions[].score',
    'reopenCount',
    'resolution.summary', 'resolution.steps', 'resolution.kbArticleId', 'resolution.resolvedAt',
    'csat.score', 'csat.comment', 'csat.at',
    'closure.survey.status', 'closure.survey.closesAt',
    'createdAt', 'updatedAt', 'closedAt', 'version',
  ];
  const EVENT = ['ticketId', 'seq', 'at', 'type', 'visibility', 'actor.id', 'actor.role', 'actor.name'];
  /** Event data, as `<event type>.<path>`. */
  const EVENT_DATA = [
    'created.channel', 'created.priority',
    'knowledge_suggested.suggestions[].articleId', 'knowledge_suggested.suggestions[].title', 'knowledge_suggested.suggestions[].score',
    'status_changed.from', 'status_changed.to', 'status_changed.reason',
    'comment.body',
    'resolved.summary', 'resolved.steps', 'resolved.kbArticleId', 'resolved.resolvedAt',
    'reopened.reason', 'reopened.reopenCount', 'reopened.rejected.summary', 'reopened.rejected.steps', 'reopened.rejected.kbArticleId', 'reopened.rejected.resolvedAt',
    'survey_offered.closesAt',
    'csat.score', 'csat.comment', 'csat.at',
  ];
  const ARTICLE = ['id', 'title', 'problem', 'symptoms', 'cause', 'solution', 'productLine', 'module', 'tags[]', 'useCount', 'status', 'updatedAt', 'publishedAt', 'score'];

  /** Every leaf's path (arrays as `[]`); null, [] and {} count as leaves, so an empty internal field shows too. */
  function leaves(value: unknown, path: string, into: Set<string>): Set<string> {
    const children = Array.isArray(value) ? value.map((v) => [`${path}[]`, v] as const) : value && typeof value === 'object' ? Object.entries(value).map(([k, v]) => [path ? `${path}.${k}` : k, v] as const) : [];
    if (children.length === 0) into.add(path);
    for (const [p, v] of children) leaves(v, p, into);
    return into;
  }
  const seen = { ticket: new Set<string>(), event: new Set<string>(), eventData: new Set<string>(), article: new Set<string>(), envelope: new Set<string>() };
  const received: unknown[] = [];
  const ticketOf = (t: unknown) => leaves(t, '', seen.ticket);
  const eventsOf = (events: any[]) => {
    for (const { data, ...event } of events) {
      leaves(event, '', seen.event);
      leaves(data, event.type, seen.eventData);
    }
  };
  const envelopeOf = (body: object) => Object.keys(body).forEach((k) => seen.envelope.add(k));
  /** Within the allow-list: a leaf listed there, or an empty parent (null, [], {}) of one. */
  const outside = (paths: Set<string>, allowed: string[]) => [...paths].filter((p) => !allowed.some((a) => a === p || a.startsWith(`${p}.`) || a.startsWith(`${p}[]`)));

  let id: string;
  let staffView: unknown[];

  beforeAll(async () => {
    const carol = desk.token({ sub: 'carol', role: 'requester', name: 'Carol Diaz', email: 'carol@example.com' });
    const ann = desk.token({ sub: 'ann', role: 'agent', name: 'Ann Lee', groups: ['network-l1'] });
    const succeeded = (what: string, res: { status: number; body: any }) => {
      if (res.status >= 300) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const asCarol = async (method: string, path: string, body?: unknown) => {
      const answer = succeeded(`${method} ${path}`, await desk.http(method, path, { token: carol, ...(body === undefined ? {} : { body }) }));
      received.push(answer);
      return answer;
    };
    const staff = async (token: string, action: string, body: unknown) => succeeded(action, await desk.http('POST', `/tickets/${id}/${action}`, { token, body }));
    const resolve = (rootCause: string) => staff(tokens.sam, 'resolve', { summary: 'Raised the idle timeout to 8 h', rootCause, steps: 'Changed the concentrator profile', newKnowledge: true });
    const change = (body: any) => (envelopeOf(body), ticketOf(body.ticket), eventsOf(body.events));

    const created = await asCarol('POST', '/tickets', { ...createTicketBody, attachments: [{ name: 'vpn.log', type: 'text/plain', size: 2048, location: 's3://attachments/vpn.log' }] });
    id = created.id;
    ticketOf(created);
    await staff(ann, 'comments', { body: SECRETS.note, visibility: 'internal' });
    await staff(ann, 'comments', { body: 'Please update the client to 5.2', visibility: 'public' });
    change(await asCarol('POST', `/tickets/${id}/comments`, { body: 'Updated, it still drops' }));
    await staff(ann, 'escalate', { reason: SECRETS.escalation });
    await staff(tokens.sam, 'collaborators', { agent: 'cid' });
    await resolve(SECRETS.firstRootCause);
    change(await asCarol('POST', `/tickets/${id}/reject`, { reason: 'It dropped again this morning' }));
    await resolve(SECRETS.rootCause);
    change(await asCarol('POST', `/tickets/${id}/confirm`, {}));
    await staff(tokens.sam, 'review', { rootCause: SECRETS.reviewCause, timelineSummary: SECRETS.reviewTimeline, actions: [{ description: SECRETS.reviewAction, owner: 'carl', dueDate: '2026-12-01' }], lessons: SECRETS.reviewLessons });
    change(await asCarol('POST', `/tickets/${id}/csat`, { score: 4, comment: 'Fixed in the end' }));

    ticketOf(await asCarol('GET', `/tickets/${id}`));
    for (const path of ['/tickets?limit=100', `/tickets?q=${encodeURIComponent(createTicketBody.title)}`]) {
      const list = await asCarol('GET', path);
      envelopeOf(list);
      list.items.forEach(ticketOf);
    }
    const timeline = await asCarol('GET', `/tickets/${id}/timeline?limit=500`);
    envelopeOf(timeline);
    eventsOf(timeline.items);
    for (const path of ['/kb/articles?limit=100', '/kb/articles?q=vpn%20drops']) {
      const list = await asCarol('GET', path);
      envelopeOf(list);
      list.items.forEach((a: unknown) => leaves(a, '', seen.article));
    }
    leaves(await asCarol('GET', '/kb/articles/KB-DEMO-VPN'), '', seen.article);

    staffView = [(await desk.http('GET', `/tickets/${id}`, { token: tokens.sam })).body, (await desk.http('GET', `/tickets/${id}/timeline?limit=500`, { token: tokens.sam })).body];
  });

  it('gets every resource within its allow-list, and the life covered every allowed field', () => {
    expect(outside(seen.ticket, TICKET)).toEqual([]);
    expect(outside(seen.event, EVENT)).toEqual([]);
    expect(outside(seen.eventData, EVENT_DATA)).toEqual([]);
    expect(outside(seen.article, ARTICLE)).toEqual([]);
    expect([...seen.envelope].sort()).toEqual(['events', 'items', 'nextCursor', 'ticket']);
    // Every allowed field showed up, so the checks above looked at a ticket that had them all.
    expect(TICKET.filter((p) => !seen.ticket.has(p))).toEqual([]);
    expect(EVENT.filter((p) => !seen.event.has(p))).toEqual([]);
    expect(EVENT_DATA.filter((p) => !seen.eventData.has(p))).toEqual([]);
    expect(ARTICLE.filter((p) => !seen.article.has(p))).toEqual([]);
  });

  it('never receives an internal note, escalation reason, root cause or review, anywhere', () => {
    const all = JSON.stringify(received);
    expect(Object.entries(SECRETS).filter(([, text]) => all.includes(text)).map(([name]) => name)).toEqual([]);
    // Staff do see each of them: the requester's answers lack them because they were withheld.
    const staff = JSON.stringify(staffView);
    expect(Object.entries(SECRETS).filter(([, text]) => !staff.includes(text)).map(([name]) => name)).toEqual([]);
  });
});

it('keeps erasure, its audit log and the retention policy to admins', () => {
  const privacy = routes.filter((r) => r.path.startsWith('/privacy/') || r.path === '/admin/retention');
  expect(privacy.map((r) => `${r.method} ${r.path}: ${r.roles.join(', ')}`).sort()).toEqual([
    'get /admin/retention: admin',
    'get /privacy/erasures/{id}: admin',
    'get /privacy/people/{id}/export: admin',
    'post /privacy/people/{id}/erase: admin',
    'put /admin/retention: admin',
  ]);
});
