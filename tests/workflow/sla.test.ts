// SLA clocks and escalation (SPEC §7, §8) with realistic policies on the time-skipping test server:
// days pass in milliseconds, and every expected instant below is computed by hand.
import { ticketWorkflowId, type Ticket } from '../../domain/ticket';
import { DeskConfigStore } from '../../store/desk-config';
import { addComment, changeStatus, overridePriority } from '../../workflows/definitions';
import { SlaBreached } from '../../workflows/search-attributes';
import { notificationsOf, timelineOf } from '../helpers/desk';
import { vpnIntake } from '../helpers/fixtures';
import { localLabel, nextLocal, startSkippingDesk, type SkippingDesk } from '../helpers/time-skipping';
import { change, openTicket, people } from '../helpers/workflow';

const PARIS = 'Europe/Paris';
const MIN = 60_000;
const HOUR = 60 * MIN;

// Each test gets its own time-skipping server, database and task queue: its clock starts at the real now, never
// where another test left it, and what one test changes (or leaves running when it fails) cannot reach the next.
let desk: SkippingDesk;
let open: SkippingDesk | undefined; // closed after each test, also when the test failed
let tests = 0;
beforeEach(async () => {
  open = desk = await startSkippingDesk(`sla-${++tests}`);
});
afterEach(async () => {
  const closing = open;
  open = undefined;
  await closing?.close();
});

const now = () => desk.env.currentTimeMs();
const sleepUntil = async (at: number) => desk.env.sleep(Math.max(0, at - (await now())));
const events = async (id: string, type: string) => (await timelineOf(desk.db, id)).filter((e) => e.type === type);
const stored = async (id: string) => (await desk.db.models.Ticket.findById(id).lean()) as unknown as Ticket;
const p2 = () => vpnIntake({ impact: 'moderate', urgency: 'medium' }); // P2: 4 h response, 27 business hours resolution
const agentOf = (ticket: Ticket) => ({ id: ticket.assignment.agent!, role: 'agent' as const });

