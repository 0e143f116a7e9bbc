// GET /directory: the desk's groups and agents for staff (transfer to a group, add a collaborator, names for ids),
// from an allow-list (no email addresses), following the admin's edits; requesters and the mail gateway are refused.
import { demoAgents, demoGroups } from '../../stack/demo-desk';
import { startDesk, type TestDesk } from '../helpers/desk';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('api-directory', { worker: false });
});
afterAll(() => desk.close());

const read = (token: string) => desk.http('GET', '/directory', { token });

it('gives staff every group (by tier, then name) and every agent (by name), without their email addresses', async () => {
  for (const token of [desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] }), desk.token({ sub: 'sam', role: 'supervisor' }), desk.token({ sub: 'root', role: 'admin' })]) {
    const res = await read(token);
    expect(res.status).toBe(200);
    expect(res.body.groups.map((g: { id: string }) => g.id)).toEqual(
      [...demoGroups].sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name)).map((g) => g.id),
    );
    expect(res.body.groups).toContainEqual({ id: 'network-l1', name: 'Network support L1', tier: 1, escalationTarget: 'network-l2' });
    expect(res.body.agents).toHaveLength(demoAgents.length);
    expect(res.body.agents.map((a: { name: string }) => a.name)).toEqual(demoAgents.map((a) => a.name).sort((a, b) => a.localeCompare(b)));
    expect(res.body.agents).toContainEqual({ id: 'ann', name: 'Ann Lee', groups: ['network-l1'], skills: ['vpn', 'wifi'], available: true });
    expect(JSON.stringify(res.body)).not.toContain('@desk.example');
  }
});

it('follows the admin’s edits', async () => {
  const root = desk.token({ sub: 'root', role: 'admin' });
  const agents = (await desk.http('GET', '/admin/agents', { token: root })).body;
  const put = await desk.http('PUT', '/admin/agents', { token: root, body: agents.map((a: { id: string }) => (a.id === 'ben' ? { ...a, available: false } : a)) });
  expect(put.status).toBe(200);
  const res = await read(desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] }));
  expect(res.body.agents.find((a: { id: string }) => a.id === 'ben')).toMatchObject({ available: false });
});

it('refuses requesters and the mail gateway', async () => {
  expect((await read(desk.token({ sub: 'alice', role: 'requester' }))).status).toBe(403);
  expect((await read(desk.token({ sub: 'mail-gateway', role: 'gateway' }))).status).toBe(403);
  expect((await desk.http('GET', '/directory')).status).toBe(401);
});
