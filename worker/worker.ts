// The ticket worker: the workflow code and its activities on one task queue.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface TicketWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Prebuilt workflow bundle (tests build it once); the worker bundles workflows/ itself otherwise. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createTicketWorker({ connection, namespace, taskQueue, deps, workflowBundle }: TicketWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities: createActivities(deps),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}
