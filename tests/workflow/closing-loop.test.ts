// The closing loop (SPEC §12) with its real windows on the time-skipping test server: the survey stays open
// 7 days; P0/P1 and breached tickets owe a post-incident review within 5 business days, with daily reminders.
import { ticketWorkflowId } from '../../domain/ticket';
import { confirmResolution, fileReview, resolveTicket, submitCsat } from '../../workflows/definitions';
import { notificationsOf, timelineOf } from '../helpers/desk';
import { vpnIntake } from '../helpers/fixtures';
import { localLabel, nextLocal, startSkippingDesk, type SkippingDesk } from '../helpers/time-skipping';
import { change, openTicket, people } from '../helpers/workflow';

const PARIS = 'Europe/Paris';
const DAY = 86_400_000;

let desk: SkippingDesk;
beforeAll(async () => {
  desk = await startSkippingDesk('closing');
});
afterAll(() => desk?.close());

const now = () => desk.env.currentTimeMs();
const events = async (id: string, type: string) => (await timelineOf(desk.db, id)).filter((e) => e.type === type);

async function openAndClose(intake = vpnIntake()) {
  const { ticket } = await openTicket(desk.env.client, desk.taskQueue, intake);
  const agent = { id: ticket.assignment.agent!, role: 'agent' as const };
  await change(desk.env.client, ticket.id, resolveTicket, { actor: agent, summary: 'Fixed', rootCause: 'Cause', steps: 'Steps', newKnowledge: true });
  const { ticket: closed } = await change(desk.env.client, ticket.id, confirmResolution, { actor: people.alice });
  return closed;
}

it('records an unanswered survey as expired after 7 days, then ends the workflow', async () => {
  const closed = await openAndClose(vpnIntake({ impact: 'moderate', urgency: 'medium' })); // P2: no review owed
  expect(closed.closure).toMatchObject({ survey: { status: 'open' }, review: null });
  expect(Date.parse(closed.closure.survey!.closesAt) - Date.parse(closed.closedAt!)).toBe(7 * DAY);
  const final = await desk.env.client.workflow.getHandle(ticketWorkflowId(closed.id)).result();
  expect(final.closure.survey!.status).toBe('expired');
  const [expired] = await events(closed.id, 'survey_expired');
  expect(Date.parse(expired!.at) - Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(7 * DAY);
  expect(final.csat).toBeNull();
});

it('reminds supervisors each business day until the review is filed, and ends once survey and review are done', async () => {
  await desk.env.sleep(nextLocal(await now(), PARIS, 'Mon', 10) - (await now()));
  const closed = await openAndClose(); // P1
  expect(localLabel(Date.parse(closed.closure.review!.dueAt), PARIS)).toBe('Mon 10:00'); // 5 × 9 business hours later
  await desk.env.sleep(nextLocal(await now(), PARIS, 'Wed', 12) - (await now()));
  const reminders = await events(closed.id, 'review_reminder');
  expect(reminders.map((r) => localLabel(Date.parse(r.at), PARIS))).toEqual(['Tue 10:00', 'Wed 10:00']);
  const notified = (await notificationsOf(desk.db, closed.id)).filter((n) => n.kind === 'review_reminder');
  expect(notified.map((n) => n.to)).toEqual([{ type: 'supervisors' }, { type: 'supervisors' }]);

  const { ticket } = await change(desk.env.client, closed.id, fileReview, {
    actor: people.sam,
    rootCause: 'Concentrator idle timeout',
    timelineSummary: 'Hourly drops for 3 days',
    actions: [{ description: 'Raise timeout fleet-wide', owner: 'carl', dueDate: '2026-12-15' }],
    lessons: 'Alert on tunnel churn',
  });
  expect(ticket.closure.review).toMatchObject({ status: 'filed', filed: { filedBy: 'sam', actions: [{ owner: 'carl' }] } });
  await change(desk.env.client, closed.id, submitCsat, { actor: people.alice, score: 4, comment: 'fine' });
  const final = await desk.env.client.workflow.getHandle(ticketWorkflowId(closed.id)).result();
  expect(final.closure).toMatchObject({ survey: { status: 'answered' }, review: { status: 'filed' } });
  expect(await events(closed.id, 'review_reminder')).toHaveLength(2);
  expect((await notificationsOf(desk.db, closed.id)).filter((n) => n.kind === 'review_action' && 'id' in n.to && n.to.id === 'carl')).toHaveLength(1);
});

it('marks a review nobody filed as overdue at its due time and tells the supervisors', async () => {
  const closed = await openAndClose();
  const final = await desk.env.client.workflow.getHandle(ticketWorkflowId(closed.id)).result();
  expect(final.closure.review!.status).toBe('overdue');
  const [overdue] = await events(closed.id, 'review_overdue');
  expect(Math.abs(Date.parse(overdue!.at) - Date.parse(closed.closure.review!.dueAt))).toBeLessThan(1000);
  expect((await notificationsOf(desk.db, closed.id)).filter((n) => n.kind === 'review_overdue')).toHaveLength(1);
  expect((await events(closed.id, 'review_reminder')).length).toBeGreaterThanOrEqual(4);
});
