// The confirmation window (SPEC §10) with its real default length, 3 days, on Temporal's time-skipping
// test server: a reminder halfway, then closure if the requester never answers.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { ticketWorkflowId } from '../../domain/ticket';
import type { Database } from '../../platform/mongo';
import { registerSearchAttributes } from '../../stack/register-search-attributes';
import { activityDeps } from '../../worker/deps';
import { DEFAULT_SETTINGS, resolveTicket } from '../../workflows/definitions';
import { notificationsOf, openTestDatabase, seedDemoDesk, silentLogger, testServers, timelineOf } from '../helpers/desk';
import { vpnIntake } from '../helpers/fixtures';
import { change, openTicket } from '../helpers/workflow';

let env: TestWorkflowEnvironment;
let db: Database;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'confirmation-window';

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServers().timeSkippingServer } } });
  await registerSearchAttributes(env.connection.options.address, env.namespace ?? 'default');
  db = await openTestDatabase('confirmation-window');
  await seedDemoDesk(db);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testServers().workflowBundle },
    activities: createActivities(activityDeps(db, silentLogger)),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await db?.connection.dropDatabase();
  await db?.close();
  await env?.teardown();
});

const DAY = 24 * 3600 * 1000;

it('reminds the requester after 1.5 days and closes the ticket after 3 days without an answer', async () => {
  const { ticket } = await openTicket(env.client, taskQueue, vpnIntake(), DEFAULT_SETTINGS);
  const resolvedAt = await env.currentTimeMs();
  await change(env.client, ticket.id, resolveTicket, {
    actor: { id: ticket.assignment.agent!, role: 'agent' },
    summary: 'Raised the idle timeout',
    rootCause: 'Idle timeout',
    steps: 'Changed the setting',
    newKnowledge: true,
  });

  await env.sleep(1.5 * DAY + 60_000);
  const reminded = (await timelineOf(db, ticket.id)).find((e) => e.type === 'confirmation_reminder');
  expect(reminded).not.toBeNull();
  expect(Date.parse(reminded!.at) - resolvedAt).toBeGreaterThanOrEqual(1.5 * DAY);
  expect((await db.models.Ticket.findById(ticket.id).lean())!.status).toBe('resolved');

  const final = await env.client.workflow.getHandle(ticketWorkflowId(ticket.id)).result();
  expect(final.status).toBe('closed');
  const closedAfter = Date.parse(final.closedAt!) - resolvedAt;
  expect(closedAfter).toBeGreaterThanOrEqual(3 * DAY);
  expect(closedAfter).toBeLessThan(3 * DAY + 60_000);
  const closing = (await timelineOf(db, ticket.id)).find((e) => e.type === 'status_changed' && e.data.to === 'closed');
  expect(closing).toMatchObject({ actor: { id: 'system' }, data: { reason: 'closed automatically: no answer within 3 d' } });
  const notified = (await notificationsOf(db, ticket.id)).map((n) => n.kind);
  expect(notified).toEqual(expect.arrayContaining(['resolved', 'confirmation_reminder', 'closed']));
});
