// `npm run record-histories`: runs the main ticket lifecycles on a private stack with the current workflow
// code, its payloads encrypted as in production, and saves their histories under tests/replay/encrypted/ with
// the payload keys they need (tests/replay/keys.ts). The replay test then proves every later version of the
// workflow can still replay them (see README, "Replay safety"); tests/replay/histories/ keeps those recorded
// before payload encryption, which replay through the codec's pass-through.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection, type Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { suggestedPolicy } from '../../domain/sla/policy';
import { ticketWorkflowId, type TicketIntake } from '../../domain/ticket';
import { connectDatabase, syncIndexes } from '../../platform/mongo';
import { payloadCodec } from '../../platform/payload-codec';
import { masterKeysOf } from '../../platform/payload-keys';
import { temporalClient } from '../../platform/temporal';
import { PayloadKeyStore } from '../../store/keys';
import { DeskConfigStore } from '../../store/desk-config';
import { KnowledgeStore } from '../../store/knowledge';
import { demoArticles, demoRoutingRules, demoSlaPolicies } from '../../stack/demo-desk';
import { seedDemoDesk } from '../../stack/seed';
import { activityDeps } from '../../worker/deps';
import { bundleTicketWorkflows, createTicketWorker } from '../../worker/worker';
import {
  acceptSuggestion,
  addCollaborator,
  addComment,
  assignTicket,
  cancelTicket,
  changeStatus,
  confirmResolution,
  escalateTicket,
  fileReview,
  overridePriority,
  rejectResolution,
  resolveTicket,
  submitCsat,
  type DeskSettings,
} from '../../workflows/definitions';
import { benchServers, givenServers } from '../../bench/stack';
import { toolPaths } from '../../stack/tools';
import { vpnIntake } from '../helpers/fixtures';
import { change, openTicket, people } from '../helpers/workflow';
import { ENCRYPTED_DIR, REPLAY_MASTER_KEY, saveReplayKeys } from './keys';

const SHORT: DeskSettings = { confirmationWindowMs: 3_000, surveyWindowMs: 2_000, reviewWindowDays: 1 };
const resolution = { summary: 'Raised the idle timeout', rootCause: 'Concentrator idle timeout', steps: 'Set it to 8 h' };

type Variant = (client: Client, taskQueue: string) => Promise<string>;

const variants: Record<string, Variant> = {
  // intake → reply → waiting → customer reply → resolve (new knowledge) → confirm → survey → review
  'happy-path-p1': async (client, tq) => {
    const { ticket } = await openTicket(client, tq, vpnIntake(), SHORT);
    const agent = { id: ticket.assignment.agent!, role: 'agent' as const };
    await change(client, ticket.id, addComment, { actor: agent, body: 'Looking into it', visibility: 'public' });
    await change(client, ticket.id, changeStatus, { actor: agent, status: 'waiting_on_customer', reason: 'need the log' });
    await change(client, ticket.id, addComment, { actor: people.alice, body: 'log attached', visibility: 'public' });
    await change(client, ticket.id, resolveTicket, { actor: agent, ...resolution, newKnowledge: true });
    await change(client, ticket.id, confirmResolution, { actor: people.alice });
    await change(client, ticket.id, submitCsat, { actor: people.alice, score: 5, comment: 'great' });
    await change(client, ticket.id, fileReview, { actor: people.sam, rootCause: 'timeout', timelineSummary: 'one day', actions: [{ description: 'raise timeout', owner: 'carl', dueDate: '2026-12-31' }], lessons: 'monitor' });
    return ticket.id;
  },
  // rejection reopens; second resolution links an article; the window closes it; the survey expires
  'reject-then-auto-close': async (client, tq) => {
    const { ticket } = await openTicket(client, tq, vpnIntake({ impact: 'moderate', urgency: 'medium' }), SHORT);
    const agent = { id: ticket.assignment.agent!, role: 'agent' as const };
    await change(client, ticket.id, resolveTicket, { actor: agent, ...resolution, newKnowledge: true });
    await change(client, ticket.id, rejectResolution, { actor: people.alice, reason: 'still drops' });
    await change(client, ticket.id, resolveTicket, { actor: agent, ...resolution, kbArticleId: 'KB-DEMO-VPN' });
    return ticket.id;
  },
  // triage → supervisor assigns → transfer → escalation by hand → collaborator → priority override → cancel
  'triage-escalate-cancel': async (client, tq) => {
    const { ticket } = await openTicket(client, tq, vpnIntake({ productLine: 'payments', title: 'Card payments fail', description: 'Declined for all' }), SHORT);
    await change(client, ticket.id, assignTicket, { actor: people.sam, group: 'network-l1', reason: 'network issue after all' });
    await change(client, ticket.id, assignTicket, { actor: { id: 'ann', role: 'agent' }, group: 'billing-l1', reason: 'billing after all' });
    await change(client, ticket.id, escalateTicket, { actor: { id: 'eve', role: 'agent' }, reason: 'needs a specialist' });
    await change(client, ticket.id, addCollaborator, { actor: { id: 'fay', role: 'agent' }, agent: 'ann' });
    await change(client, ticket.id, overridePriority, { actor: people.sam, priority: 'P0', reason: 'all customers affected' });
    await change(client, ticket.id, cancelTicket, { actor: people.sam, reason: 'duplicate' });
    return ticket.id;
  },
  // the known-issue suggestion solves it: self-service
  'self-service': async (client, tq) => {
    const { ticket } = await openTicket(client, tq, vpnIntake({ impact: 'minor', urgency: 'low' }), SHORT);
    await change(client, ticket.id, acceptSuggestion, { actor: people.alice, articleId: ticket.suggestions[0]!.articleId });
    return ticket.id;
  },
  // seconds-long SLA: warning, breach and automatic escalation, progress reminder
  'sla-breach': async (client, tq) => {
    const { ticket } = await openTicket(client, tq, vpnIntake({ productLine: 'fastlane' } as Partial<TicketIntake>), SHORT);
    await new Promise((r) => setTimeout(r, 5_000));
    await change(client, ticket.id, cancelTicket, { actor: people.sam, reason: 'test over' });
    return ticket.id;
  },
};

