// Ticket records: the document, its timeline, its queued notifications and the agents' load.
// Activities write through here (one idempotent step per change); the API reads through here.
import type { Notification } from '../domain/notifications';
import type { Principal } from '../domain/roles';
import type { Ticket } from '../domain/ticket';
import type { TimelineEvent } from '../domain/timeline';
import { insertOnce, isDuplicateKey } from './insert-once';
import { KpiLedger } from './kpis';
import type { Models, TicketDocument } from './models';
import { allOf, queueKeys, QUEUE_KEYS_VERSION, type Filter } from './queues';

const QUEUE_KEYS_MARKER = 'ticket-queue-keys';

/** Newest first (`created`), or the nearest running SLA deadline first (`due`). */
export type TicketSort = 'created' | 'due';
/** Where a page ends: the last ticket's sort key and id. */
export type TicketCursor = { sort: 'created'; createdAt: string; id: string } | { sort: 'due'; dueAt: string; id: string };

/** One state change of a ticket: the ticket as it now stands and everything that goes with it. */
export interface TicketChange {
  ticket: Ticket;
  events: TimelineEvent[];
  notifications: Notification[];
  /** Agents whose open-ticket load this change ends or (re)starts. */
  load?: { release?: string[]; claim?: string[] };
  /** False when nothing the backlog KPIs read changed (status, priority, assignment): the write is skipped. */
  backlogChanged?: boolean;
}

/** A change the store failed: what it may have written, and the ticket as it stands again (its version kept). */
export interface DiscardedChange {
  ticket: Ticket;
  /** False for a failed intake: no ticket document or KPI fact is put back, there was none before. */
  recorded: boolean;
  /** The timeline sequence numbers the change took: after `afterSeq`, up to `lastSeq`. */
  afterSeq: number;
  lastSeq: number;
  notifications: string[];
  /** Agents the change released: they hold the ticket again. */
  rehold: string[];
  /** Agents the change (or its dispatch) gave the ticket to: they no longer do. */
  unclaim: string[];
}

export class TicketStore {
  private readonly kpis: KpiLedger;

  constructor(private readonly models: Models) {
    this.kpis = new KpiLedger(models);
  }

