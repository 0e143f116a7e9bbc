// Ticket records: the ticket document and its changes (timeline events, notifications, KPI fact, agents' load in
// one change document, store/changes.ts). Activities write through here, one idempotent step per change; the API
// reads through here. Who may see what is the one rule of domain/roles.ts, applied to queries by access key.
import { accessOf, type Principal } from '../domain/roles';
import type { Notification } from '../domain/notifications';
import type { Ticket } from '../domain/ticket';
import type { TimelineEvent } from '../domain/timeline';
import { ChangeStore } from './changes';
import { documentKeys, documentOf, DOCUMENT_KEYS_VERSION, toTicket } from './documents';
import { insertOnce, isDuplicateKey } from './insert-once';
import { kpiEntryOf } from './kpis';
import type { ChangeDocument, Models, TicketDocument } from './models';
import { allOf, queueKeys, type Filter } from './queues';

export { documentOf, toTicket } from './documents';

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
  /** Where the ticket's KPI fact lives, and whether something the backlog KPIs read changed. */
  kpi: { bucket: string; backlogChanged: boolean };
}

/** A change the store failed: the ticket as it stands again (its version kept) and the version the change took. */
export interface DiscardedChange {
  ticket: Ticket;
  /** False for a failed intake: no ticket document is put back, there was none before. */
  recorded: boolean;
  /** The version the failed change gave the ticket (its change document's key). */
  version: number;
  kpiBucket: string | null;
}

export class TicketStore {
  readonly changes: ChangeStore;

  constructor(private readonly models: Models) {
    this.changes = new ChangeStore(models);
  }

