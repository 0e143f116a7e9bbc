// Change documents (one per recorded change of a ticket, store/models.ts ChangeDocument): the ticket's timeline is
// read from them, and the change relay (worker/change-relay.ts) takes the pending ones in batches: one updateMany
// marks a batch (the one row update each change gets), one find reads it back. Every query leads with an equality
// FerretDB pushes down (ticketId, relay), so none reads the whole collection however much it grows.
import type { TimelineEvent } from '../domain/timeline';
import { insertOnce } from './insert-once';
import type { ChangeDocument, Models } from './models';

/** Marks the migration of the former `timeline` collection into change documents (migrateTimeline). */
export const TIMELINE_MIGRATED = 'timeline-in-changes';

export class ChangeStore {
  /** Once the timeline migration is seen done, the former collection is never read again by this process. */
  private timelineMigrated = false;
  private migrationCheckedAt = 0;

  constructor(private readonly models: Models) {}

  private get changes() {
    return this.models.Change.collection;
  }

  /** Whether any change waits for the relay (one pushed-down read, at most one document). */
  async anyPending(): Promise<boolean> {
    return (await this.changes.findOne({ relay: 'pending' }, { projection: { _id: 1 } })) !== null;
  }

  /** Marks every pending change as taken by this relay batch; returns how many. */
  async claimPending(batch: number): Promise<number> {
    return (await this.changes.updateMany({ relay: 'pending' }, { $set: { relay: batch } })).modifiedCount;
  }

  /** The changes of one relay batch, oldest first. */
  async ofBatch(batch: number): Promise<ChangeDocument[]> {
    return (await this.changes.find({ relay: batch }).sort({ at: 1, _id: 1 }).toArray()) as unknown as ChangeDocument[];
  }

  /** Every change of a ticket, oldest first (what the relay delivered is in `relay`). */
  async ofTicket(ticketId: string): Promise<ChangeDocument[]> {
    return (await this.changes.find({ ticketId }).sort({ firstSeq: 1, _id: 1 }).toArray()) as unknown as ChangeDocument[];
  }

  /** A ticket's timeline after a sequence number, oldest first, as GET /tickets/{id}/timeline pages it. */
  async timeline(ticketId: string, { includeInternal, afterSeq, limit }: { includeInternal: boolean; afterSeq: number; limit: number }): Promise<TimelineEvent[]> {
    const docs = await this.changes.find({ ticketId, lastSeq: { $gt: afterSeq } }, { projection: { events: 1 } }).sort({ firstSeq: 1 }).toArray();
    let events = docs.flatMap((d) => d.events as TimelineEvent[]);
    if (!(await this.isTimelineMigrated())) events = mergeBySeq(events, await this.legacyTimeline(ticketId, afterSeq));
    return events.filter((e) => e.seq > afterSeq && (includeInternal || e.visibility === 'public')).slice(0, limit);
  }

  /**
   * Moves the former `timeline` collection into change documents, a ticket at a time (one pushed-down read each);
   * the events of one change (those stored at one instant) make one document. Idempotent (ids follow the first
   * event's seq, inserts skip what is there) and run once per database: a marker in `versions` says it is done.
   */
  async migrateTimeline(): Promise<number> {
    if (await this.isTimelineMigrated()) return 0;
    let moved = 0;
    for await (const { _id: ticketId } of this.models.Ticket.collection.find({}, { projection: { _id: 1 } })) {
      const events = await this.legacyTimeline(ticketId as unknown as string, 0);
      const groups: TimelineEvent[][] = [];
      for (const event of events) {
        const last = groups.at(-1);
        if (last && last[0]!.at === event.at) last.push(event);
        else groups.push([event]);
      }
      const docs = groups.map((group): ChangeDocument => ({
        _id: `${group[0]!.ticketId}:legacy:${group[0]!.seq}`,
        ticketId: group[0]!.ticketId,
        version: 0,
        at: group[0]!.at,
        firstSeq: group[0]!.seq,
        lastSeq: group.at(-1)!.seq,
        events: group,
        notifications: [],
        kpi: null,
        load: { claim: [], release: [] },
        // Delivered long ago, by the outbox it then had: the relay never takes these.
        relay: 0,
      }));
      for (let i = 0; i < docs.length; i += 100) await insertOnce(this.changes, docs.slice(i, i + 100));
      moved += events.length;
    }
    await this.models.Version.collection.updateOne({ _id: TIMELINE_MIGRATED as never }, { $set: { version: 1 } }, { upsert: true });
    this.timelineMigrated = true;
    return moved;
  }

  private async legacyTimeline(ticketId: string, afterSeq: number): Promise<TimelineEvent[]> {
    const docs = await this.models.Timeline.collection.find({ ticketId, seq: { $gt: afterSeq } }).sort({ seq: 1 }).toArray();
    return docs.map(({ _id, ...event }) => event as unknown as TimelineEvent);
  }

  /** Until the migration ran (the worker runs it at start), readers merge the former collection in. */
  private async isTimelineMigrated(): Promise<boolean> {
    if (this.timelineMigrated || Date.now() - this.migrationCheckedAt < 1_000) return this.timelineMigrated;
    this.migrationCheckedAt = Date.now();
    this.timelineMigrated = (await this.models.Version.collection.findOne({ _id: TIMELINE_MIGRATED as never })) !== null;
    return this.timelineMigrated;
  }
}

function mergeBySeq(a: TimelineEvent[], b: TimelineEvent[]): TimelineEvent[] {
  const bySeq = new Map([...b, ...a].map((e) => [e.seq, e]));
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}
