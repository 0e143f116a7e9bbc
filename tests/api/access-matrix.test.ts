// Object-level authorization over every route of the API (OWASP API1, API5): routes are read from the
// OpenAPI document, so a new route without an entry here fails this test until its access is proven.
import { KnowledgeStore } from '../../store/knowledge';
import { demoArticles } from '../../stack/demo-desk';
import { ROLES, type Role } from '../../domain/roles';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
let alicesTicket: any;
const tokens = {} as Record<'alice' | 'bob' | 'ann' | 'eve' | 'sam' | 'root', string>;
const tokenOfRole = (role: Role) => ({ requester: tokens.bob, agent: tokens.eve, supervisor: tokens.sam, admin: tokens.root })[role];

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
  'post /channels/email': { messageId: '<probe@x>', from: 'probe@x.example', subject: 'probe', text: 'probe' },
  'post /kb/articles/{id}/publish': {},
  'post /kb/articles/{id}/reject': { reason: 'probe' },
  'put /admin/groups': [],
  'put /admin/agents': [],
  'put /admin/routing-rules': [],
  'put /admin/templates': [],
  'put /admin/calendars': [],
  'put /admin/sla-policies': [],
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