  /**
   * One write step, idempotent so a retry or a replay never duplicates anything: the change document (keyed by
   * ticket and version, inserted once), then the ticket document, which never goes back to an older version. The
   * ticket is written last: its version says the whole change is stored. Answers the KPI bucket the change stored
   * (a retried intake finds the one its first attempt chose).
   */
  async record(change: TicketChange): Promise<{ kpiBucket: string }> {
    const doc = changeDocumentOf(change);
    let kpiBucket = change.kpi.bucket;
    try {
      await this.models.Change.collection.insertOne(doc as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const stored = await this.models.Change.collection.findOne({ _id: doc._id as never }, { projection: { kpi: 1 } });
      kpiBucket = (stored?.kpi as ChangeDocument['kpi'])?.bucket ?? kpiBucket;
    }
    const { _id, ...fields } = documentOf(change.ticket);
    try {
      await this.models.Ticket.collection.updateOne({ _id: _id as never, version: { $lt: change.ticket.version } }, { $set: { ...fields, kpiBucket } }, { upsert: true });
    } catch (err) {
      // This version or a newer one is already stored: the upsert collides with it on _id.
      if (!isDuplicateKey(err)) throw err;
    }
    return { kpiBucket };
  }

  /**
   * Takes back what a failed change may have written (idempotent). Its change document goes while the relay has not
   * taken it; one the relay already took keeps no events, and a compensating change puts back what it folded into
   * the KPIs and the agents' load. The ticket goes back at the failed version, so a late write of that change no
   * longer lands.
   */
  async discard({ ticket, recorded, version, kpiBucket }: DiscardedChange): Promise<void> {
    const changes = this.models.Change.collection;
    const id = `${ticket.id}:${version}`;
    const removed = await changes.deleteOne({ _id: id as never, relay: 'pending' });
    if (removed.deletedCount === 0) {
      const relayed = (await changes.findOne({ _id: id as never })) as unknown as ChangeDocument | null;
      if (relayed) {
        await changes.updateOne({ _id: id as never }, { $set: { events: [], firstSeq: 0, lastSeq: 0 } });
        const undo: ChangeDocument = {
          _id: `${id}:undo`,
          ticketId: ticket.id,
          version,
          at: new Date().toISOString(),
          firstSeq: 0,
          lastSeq: 0,
          events: [],
          notifications: [],
          kpi: recorded && kpiBucket ? kpiEntryOf(ticket, kpiBucket, true) : null,
          load: { claim: relayed.load.release, release: relayed.load.claim },
          relay: 'pending',
        };
        await insertOnce(changes, [undo]);
      }
    }
    if (recorded) {
      const { _id, ...fields } = documentOf(ticket);
      await this.models.Ticket.collection.updateOne({ _id: _id as never, version: { $lte: ticket.version } }, { $set: fields });
    }
  }

  async findById(id: string): Promise<Ticket | null> {
    // The driver, not Mongoose: every read of the API goes through here and the shape is fixed.
    const doc = (await this.models.Ticket.collection.findOne({ _id: id as never })) as unknown as TicketDocument | null;
    return doc ? toTicket(doc) : null;
  }

  /**
   * A page in the given order, after the cursor (see cursorOf); ties are broken by id. A filter with alternatives
   * (several access keys, statuses) runs as one query per alternative, each led by its equalities, merged here.
   */
  async list(filter: Filter, page: { limit: number; sort?: TicketSort; after?: TicketCursor }): Promise<Ticket[]> {
    const sort = page.sort ?? 'created';
    const after = page.after?.sort === sort ? page.after : undefined;
    let cursor: Filter = {};
    if (after?.sort === 'created') cursor = { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] };
    if (after?.sort === 'due') cursor = { $or: [{ dueAt: { $gt: after.dueAt } }, { dueAt: after.dueAt, _id: { $gt: after.id } }] };
    const order = sort === 'due' ? { dueAt: 1, _id: 1 } : { createdAt: -1, _id: -1 };
    const { rest, branches } = branchesOf(filter);
    const pages = await Promise.all(branches.map((branch) => this.models.Ticket.find(allOf(branch, rest, cursor)).sort(order as never).limit(page.limit).lean<TicketDocument[]>()));
    const seen = new Set<string>();
    const before = (a: TicketDocument, b: TicketDocument) =>
      sort === 'due' ? ((a.dueAt ?? '') !== (b.dueAt ?? '') ? ((a.dueAt ?? '') < (b.dueAt ?? '') ? -1 : 1) : a._id < b._id ? -1 : 1) : a.createdAt !== b.createdAt ? (a.createdAt > b.createdAt ? -1 : 1) : a._id > b._id ? -1 : 1;
    return pages
      .flat()
      .sort(before)
      .filter((d) => !seen.has(d._id) && seen.add(d._id))
      .slice(0, page.limit)
      .map(toTicket);
  }

  /** How many tickets match; a ticket several branches admit (two of the caller's access keys) counts once. */
  async count(filter: Filter): Promise<number> {
    const { rest, branches } = branchesOf(filter);
    const counts = await Promise.all(branches.map((branch, i) => this.models.Ticket.countDocuments(allOf(branch, rest, ...(i > 0 ? [{ $nor: branches.slice(0, i) }] : [])))));
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Brings every ticket's document keys (queues, access) up to DOCUMENT_KEYS_VERSION (tickets stored before them, or
   * under an older definition); returns how many it changed. Once per database: a marker in `versions` says it is
   * done, so later starts cost one read instead of reading every ticket.
   */
  async updateQueueKeys(): Promise<number> {
    const versions = this.models.Version.collection;
    const marker = await versions.findOne({ _id: QUEUE_KEYS_MARKER as never });
    if (((marker?.version as number | undefined) ?? 0) >= DOCUMENT_KEYS_VERSION) return 0;
    let changed = 0;
    for await (const doc of this.models.Ticket.find().lean<TicketDocument>().cursor()) {
      const keys = documentKeys(toTicket(doc));
      if (doc.dueAt === keys.dueAt && JSON.stringify(doc.queueFlags) === JSON.stringify(keys.queueFlags) && JSON.stringify(doc.access) === JSON.stringify(keys.access)) continue;
      // Guarded by the version, so a change stored meanwhile (with its own keys) is left alone.
      await this.models.Ticket.collection.updateOne({ _id: doc._id as never, version: doc.version }, { $set: keys });
      changed++;
    }
    await versions.updateOne({ _id: QUEUE_KEYS_MARKER as never }, { $set: { version: DOCUMENT_KEYS_VERSION } }, { upsert: true });
    return changed;
  }

