// What a worker brings up to date at start, before it takes any task: each step is idempotent and runs once per
// database (its marker in `versions`), so later starts cost one read per step.
//   1. ticket document keys (queues, access keys for who may see it): store/tickets.ts updateQueueKeys
//   2. the former `timeline` collection into change documents: store/changes.ts migrateTimeline
//   3. agents' open-ticket lists into counters: store/agent-load.ts migrateOpenLists
//   4. the KPI ledger into its bucket layout (facts and backlog by bucket): store/kpis.ts rebuild
// Notices still waiting in the former outbox need no step: the relay keeps sending what the outbox holds.
import { AgentLoadStore } from './agent-load';
import { ChangeStore } from './changes';
import { KpiLedger, LEDGER_LAYOUT } from './kpis';
import type { Models } from './models';
import { TicketStore } from './tickets';

export interface MigrationReport {
  ticketKeys: number;
  timelineEvents: number;
  agentLoads: number;
  kpiFacts: number;
}

export async function runMigrations(models: Models): Promise<MigrationReport> {
  const versions = models.Version.collection;
  const ticketKeys = await new TicketStore(models).updateQueueKeys();
  const timelineEvents = await new ChangeStore(models).migrateTimeline();
  const agentLoads = await new AgentLoadStore(models).migrateOpenLists();
  let kpiFacts = 0;
  if (!(await versions.findOne({ _id: LEDGER_LAYOUT as never }))) {
    kpiFacts = await new KpiLedger(models).rebuild();
    await versions.updateOne({ _id: LEDGER_LAYOUT as never }, { $set: { version: 1 } }, { upsert: true });
  }
  return { ticketKeys, timelineEvents, agentLoads, kpiFacts };
}
