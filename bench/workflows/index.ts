// Baseline workflows for the benchmark: the same server doing (a) a bare workflow with three no-op activities,
// (b) a bare workflow shaped like a ticket lifecycle (its updates, local activities and timers) doing nothing,
// (c) a bare workflow that sleeps until an instant and then runs one no-op local activity (the SLA burst's baseline).
import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { BaselineActivities } from '../baseline-activities';

const remote = proxyActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });

export async function threeActivities(): Promise<void> {
  await remote.noop();
  await remote.noop();
  await remote.noop();
}

/** The steps of a benchmark lifecycle and the local activities the ticket workflow runs for each. */
export const LIFECYCLE_STEPS = { open: 4, comment: 1, resolve: 1, confirm: 2 } as const;
export type Step = keyof typeof LIFECYCLE_STEPS;
export const step = defineUpdate<number, [Step]>('step');

export async function bareLifecycle(): Promise<void> {
  let changes = 0;
  let done = false;
  setHandler(step, async (name) => {
    // Intake looks up three things at once, then records; the other steps record, confirm also captures knowledge.
    if (name === 'open') await Promise.all([local.noop(), local.noop(), local.noop()]);
    await local.noop();
    if (name === 'confirm') await local.noop();
    changes++;
    done = name === 'confirm';
    return changes;
  });
  // Like the ticket, it waits for the next change with a timer running (an SLA or window timer).
  while (!done) {
    const seen = changes;
    await condition(() => changes !== seen, '1 hour');
  }
}

/** Sleeps until `at` (epoch ms), runs one no-op local activity, and answers when that ran. */
export async function wakeAt(at: number): Promise<number> {
  await sleep(Math.max(1, at - Date.now()));
  return local.now();
}
