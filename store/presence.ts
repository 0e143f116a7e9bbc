// Who else has a ticket open in the console: one document per ticket and person, refreshed by their console's
// heartbeat and deleted when their console leaves the ticket. A console that vanishes without saying so (a crash, a
// lost network) stops its heartbeats: FerretDB has no TTL indexes (SPEC §18), so an entry older than the TTL counts
// as gone when read, and writers delete such entries: those of the ticket they touch, and everyone's at most once a
// minute.
import type { Models, PresenceDocument } from './models';
import { isDuplicateKey } from './insert-once';

export type PresenceState = PresenceDocument['state'];

export interface Viewer {
  sub: string;
  name: string | null;
  role: string;
  state: PresenceState;
  /** When they entered this state on this ticket. */
  since: string;
}

const SWEEP_EVERY_MS = 60_000;

export class PresenceStore {
  private lastSweep = 0;

  constructor(
    private readonly models: Models,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Records that `who` has the ticket open (a heartbeat), and answers who else has. */
  async mark(ticketId: string, who: Omit<Viewer, 'since'>): Promise<Viewer[]> {
    const now = this.now();
    const at = new Date(now).toISOString();
    const cutoff = new Date(now - this.ttlMs).toISOString();
    const entries = await this.entries(ticketId);
    const own = entries.find((e) => e.sub === who.sub && e.at >= cutoff);
    const since = own?.state === who.state ? own.since : at;
    const doc: Omit<PresenceDocument, '_id'> = { ticketId, sub: who.sub, name: who.name, role: who.role, state: who.state, since, at };
    const key = { _id: `${ticketId}:${who.sub}` as never };
    try {
      await this.models.Presence.collection.updateOne(key, { $set: doc }, { upsert: true });
    } catch (err) {
      // Two heartbeats of one person raced to insert: the other one did, so this one updates it.
      if (!isDuplicateKey(err)) throw err;
      await this.models.Presence.collection.updateOne(key, { $set: doc });
    }
    await this.forget(ticketId, entries, cutoff, now);
    return this.others(entries, who.sub, cutoff);
  }

  /** `sub` closed the ticket: gone for everyone at once (nothing to do when they were not there). */
  async leave(ticketId: string, sub: string): Promise<void> {
    await this.models.Presence.collection.deleteOne({ _id: `${ticketId}:${sub}` as never });
  }

  /** Who has the ticket open, but `sub`. */
  async present(ticketId: string, sub: string): Promise<Viewer[]> {
    const cutoff = new Date(this.now() - this.ttlMs).toISOString();
    return this.others(await this.entries(ticketId), sub, cutoff);
  }

  private entries(ticketId: string): Promise<PresenceDocument[]> {
    return this.models.Presence.find({ ticketId }).lean<PresenceDocument[]>();
  }

  private others(entries: PresenceDocument[], sub: string, cutoff: string): Viewer[] {
    return entries
      .filter((e) => e.sub !== sub && e.at >= cutoff)
      .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.sub < b.sub ? -1 : 1))
      .map(({ sub: s, name, role, state, since }) => ({ sub: s, name, role, state, since }));
  }

  /** Deletes stale entries: everyone's once a minute per process, else this ticket's when it has some. */
  private async forget(ticketId: string, entries: PresenceDocument[], cutoff: string, now: number): Promise<void> {
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await this.models.Presence.collection.deleteMany({ at: { $lt: cutoff } });
    } else if (entries.some((e) => e.at < cutoff)) {
      await this.models.Presence.collection.deleteMany({ ticketId, at: { $lt: cutoff } });
    }
  }
}
