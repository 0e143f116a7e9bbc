// How many open tickets each agent holds (SPEC §6), for dispatch. Changes say which agents they claim and release;
// the change relay folds those into one small document per agent, once per relay batch (guarded by the batch
// number, so a batch redone after a crash folds nothing twice). No document lists tickets: each is a counter.
import type { AgentLoadDocument, ChangeDocument, Models } from './models';
import { bulkUpdate } from './bulk';

/** Marks the move from lists of open tickets to counters (migrateOpenLists). */
export const LOAD_COUNTS = 'agent-load-counts';

export class AgentLoadStore {
  constructor(private readonly models: Models) {}

  /** Every agent's load: one small document per agent, however many tickets they hold. */
  async all(): Promise<AgentLoadDocument[]> {
    return (await this.models.AgentLoad.collection.find({}).toArray()) as unknown as AgentLoadDocument[];
  }

  async of(agent: string): Promise<number> {
    const doc = (await this.models.AgentLoad.collection.findOne({ _id: agent as never })) as unknown as AgentLoadDocument | null;
    return doc?.openCount ?? 0;
  }

  /** Folds the claims and releases of a relay batch's changes: one update per agent touched, none twice. */
  async fold(batch: number, changes: Array<Pick<ChangeDocument, 'at' | 'load'>>): Promise<void> {
    const deltas = new Map<string, { delta: number; lastAssignedAt: string | null }>();
    for (const { at, load } of changes) {
      for (const agent of load.release) {
        const d = deltas.get(agent) ?? { delta: 0, lastAssignedAt: null };
        deltas.set(agent, { ...d, delta: d.delta - 1 });
      }
      for (const agent of load.claim) {
        const d = deltas.get(agent) ?? { delta: 0, lastAssignedAt: null };
        deltas.set(agent, { delta: d.delta + 1, lastAssignedAt: d.lastAssignedAt && d.lastAssignedAt > at ? d.lastAssignedAt : at });
      }
    }
    const ops = [...deltas].map(([agent, { delta, lastAssignedAt }]) => ({
      updateOne: {
        // An agent already at this batch (or later) has it folded in: the upsert then collides, and that is done.
        filter: { _id: agent, batch: { $lt: batch } },
        update: { $inc: { openCount: delta }, $set: { batch, ...(lastAssignedAt ? { lastAssignedAt } : {}) } },
        upsert: true,
      },
    }));
    await bulkUpdate(this.models.AgentLoad.collection, ops, { duplicatesMeanDone: true });
  }

  /** Turns the lists of open tickets agents held before counters into counters; idempotent, once per database. */
  async migrateOpenLists(): Promise<number> {
    const versions = this.models.Version.collection;
    if (await versions.findOne({ _id: LOAD_COUNTS as never })) return 0;
    let changed = 0;
    for (const doc of await this.models.AgentLoad.collection.find({ open: { $exists: true } }).toArray()) {
      const open = Array.isArray(doc.open) ? (doc.open as unknown[]).length : 0;
      await this.models.AgentLoad.collection.updateOne({ _id: doc._id }, { $set: { openCount: open, batch: 0 }, $unset: { open: '', version: '' } });
      changed++;
    }
    await versions.updateOne({ _id: LOAD_COUNTS as never }, { $set: { version: 1 } }, { upsert: true });
    return changed;
  }
}
