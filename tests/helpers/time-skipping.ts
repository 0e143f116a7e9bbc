// A desk on Temporal's time-skipping test server (SPEC §18): days of SLA time pass in milliseconds.
// The worker's activities use the real MongoDB-wire server, like everywhere else.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { suggestedPolicy } from '../../domain/sla/policy';
import type { Database } from '../../platform/mongo';
import { registerSearchAttributes } from '../../stack/register-search-attributes';
import { DeskConfigStore } from '../../store/desk-config';
import { activityDeps } from '../../worker/deps';
import { openTestDatabase, seedDemoDesk, silentLogger, testServers } from './desk';
import { TEST_OFFICE } from './fixtures';

export interface SkippingDesk {
  env: TestWorkflowEnvironment;
  db: Database;
  taskQueue: string;
  close(): Promise<void>;
}

export async function startSkippingDesk(label: string): Promise<SkippingDesk> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServers().timeSkippingServer } } });
  await registerSearchAttributes(env.connection.options.address, 'default');
  const db = await openTestDatabase(label);
  await seedDemoDesk(db);
  const config = new DeskConfigStore(db.models);
  await config.replaceCalendars([TEST_OFFICE]);
  await config.replaceSlaPolicies([{ ...suggestedPolicy('test-standard', 'Test standard', null, TEST_OFFICE.id), triage: { targetMs: 30 * 60_000, escalateTo: 'service-desk' } }]);
  const taskQueue = `ts-${label}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testServers().workflowBundle },
    activities: createActivities(activityDeps(db, silentLogger)),
  });
  const running = worker.run();
  return {
    env,
    db,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await db.connection.dropDatabase();
      await db.close();
      await env.teardown();
    },
  };
}

/** The next instant at the given local weekday and time in a zone (e.g. the coming Friday 17:00 in Paris). */
export function nextLocal(from: number, timeZone: string, weekday: string, hour: number, minute = 0): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
  const start = Math.ceil(from / 60_000) * 60_000;
  for (let at = start; at < start + 8 * 86_400_000; at += 60_000) {
    const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
    if (p.weekday === weekday && Number(p.hour) === hour && Number(p.minute) === minute) return at;
  }
  throw new Error('no such local time within a week');
}

/** "Mon 12:00" in the zone, to compare instants with hand-computed local times. */
export function localLabel(at: number, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.weekday} ${p.hour}:${p.minute}`;
}