async function main(): Promise<void> {
  const servers = givenServers() ?? (await benchServers('dev'));
  const db = await connectDatabase(`${servers.mongoBase}/record_histories`);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const codec = payloadCodec(masterKeysOf(REPLAY_MASTER_KEY), db.connection.db!);
  const client = temporalClient(connection, codec);
  const native = await NativeConnection.connect({ address: servers.temporalAddress });
  try {
    await db.connection.dropDatabase();
    await syncIndexes(db);
    // The demo desk plus a seconds-long "fastlane" policy, so SLA breaches happen while recording.
    await seedDemoDesk(db);
    const desk = new DeskConfigStore(db.models);
    await desk.replaceRoutingRules([{ id: 'fastlane', name: 'Fast lane', match: { productLines: ['fastlane'] }, target: 'network-l1', skills: [] }, ...demoRoutingRules]);
    const fast = suggestedPolicy('fastlane', 'Seconds-long policy', 'fastlane', 'paris-office');
    fast.targets.P1 = { responseMs: 1_000, resolutionMs: 2_000, calendarId: null };
    fast.progressCadenceMs = { P1: 1_500 };
    await desk.replaceSlaPolicies([...demoSlaPolicies, fast]);
    await new KnowledgeStore(db.models).put(demoArticles);

    const taskQueue = `record-${Date.now()}`;
    const worker = await createTicketWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      deps: activityDeps(db, pino({ level: 'silent' })),
      codec,
      workflowBundle: await bundleTicketWorkflows(),
    });
    await worker.runUntil(async () => {
      for (const [name, run] of Object.entries(variants)) {
        const id = await run(client, taskQueue);
        const handle = client.workflow.getHandle(ticketWorkflowId(id));
        await handle.result();
        // The CLI writes the canonical JSON form, the one the Temporal UI downloads and replay reads.
        const shown = spawnSync(toolPaths.temporal, ['workflow', 'show', '--address', servers.temporalAddress, '-w', ticketWorkflowId(id), '-o', 'json'], { encoding: 'utf8' });
        if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
        writeFileSync(path.join(ENCRYPTED_DIR, `${name}.json`), shown.stdout);
        console.log(`recorded ${name} (${id})`);
      }
    });
    // The database was emptied before recording: its keys are exactly those these histories need.
    const keys = [];
    for await (const set of new PayloadKeyStore(db.connection.db!).all()) keys.push(set);
    saveReplayKeys(keys.sort((a, b) => a.owner.localeCompare(b.owner)));
  } finally {
    await native.close();
    await connection.close();
    await db.close();
    await servers.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
