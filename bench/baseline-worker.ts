// A worker for the baseline workflows, in a process of its own like the product's worker.
import { NativeConnection, Worker } from '@temporalio/worker';
import { baselineActivities } from './baseline-activities';

async function main(): Promise<void> {
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    workflowsPath: require.resolve('./workflows'),
    activities: baselineActivities,
  });
  console.log(JSON.stringify({ msg: 'worker ready' })); // the line launchApp waits for
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
