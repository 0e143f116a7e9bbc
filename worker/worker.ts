// The ticket worker: the workflow code and its activities on one task queue.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { WorkerTuning } from '../platform/config';

export interface TicketWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Prebuilt workflow bundle (tests build it once); the worker bundles workflows/ itself otherwise. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: WorkerTuning;
}

export function createTicketWorker({ connection, namespace, taskQueue, deps, workflowBundle, tuning = {} }: TicketWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    // Only the settings given; the SDK's defaults otherwise.
    ...defined({
      maxCachedWorkflows: tuning.maxCachedWorkflows,
      maxConcurrentWorkflowTaskPolls: tuning.workflowTaskPollers,
      maxConcurrentActivityTaskPolls: tuning.activityTaskPollers,
      maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
    }),
    activities: createActivities(deps),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
