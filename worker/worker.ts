// The ticket worker: the workflow code and its activities on one task queue.
import type { PayloadCodec } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type BundleOptions, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { WorkerTuning } from '../platform/config';
import { FAILURE_CONVERTER_PATH, ticketDataConverter } from '../platform/payload-codec';

export interface TicketWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** The payload codec (platform/payload-codec.ts) its clients use too; null only where a test runs without one. */
  codec: PayloadCodec | null;
  /** Prebuilt workflow bundle (tests build it once, with bundleTicketWorkflows); the worker bundles workflows/ itself otherwise. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: WorkerTuning;
}

export function createTicketWorker({ connection, namespace, taskQueue, deps, codec, workflowBundle, tuning = {} }: TicketWorkerOptions): Promise<Worker> {
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
    dataConverter: ticketDataConverter(codec),
    activities: createActivities(deps),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}

/** The workflow code as the worker bundles it (its failure converter included), for those who build it once. */
export function bundleTicketWorkflows(logger?: BundleOptions['logger']) {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), failureConverterPath: FAILURE_CONVERTER_PATH, ...(logger ? { logger } : {}) });
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
