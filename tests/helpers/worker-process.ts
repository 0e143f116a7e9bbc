// A ticket worker in a process of its own, so a test can kill it with SIGKILL like a crashed machine.
// With HANG_AFTER_ESCALATION=1 it performs an escalation's dispatch (picking the agent) and
// then never finishes the activity: the crash lands between the SLA timer and the recorded change.
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../platform/config';
import { connectDatabase } from '../../platform/mongo';
import { masterKeysFrom, payloadCodec } from '../../platform/payload-codec';
import { AgentLoadStore } from '../../store/agent-load';
import { Dispatcher, type DispatchOutcome, type DispatchRequest } from '../../store/dispatcher';
import { activityDeps } from '../../worker/deps';
import { createTicketWorker } from '../../worker/worker';
import pino from 'pino';

class HangingDispatcher extends Dispatcher {
  override async dispatch(request: DispatchRequest): Promise<DispatchOutcome> {
    const outcome = await super.dispatch(request);
    if (request.escalate) {
      console.log('escalation-dispatched');
      await new Promise(() => undefined);
    }
    return outcome;
  }
}

async function main(): Promise<void> {
  const db = await connectDatabase(process.env.MONGODB_URI!);
  const deps = activityDeps(db, pino({ level: 'silent' }));
  const dispatcher = process.env.HANG_AFTER_ESCALATION === '1' ? new HangingDispatcher(deps.deskConfig, new AgentLoadStore(db.models)) : deps.dispatcher;
  const worker = await createTicketWorker({
    connection: await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    namespace: 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    deps: { ...deps, dispatcher },
    codec: payloadCodec(masterKeysFrom(loadConfig()), db.connection.db!),
    workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
  });
  console.log('worker ready');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
