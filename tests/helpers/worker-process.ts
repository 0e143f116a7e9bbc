// A ticket worker in a process of its own, so a test can kill it with SIGKILL like a crashed machine.
// With HANG_AFTER_ESCALATION=1 it performs an escalation's dispatch (picking the agent) and
// then never finishes the activity: the crash lands between the SLA timer and the recorded change.
// With HANG_IN_ERASURE=1 it anonymises an erasure's first ticket and hangs in the second: the crash lands halfway.
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../platform/config';
import { connectDatabase } from '../../platform/mongo';
import { masterKeysFrom, payloadCodec } from '../../platform/payload-codec';
import { AgentLoadStore } from '../../store/agent-load';
import { Dispatcher, type DispatchOutcome, type DispatchRequest } from '../../store/dispatcher';
import { temporalClient } from '../../platform/temporal';
import type { Ticket } from '../../domain/ticket';
import type { Identifiers } from '../../domain/privacy';
import { PrivacyStore } from '../../store/privacy';
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

class HangingPrivacy extends PrivacyStore {
  private anonymised = 0;

  override async anonymiseTicket(ticket: Ticket, who: Identifiers | null): Promise<void> {
    if (++this.anonymised === 2) {
      console.log('erasure-halfway');
      await new Promise(() => undefined);
    }
    return super.anonymiseTicket(ticket, who);
  }
}

async function main(): Promise<void> {
  const db = await connectDatabase(process.env.MONGODB_URI!);
  const codec = payloadCodec(masterKeysFrom(loadConfig()), db.connection.db!);
  const client = temporalClient(await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }), codec);
  const base = activityDeps(db, pino({ level: 'silent' }), { client, codec });
  const deps = process.env.HANG_IN_ERASURE === '1' ? { ...base, privacy: { ...base.privacy!, store: new HangingPrivacy(db.models, db.connection.db!) } } : base;
  const dispatcher = process.env.HANG_AFTER_ESCALATION === '1' ? new HangingDispatcher(deps.deskConfig, new AgentLoadStore(db.models)) : deps.dispatcher;
  const worker = await createTicketWorker({
    connection: await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    namespace: 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    deps: { ...deps, dispatcher },
    codec,
    workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
  });
  console.log('worker ready');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
