// SLA end to end on the dev server with a seconds-long policy: the breach shows through the API and in
// Temporal's visibility store (SlaBreached, SlaResolutionDue), and escalation moves the ticket up a tier.
import { suggestedPolicy } from '../../domain/sla/policy';
import { ticketWorkflowId } from '../../domain/ticket';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
let admin: string;
let alice: string;
let staff: string;
beforeAll(async () => {
  desk = await startDesk('e2e-sla');
  admin = desk.token({ sub: 'root', role: 'admin' });
  alice = desk.token({ sub: 'alice', role: 'requester' });
  staff = desk.token({ sub: 'sam', role: 'supervisor' });
  const policy = suggestedPolicy('fast', 'Seconds-long policy for this test', null, 'paris-office');
  const fast = { ...policy, targets: { ...policy.targets, P1: { responseMs: 2_000, resolutionMs: 4_000, calendarId: null } } };
  const res = await desk.http('PUT', '/admin/sla-policies', { token: admin, body: [fast] });
  expect(res.status).toBe(200);
});
afterAll(() => desk.close());

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('shows deadlines, then the breach and the escalation, through the API and the search attributes', async () => {
  const created = await desk.http('POST', '/tickets', { token: alice, body: createTicketBody });
  expect(created.status).toBe(201);
  const { id } = created.body;
  const { sla } = (await desk.http('GET', `/tickets/${id}`, { token: staff })).body;
  expect(sla.policyId).toBe('fast');
  // The requester sees the promised deadlines, not the desk's policy.
  expect(created.body.sla).toEqual({ responseDue: sla.responseDue, resolutionDue: sla.resolutionDue, firstRespondedAt: null });
  expect(Date.parse(sla.responseDue) - Date.parse(created.body.createdAt)).toBe(2_000);
  expect(Date.parse(sla.resolutionDue) - Date.parse(created.body.createdAt)).toBe(4_000);

  const dueQuery = `WorkflowId = '${ticketWorkflowId(id)}' AND SlaResolutionDue = '${new Date(sla.resolutionDue).toISOString()}'`;
  await until(async () => {
    for await (const _ of desk.client.workflow.list({ query: dueQuery })) return true;
    return false;
  });

  const breached = await until(async () => {
    const res = await desk.http('GET', `/tickets/${id}`, { token: staff });
    return res.body.sla.resolutionBreached ? res.body : null;
  });
  expect(breached.sla).toMatchObject({ responseBreached: true, resolutionBreached: true });
  // Two breaches, two escalations: network L1 → L2 → L3.
  expect(breached).toMatchObject({ tier: 3, assignment: { group: 'network-l3', agent: 'dina' } });

  const found = await until(async () => {
    const ids: string[] = [];
    for await (const wf of desk.client.workflow.list({ query: `WorkflowId = '${ticketWorkflowId(id)}' AND SlaBreached = true AND EscalationTier = 3` })) ids.push(wf.workflowId);
    return ids.length ? ids : null;
  });
  expect(found).toEqual([ticketWorkflowId(id)]);

  const timeline = (await desk.http('GET', `/tickets/${id}/timeline`, { token: staff })).body.items.map((e: any) => e.type);
  expect(timeline.filter((t: string) => t === 'sla_breached')).toHaveLength(2);
  expect(timeline.filter((t: string) => t === 'escalated')).toHaveLength(2);
  const listed = (await desk.http('GET', '/tickets?breached=true', { token: staff })).body.items.map((t: any) => t.id);
  expect(listed).toContain(id);
});
