// The Temporal Schedule that applies the retention policy once a day (README, "Privacy"): created when a worker
// starts, or brought up to date when it exists, so every start leaves exactly one schedule per task queue.
import { ScheduleAlreadyRunning, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { RETENTION_WORKFLOW } from '../workflows/definitions';

export const retentionScheduleId = (taskQueue: string) => `retention-${taskQueue}`;

export async function ensureRetentionSchedule(client: Client, taskQueue: string): Promise<string> {
  const scheduleId = retentionScheduleId(taskQueue);
  // Daily at 03:00 UTC, away from the desk's busy hours; the workflow reads the policy when it runs.
  const spec: ScheduleSpec = { calendars: [{ hour: 3, minute: 0, comment: 'retention policy, daily' }] };
  const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType: RETENTION_WORKFLOW, workflowId: scheduleId, taskQueue, args: [{}] };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: 'SKIP', catchupWindow: '1 day' } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, overlap: 'SKIP', catchupWindow: '1 day' } }));
  }
  return scheduleId;
}