  /**
   * Idempotent, so a retry or a replay never duplicates anything: events and notifications are keyed by
   * ticket and sequence, load changes are set operations, and a ticket never goes back to an older version.
   * The ticket document is written last: its version says the whole change is stored.
   */
  async record({ ticket, events, notifications, load, backlogChanged }: TicketChange): Promise<void> {
    const writes: Promise<unknown>[] = [
      insertOnce(this.models.Timeline.collection, events.map((event) => ({ _id: `${event.ticketId}:${event.seq}`, ...event }))),
      insertOnce(this.models.Outbox.collection, notifications.map(queued)),
      this.kpis.record(ticket, backlogChanged ?? true),
    ];
    // The hot path writes through the driver: Mongoose's casting costs CPU and the shapes are fixed here.
    const agents = this.models.AgentLoad.collection;
    for (const agent of load?.release ?? []) {
      writes.push(agents.updateOne({ _id: agent as never }, { $pull: { open: ticket.id as never }, $inc: { version: 1 } }));
    }
    await Promise.all(writes);
    // Claims after releases, so handing a ticket back to the same agent ends with it counted.
    for (const agent of load?.claim ?? []) {
      await agents.updateOne({ _id: agent as never }, { $addToSet: { open: ticket.id as never }, $set: { lastAssignedAt: ticket.updatedAt }, $inc: { version: 1 } }, { upsert: true });
    }

    const { _id, ...fields } = documentOf(ticket);
    try {
      await this.models.Ticket.collection.updateOne({ _id: _id as never, version: { $lt: ticket.version } }, { $set: fields }, { upsert: true });
    } catch (err) {
      // This version or a newer one is already stored: the upsert collides with it on _id.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** Takes back what a failed change may have written (idempotent). The ticket goes back at the failed version,
   *  so a late write of that change no longer lands. */
  async discard({ ticket, recorded, afterSeq, lastSeq, notifications, rehold, unclaim }: DiscardedChange): Promise<void> {
    const writes: Promise<unknown>[] = [];
    if (lastSeq > afterSeq) writes.push(this.models.Timeline.collection.deleteMany({ ticketId: ticket.id, seq: { $gt: afterSeq, $lte: lastSeq } }));
    // A notification the relay already claimed may be on its way: only those still waiting are taken back.
    if (notifications.length) writes.push(this.models.Outbox.collection.deleteMany({ ticketId: ticket.id, status: 'pending', _id: { $in: notifications as never[] } }));
    const agents = this.models.AgentLoad.collection;
    for (const agent of unclaim) writes.push(agents.updateOne({ _id: agent as never }, { $pull: { open: ticket.id as never }, $inc: { version: 1 } }));
    for (const agent of rehold) writes.push(agents.updateOne({ _id: agent as never }, { $addToSet: { open: ticket.id as never }, $inc: { version: 1 } }));
    if (recorded) {
      const { _id, ...fields } = documentOf(ticket);
      writes.push(this.models.Ticket.collection.updateOne({ _id: _id as never, version: { $lte: ticket.version } }, { $set: fields }));
      writes.push(this.kpis.record(ticket, true));
    }
    await Promise.all(writes);
  }

  async findById(id: string): Promise<Ticket | null> {
    const doc = await this.models.Ticket.findById(id).lean<TicketDocument>();
    return doc ? toTicket(doc) : null;
  }

  /** A page in the given order, after the cursor (see cursorOf); ties are broken by id. */
  async list(filter: Filter, page: { limit: number; sort?: TicketSort; after?: TicketCursor }): Promise<Ticket[]> {
    const sort = page.sort ?? 'created';
    const after = page.after?.sort === sort ? page.after : undefined;
    let cursor: Filter = {};
    if (after?.sort === 'created') cursor = { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] };
    if (after?.sort === 'due') cursor = { $or: [{ dueAt: { $gt: after.dueAt } }, { dueAt: after.dueAt, _id: { $gt: after.id } }] };
    const docs = await this.models.Ticket.find(allOf(filter, cursor))
      .sort(sort === 'due' ? { dueAt: 1, _id: 1 } : { createdAt: -1, _id: -1 })
      .limit(page.limit)
      .lean<TicketDocument[]>();
    return docs.map(toTicket);
  }

  count(filter: Filter): Promise<number> {
    return this.models.Ticket.countDocuments(filter);
  }

  /**
   * Brings every ticket's queue keys up to the current QUEUE_KEYS_VERSION (tickets stored before them, or under an
   * older definition); returns how many it changed. Once per database: a marker in `versions` says it is done,
   * so later starts cost one read instead of reading every ticket.
   */
  async updateQueueKeys(): Promise<number> {
    const versions = this.models.Version.collection;
    const marker = await versions.findOne({ _id: QUEUE_KEYS_MARKER as never });
    if (((marker?.version as number | undefined) ?? 0) >= QUEUE_KEYS_VERSION) return 0;
    let changed = 0;
    for await (const doc of this.models.Ticket.find().lean<TicketDocument>().cursor()) {
      const keys = queueKeys(toTicket(doc));
      if (doc.dueAt === keys.dueAt && JSON.stringify(doc.queueFlags) === JSON.stringify(keys.queueFlags)) continue;
      // Guarded by the version, so a change stored meanwhile (with its own keys) is left alone.
      await this.models.Ticket.collection.updateOne({ _id: doc._id as never, version: doc.version }, { $set: keys });
      changed++;
    }
    await versions.updateOne({ _id: QUEUE_KEYS_MARKER as never }, { $set: { version: QUEUE_KEYS_VERSION } }, { upsert: true });
    return changed;
  }

  async timeline(ticketId: string, options: { includeInternal: boolean; afterSeq: number; limit: number }): Promise<TimelineEvent[]> {
    const docs = await this.models.Timeline.find({
      ticketId,
      seq: { $gt: options.afterSeq },
      ...(options.includeInternal ? {} : { visibility: 'public' }),
    })
      .sort({ seq: 1 })
      .limit(options.limit)
      .lean();
    return docs.map(({ _id, ...event }) => event);
  }
}

/** The MongoDB filter for the tickets `canViewTicket` lets this caller see (kept in step by the e2e tests). */
export function visibleTo(who: Principal): Record<string, unknown> {
  switch (who.role) {
    case 'supervisor':
    case 'admin':
      return {};
    case 'requester':
      return { $or: [{ 'requester.id': who.sub }, ...(who.email ? [{ 'requester.email': who.email.toLowerCase() }] : [])] };
    case 'agent':
      return { $or: [{ 'assignment.group': { $in: who.groups } }, { 'assignment.agent': who.sub }, { collaborators: who.sub }] };
    case 'gateway':
      return { _id: { $in: [] } };
  }
}

export function toTicket({ _id, queueFlags: _flags, dueAt: _dueAt, ...rest }: TicketDocument): Ticket {
  return { id: _id, ...rest };
}

/** The ticket as stored: keyed by its id, with the keys its queues filter and sort by. */
export function documentOf({ id, ...fields }: Ticket): Required<TicketDocument> {
  return { _id: id, ...fields, ...queueKeys({ id, ...fields }) };
}

export function cursorOf(ticket: Ticket, sort: TicketSort): TicketCursor {
  return sort === 'due' ? { sort, dueAt: queueKeys(ticket).dueAt, id: ticket.id } : { sort, createdAt: ticket.createdAt, id: ticket.id };
}

/** A notification as the outbox keeps it, waiting for the relay. */
export function queued({ id, ...notification }: Notification) {
  return { _id: id, ...notification, status: 'pending', attempts: 0, nextAttemptAt: notification.at, claimedAt: null, sentAt: null, lastError: null };
}
