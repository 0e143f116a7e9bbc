// Admin configuration routes: whole lists in and out, refused when inconsistent, used by dispatch at once.
import { demoGroups, demoRoutingRules } from '../../stack/demo-desk';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
let admin: string;
beforeAll(async () => {
  desk = await startDesk('api-admin');
  admin = desk.token({ sub: 'root', role: 'admin' });
});
afterAll(() => desk.close());

describe('admin configuration', () => {
  it('is for admins only', async () => {
    for (const role of ['requester', 'agent', 'supervisor'] as const) {
      expect((await desk.http('GET', '/admin/groups', { token: desk.token({ sub: 'x', role }) })).status).toBe(403);
    }
  });

  it('returns each list', async () => {
    for (const list of ['groups', 'agents', 'routing-rules', 'templates']) {
      const res = await desk.http('GET', `/admin/${list}`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
    }
    expect((await desk.http('GET', '/admin/routing-rules', { token: admin })).body.map((r: any) => r.id)).toEqual(demoRoutingRules.map((r) => r.id));
  });

  it('refuses inconsistent lists with 422 naming the item, and bad shapes with 400', async () => {
    const loop = demoGroups.map((g) => (g.id === 'network-l3' ? { ...g, escalationTarget: 'network-l1' } : g));
    const res = await desk.http('PUT', '/admin/groups', { token: admin, body: loop });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toContain(`body.${demoGroups.findIndex((g) => g.id === 'network-l1')}.escalationTarget`);
    const dangling = await desk.http('PUT', '/admin/routing-rules', { token: admin, body: [{ id: 'r', name: 'R', target: 'ghost-group' }] });
    expect(dangling.status).toBe(422);
    expect(dangling.body.errors[0].path).toBe('body.0.target');
    const shape = await desk.http('PUT', '/admin/groups', { token: admin, body: [{ id: 'g', name: 'G', tier: 4 }] });
    expect(shape.status).toBe(400);
    expect(shape.body.errors[0].path).toBe('body.0.tier');
    expect((await desk.http('GET', '/admin/groups', { token: admin })).body).toHaveLength(demoGroups.length);
  });

  it('routes new tickets by the rules just saved', async () => {
    const rules = [{ id: 'all-to-billing', name: 'Everything to billing for a drill', match: {}, target: 'billing-l1', skills: [] }];
    expect((await desk.http('PUT', '/admin/routing-rules', { token: admin, body: rules })).status).toBe(200);
    const ticket = await desk.http('POST', '/tickets', { token: desk.token({ sub: 'alice', role: 'requester' }), body: createTicketBody });
    expect(ticket.body.assignment).toEqual({ group: 'billing-l1', agent: 'eve' });
    await desk.http('PUT', '/admin/routing-rules', { token: admin, body: demoRoutingRules });
  });

  it('takes agents out of dispatch when they are unavailable', async () => {
    const agents = (await desk.http('GET', '/admin/agents', { token: admin })).body.map((a: any) => ({ ...a, available: a.id === 'cid' ? true : a.id === 'ann' || a.id === 'ben' ? false : a.available }));
    expect((await desk.http('PUT', '/admin/agents', { token: admin, body: agents })).status).toBe(200);
    const ticket = await desk.http('POST', '/tickets', { token: desk.token({ sub: 'alice', role: 'requester' }), body: { ...createTicketBody, title: 'Switch down', description: 'Floor 2 switch is down' } });
    expect(ticket.body.assignment).toEqual({ group: 'network-l1', agent: 'cid' });
    const vpn = await desk.http('POST', '/tickets', { token: desk.token({ sub: 'alice', role: 'requester' }), body: createTicketBody });
    // Nobody available with the vpn skill: it waits in the group's queue.
    expect(vpn.body).toMatchObject({ status: 'assigned', assignment: { group: 'network-l1', agent: null } });
  });
});