  /** The ticket's event log after a sequence number, oldest first. */
  timeline(ticketId: string, options: { includeInternal: boolean; afterSeq: number; limit: number }): Promise<TimelineEvent[]> {
    return this.changes.timeline(ticketId, options);
  }
}

/** The change document of a change: what the relay delivers and folds, and the timeline reads. */
export function changeDocumentOf({ ticket, events, notifications, load, kpi }: TicketChange): ChangeDocument {
  return {
    _id: `${ticket.id}:${ticket.version}`,
    ticketId: ticket.id,
    version: ticket.version,
    at: ticket.updatedAt,
    firstSeq: events[0]?.seq ?? 0,
    lastSeq: events.at(-1)?.seq ?? 0,
    events,
    notifications,
    kpi: kpiEntryOf(ticket, kpi.bucket, kpi.backlogChanged),
    load: { claim: load?.claim ?? [], release: load?.release ?? [] },
    relay: 'pending',
  };
}

/** The MongoDB filter for the tickets this caller may see (domain/roles.ts): one access key, or any of several. */
export function visibleTo(who: Principal): Filter {
  const access = accessOf(who);
  if (access.kind === 'all') return {};
  // A key no ticket has: pushed down, it finds nothing at once.
  if (access.kind === 'none') return { access: 'none:' };
  return access.keys.length === 1 ? { access: access.keys[0] } : { $or: access.keys.map((key) => ({ access: key })) };
}

/** At most this many queries for one list or count; alternatives beyond stay one filter FerretDB applies itself. */
const MAX_BRANCHES = 24;

/**
 * Splits a filter's alternatives of plain equalities (`$or` of access keys from visibleTo, of statuses, of groups)
 * into one query each, led by equalities FerretDB pushes down, instead of an `$or` or `$in` it would test on every
 * document of a collection that grows (SPEC §18). Several such alternatives multiply (an agent's keys × statuses).
 */
function branchesOf(filter: Filter): { rest: Filter; branches: Filter[] } {
  const { $and, $or, ...top } = filter as Filter & { $and?: Filter[]; $or?: Filter[] };
  const rest: Filter[] = [];
  let branches: Filter[] = [{}];
  for (const clause of [...($or ? [{ $or }] : []), ...($and ?? [])]) {
    const alternatives = equalitiesOf(clause);
    if (!alternatives || branches.length * alternatives.length > MAX_BRANCHES) {
      rest.push(clause);
      continue;
    }
    // A branch asking one field for two values admits nothing: it is left out.
    branches = branches.flatMap((b) => alternatives.filter((a) => Object.entries(a).every(([k, v]) => !(k in b) || b[k] === v)).map((a) => ({ ...b, ...a })));
  }
  return { rest: { ...top, ...(rest.length ? { $and: rest } : {}) }, branches };
}

/** The alternatives of an `$or` (nested ones flattened) when each is plain equalities; null otherwise. */
function equalitiesOf(clause: Filter): Filter[] | null {
  const entries = Object.entries(clause);
  if (entries.length !== 1 || entries[0]![0] !== '$or' || !Array.isArray(entries[0]![1])) return null;
  const out: Filter[] = [];
  for (const alternative of entries[0]![1] as Filter[]) {
    const nested = equalitiesOf(alternative);
    if (nested) out.push(...nested);
    else if (Object.entries(alternative).every(([k, v]) => !k.startsWith('$') && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))) out.push(alternative);
    else return null;
  }
  return out;
}

export function cursorOf(ticket: Ticket, sort: TicketSort): TicketCursor {
  return sort === 'due' ? { sort, dueAt: queueKeys(ticket).dueAt, id: ticket.id } : { sort, createdAt: ticket.createdAt, id: ticket.id };
}