describe('SLA clocks on a Mon–Fri 09:00–18:00 Paris calendar', () => {
  it('breaches a P2 opened Friday 17:00 at Monday 12:00, after a warning at 80%, and escalates once', async () => {
    await sleepUntil(nextLocal(await now(), PARIS, 'Fri', 17));
    const { ticket } = await openTicket(desk.env.client, desk.taskQueue, p2());
    expect(ticket.priority).toBe('P2');
    expect(localLabel(Date.parse(ticket.sla.responseDue!), PARIS)).toBe('Mon 12:00'); // 1 h Friday + 3 h Monday
    expect(localLabel(Date.parse(ticket.sla.resolutionDue!), PARIS)).toBe('Wed 17:00'); // 1 + 9 + 9 + 8 business hours

    await sleepUntil(Date.parse(ticket.sla.responseDue!) + 30 * MIN);
    const [warning] = await events(ticket.id, 'sla_warning');
    const breaches = await events(ticket.id, 'sla_breached');
    expect(localLabel(Date.parse(warning!.at), PARIS)).toBe('Mon 11:12'); // 80% of 4 h = 3 h 12 min of business time
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.data).toMatchObject({ clock: 'response' });
    expect(Math.abs(Date.parse(breaches[0]!.at) - Date.parse(ticket.sla.responseDue!))).toBeLessThan(1000);

    const escalations = await events(ticket.id, 'escalated');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.data).toMatchObject({ automatic: true, from: { group: 'network-l1', tier: 1 }, to: { group: 'network-l2', agent: 'carl', tier: 2 } });
    const escalated = await stored(ticket.id);
    expect(escalated).toMatchObject({ tier: 2, assignment: { group: 'network-l2', agent: 'carl' }, sla: { responseBreached: true, resolutionBreached: false } });
    const attributes = (await desk.env.client.workflow.getHandle(ticketWorkflowId(ticket.id)).describe()).typedSearchAttributes;
    expect(attributes.get(SlaBreached)).toBe(true);
    const told = (await notificationsOf(desk.db, ticket.id)).filter((n) => n.kind === 'sla_warning' || n.kind === 'sla_breached').map((n) => `${n.kind}:${n.to.type}`).sort();
    expect(told).toEqual(['sla_breached:agent', 'sla_breached:supervisors', 'sla_warning:agent', 'sla_warning:supervisors']);
  });

  it('stops the resolution clock while waiting on the customer and keeps the paused time exactly', async () => {
    await sleepUntil(nextLocal(await now(), PARIS, 'Mon', 10));
    const { ticket } = await openTicket(desk.env.client, desk.taskQueue, p2());
    await desk.env.sleep(30 * MIN);
    await change(desk.env.client, ticket.id, addComment, { actor: agentOf(ticket), body: 'Please send the client log', visibility: 'public' });
    await sleepUntil(nextLocal(await now(), PARIS, 'Mon', 12));
    await change(desk.env.client, ticket.id, changeStatus, { actor: agentOf(ticket), status: 'waiting_on_customer' });

    await sleepUntil(nextLocal(await now(), PARIS, 'Tue', 16));
    expect((await stored(ticket.id)).sla).toMatchObject({ paused: true, resolutionDue: null });

    await sleepUntil(nextLocal(await now(), PARIS, 'Wed', 15));
    const { ticket: resumed } = await change(desk.env.client, ticket.id, addComment, { actor: people.alice, body: 'Here is the log', visibility: 'public' });
    expect(resumed.status).toBe('in_progress');
    // Paused Mon 12–18, Tue 9–18, Wed 9–15: 6 + 9 + 6 = 21 business hours (give or take the real
    // milliseconds the test server's clock runs between two requests).
    expect(resumed.sla.paused).toBe(false);
    expect(Math.abs(resumed.sla.pausedMs - 21 * HOUR)).toBeLessThan(1000);
    // 27 h target + 21 h paused = 48 business hours from Mon 10:00 → Mon 13:00 a week later.
    const due = Date.parse(resumed.sla.resolutionDue!);
    expect(localLabel(due, PARIS)).toBe('Mon 13:00');
    expect(due - Date.parse(ticket.createdAt)).toBeGreaterThan(6 * 24 * HOUR);

    await sleepUntil(due + MIN);
    const breach = (await events(ticket.id, 'sla_breached')).filter((e) => e.data.clock === 'resolution');
    expect(breach).toHaveLength(1);
    expect(Math.abs(Date.parse(breach[0]!.at) - due)).toBeLessThan(1000);
    expect((await events(ticket.id, 'sla_breached')).filter((e) => e.data.clock === 'response')).toHaveLength(0);
  });

  it('cancels the response clock when an agent replies in time: no warning, no breach', async () => {
    await sleepUntil(nextLocal(await now(), PARIS, 'Mon', 10));
    const { ticket } = await openTicket(desk.env.client, desk.taskQueue, p2());
    await desk.env.sleep(2 * HOUR);
    await change(desk.env.client, ticket.id, addComment, { actor: agentOf(ticket), body: 'Working on it', visibility: 'public' });
    await desk.env.sleep(24 * HOUR);
    expect(await events(ticket.id, 'sla_warning')).toHaveLength(0);
    expect(await events(ticket.id, 'sla_breached')).toHaveLength(0);
    expect((await stored(ticket.id)).sla.firstRespondedAt).not.toBeNull();
  });

  it('recomputes deadlines from creation when a supervisor overrides the priority', async () => {
    // On a Saturday, so only a clock counting around the clock gives the P1 deadlines below.
    await sleepUntil(nextLocal(await now(), PARIS, 'Sat', 10));
    const { ticket } = await openTicket(desk.env.client, desk.taskQueue, vpnIntake({ impact: 'minor', urgency: 'low' }));
    expect(ticket.priority).toBe('P3');
    await desk.env.sleep(90 * MIN);
    const { ticket: raised } = await change(desk.env.client, ticket.id, overridePriority, { actor: people.sam, priority: 'P1', reason: 'the CFO cannot work' });
    const created = Date.parse(ticket.createdAt);
    // P1 counts around the clock: 1 h to respond (already passed), 1 day to resolve.
    expect(Date.parse(raised.sla.responseDue!) - created).toBe(HOUR);
    expect(Date.parse(raised.sla.resolutionDue!) - created).toBe(24 * HOUR);
    await desk.env.sleep(MIN);
    const breaches = await events(ticket.id, 'sla_breached');
    expect(breaches.map((e) => e.data.clock)).toEqual(['response']);
    expect((await events(ticket.id, 'priority_changed'))[0]!.data).toMatchObject({ from: { priority: 'P3' }, to: { priority: 'P1' }, reason: 'the CFO cannot work' });
  });

  it('reminds the assignee of a P1 when no public update was posted within 2 hours', async () => {
    await sleepUntil(nextLocal(await now(), PARIS, 'Wed', 10)); // a working morning, whatever day the suite runs
    const { ticket } = await openTicket(desk.env.client, desk.taskQueue, vpnIntake());
    expect(ticket.priority).toBe('P1');
    await desk.env.sleep(10 * MIN);
    await change(desk.env.client, ticket.id, addComment, { actor: agentOf(ticket), body: 'Investigating', visibility: 'public' });
    const repliedAt = await now();
    await desk.env.sleep(2 * HOUR + 5 * MIN);
    const reminders = await events(ticket.id, 'progress_reminder');
    expect(reminders).toHaveLength(1);
    expect(Math.abs(Date.parse(reminders[0]!.at) - (repliedAt + 2 * HOUR))).toBeLessThan(1000);
    const note = (await notificationsOf(desk.db, ticket.id)).find((n) => n.kind === 'progress_reminder');
    expect(note!.to).toEqual({ type: 'agent', id: ticket.assignment.agent });
  });

  it('escalates an untriaged ticket after the triage target and tells the supervisors', async () => {
    await sleepUntil(nextLocal(await now(), PARIS, 'Wed', 10)); // a working morning, whatever day the suite runs
    const { ticket } = await openTicket(desk.env.client, desk.taskQueue, vpnIntake({ productLine: 'payments', title: 'Refund stuck', description: 'Refund not received' }));
    expect(ticket.status).toBe('triage');
    await desk.env.sleep(31 * MIN);
    expect(await events(ticket.id, 'triage_overdue')).toHaveLength(1);
    expect(await stored(ticket.id)).toMatchObject({ status: 'assigned', tier: 2, assignment: { group: 'service-desk', agent: 'gus' } });
    const notified = (await notificationsOf(desk.db, ticket.id)).filter((n) => n.kind === 'triage_overdue');
    expect(notified.map((n) => n.to)).toEqual([{ type: 'supervisors' }]);
  });

  it('keeps the policy a ticket started with when the policy is edited; new tickets get the new one', async () => {
    await sleepUntil(nextLocal(await now(), PARIS, 'Tue', 10));
    const before = (await openTicket(desk.env.client, desk.taskQueue, p2())).ticket;
    const config = new DeskConfigStore(desk.db.models);
    const [policy] = await config.slaPolicies();
    await config.replaceSlaPolicies([{ ...policy!, targets: { ...policy!.targets, P2: { ...policy!.targets.P2, responseMs: HOUR } } }]);
    const after = (await openTicket(desk.env.client, desk.taskQueue, p2())).ticket;
    expect(Date.parse(before.sla.responseDue!) - Date.parse(before.createdAt)).toBe(4 * HOUR);
    expect(Date.parse(after.sla.responseDue!) - Date.parse(after.createdAt)).toBe(HOUR);
    const [started] = await events(before.id, 'sla_started');
    expect(started!.data).toMatchObject({ policyId: 'test-standard', note: expect.stringContaining('later edits') });
    await desk.env.sleep(2 * HOUR);
    expect((await events(before.id, 'sla_breached')).length).toBe(0);
    expect((await events(after.id, 'sla_breached')).length).toBe(1);
  });
});
