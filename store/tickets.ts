// Ticket records: the document, its timeline, its queued notifications and the agents' load.
// Activities write through here (one idempotent step per change); the API reads through here.
import type { Notification } from '../domain/notifications';
import type { Principal } from '../domain/roles';
import type { Ticket } from '../domain/ticket';
import type { TimelineEvent } from '../domain/timeline';
import { insertOnce, isDuplicateKey } from './insert-once';
import { KpiLedger } from './kpis';
import type { Models, TicketDocument } from './models';

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

    const { id, ...fields } = ticket;
    try {
      await this.models.Ticket.collection.updateOne({ _id: id as never, version: { $lt: ticket.version } }, { $set: fields }, { upsert: true });
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
      const { id, ...fields } = ticket;
      writes.push(this.models.Ticket.collection.updateOne({ _id: id as never, version: { $lte: ticket.version } }, { $set: fields }));
      writes.push(this.kpis.record(ticket, true));
    }
    await Promise.all(writes);
  }

  async findById(id: string): Promise<Ticket | null> {
    const doc = await this.models.Ticket.findById(id).lean<TicketDocument>();
    return doc ? toTicket(doc) : null;
  }

  /** Newest first; the cursor is the last item's (createdAt, id). */
  async list(filter: Record<string, unknown>, page: { limit: number; after?: { createdAt: string; id: string } }): Promise<Ticket[]> {
    const cursor = page.after
      ? { $or: [{ createdAt: { $lt: page.after.createdAt } }, { createdAt: page.after.createdAt, _id: { $lt: page.after.id } }] }
      : {};
    const docs = await this.models.Ticket.find({ $and: [filter, cursor] })
      .sort({ createdAt: -1, _id: -1 })
      .limit(page.limit)
      .lean<TicketDocument[]>();
    return docs.map(toTicket);
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

export function toTicket({ _id, ...rest }: TicketDocument): Ticket {
  return { id: _id, ...rest };
}

/** A notification as the outbox keeps it, waiting for the relay. */
export function queued({ id, ...notification }: Notification) {
  return { _id: id, ...notification, status: 'pending', attempts: 0, nextAttemptAt: notification.at, claimedAt: null, sentAt: null, lastError: null };
}
