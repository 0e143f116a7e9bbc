// The KPI ledger (SPEC §13): one encoded fact per ticket, folded in by the change relay from the changes it takes
// (worker/change-relay.ts), coalesced per bucket once a batch, off the hot path. A bucket holds the facts of at
// most BUCKET_SIZE tickets created on one day, so writing a fact costs the same on a busy day as on a quiet one
// (on the local MongoDB-wire server an update costs more as its document grows, SPEC §18); a period's tickets are
// still few reads. Buckets are handed out per process (KpiBuckets) and a ticket keeps its bucket for life.
import { randomBytes } from 'node:crypto';
import { decodeFact, encodeFact, factOf, isBacklog, legacyKpiBucketOf, type KpiDimension, type KpiTicket } from '../domain/kpis';
import { CHANNELS, PRIORITIES, type Ticket } from '../domain/ticket';
import { bulkUpdate } from './bulk';
import type { DeskConfigStore } from './desk-config';
import { toTicket } from './documents';
import type { Models, TicketDocument } from './models';

/** Facts per bucket: a bucket of this size updates in a few milliseconds here. */
export const BUCKET_SIZE = 100;
/** Marks the rebuild that moved the backlog into per-bucket documents (migrations). */
export const LEDGER_LAYOUT = 'kpi-ledger-buckets';

const DAY = 86_400_000;
const dayOf = (iso: string) => iso.slice(0, 10);

/** Hands out buckets to new tickets: this process fills one of its own per day, BUCKET_SIZE tickets at a time. */
export class KpiBuckets {
  private readonly tag = randomBytes(3).toString('hex');
  private readonly days = new Map<string, { n: number; used: number }>();

  next(createdAt: string): string {
    const day = dayOf(createdAt);
    let current = this.days.get(day);
    if (!current || current.used >= BUCKET_SIZE) this.days.set(day, (current = { n: (current?.n ?? -1) + 1, used: 0 }));
    current.used++;
    // Only the last few days still get tickets.
    if (this.days.size > 3) this.days.delete(this.days.keys().next().value!);
    return `${day}#${this.tag}-${String(current.n).padStart(4, '0')}`;
  }
}

/** One change's KPI fact, as the relay folds it in. */
export interface KpiEntry {
  ticketId: string;
  bucket: string;
  fact: string;
  /** The ticket is open (in the backlog) after the change. */
  open: boolean;
  /** Something the backlog reads changed, so its entry is written (or removed). */
  backlogChanged: boolean;
}

export class KpiLedger {
  constructor(private readonly models: Models) {}

  /**
   * Folds facts in, idempotently (each sets a ticket's fact to what the change says): the last fact of each ticket
   * wins, and each bucket is written once, a bulk write of at most BULK_CHUNK buckets per command.
   */
  async fold(entries: KpiEntry[]): Promise<void> {
    const latest = new Map<string, KpiEntry>();
    for (const entry of entries) {
      const before = latest.get(entry.ticketId);
      latest.set(entry.ticketId, { ...entry, backlogChanged: entry.backlogChanged || (before?.backlogChanged ?? false) });
    }
    const days = new Map<string, Record<string, string>>();
    const backlog = new Map<string, { set: Record<string, string>; unset: Record<string, ''> }>();
    for (const e of latest.values()) {
      (days.get(e.bucket) ?? days.set(e.bucket, {}).get(e.bucket)!)[`facts.${e.ticketId}`] = e.fact;
      if (!e.backlogChanged) continue;
      const entry = backlog.get(e.bucket) ?? backlog.set(e.bucket, { set: {}, unset: {} }).get(e.bucket)!;
      if (e.open) entry.set[`facts.${e.ticketId}`] = e.fact;
      else entry.unset[`facts.${e.ticketId}`] = '';
    }
    await Promise.all([
      bulkUpdate(this.models.KpiDay.collection, [...days].map(([_id, set]) => ({ updateOne: { filter: { _id }, update: { $set: set }, upsert: true } }))),
      bulkUpdate(
        this.models.KpiBacklog.collection,
        [...backlog].map(([_id, { set, unset }]) => {
          const update = { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) };
          return { updateOne: { filter: { _id }, update, upsert: Object.keys(set).length > 0 } };
        }),
      ),
    ]);
  }

  async created(from: string, to: string): Promise<KpiTicket[]> {
    // A ticket created just after midnight may sit in a bucket handed out on the day before.
    const first = dayOf(new Date(Date.parse(from) - DAY).toISOString());
    const days = await this.models.KpiDay.find({ _id: { $gte: first, $lte: `${dayOf(to)}#~` } }).lean();
    return days.flatMap((d) => Object.values(d.facts ?? {}).map(decodeFact)).filter((f) => f.createdAt >= from && f.createdAt < to);
  }

  async backlog(): Promise<KpiTicket[]> {
    const buckets = await this.models.KpiBacklog.find().lean();
    return buckets.flatMap((s) => Object.values(s.facts ?? {}).map(decodeFact));
  }

  /** Rebuilds the whole ledger from the tickets (after an import, a change to what facts hold, or a new layout). */
  async rebuild(): Promise<number> {
    const days = new Map<string, Record<string, string>>();
    const backlog = new Map<string, Record<string, string>>();
    let count = 0;
    for await (const doc of this.models.Ticket.find().lean<TicketDocument>().cursor()) {
      const ticket = toTicket(doc);
      const bucket = doc.kpiBucket ?? legacyKpiBucketOf(ticket);
      const fact = encodeFact(factOf(ticket));
      entry(days, bucket)[ticket.id] = fact;
      if (isBacklog(ticket.status)) entry(backlog, bucket)[ticket.id] = fact;
      count++;
    }
    await this.models.KpiDay.deleteMany({});
    await this.models.KpiBacklog.deleteMany({});
    const insert = async (collection: Models['KpiDay'], buckets: Map<string, Record<string, string>>) => {
      const docs = [...buckets].map(([_id, facts]) => ({ _id, facts }));
      for (let i = 0; i < docs.length; i += 200) await collection.insertMany(docs.slice(i, i + 200));
    };
    await insert(this.models.KpiDay, days);
    await insert(this.models.KpiBacklog, backlog);
    return count;
  }
}

/** The ledger entry a ticket's change carries: its fact, where it lives, whether the backlog must hear of it. */
export function kpiEntryOf(ticket: Ticket, bucket: string, backlogChanged: boolean): Omit<KpiEntry, 'ticketId'> {
  return { bucket, fact: encodeFact(factOf(ticket)), open: isBacklog(ticket.status), backlogChanged };
}

function entry(map: Map<string, Record<string, string>>, key: string): Record<string, string> {
  let value = map.get(key);
  if (!value) map.set(key, (value = {}));
  return value;
}

/** Every key a dimension can take, so groups without tickets still show (with zeros). */
export async function dimensionKeys(config: DeskConfigStore, dimension: KpiDimension): Promise<string[]> {
  switch (dimension) {
    case 'priority':
      return [...PRIORITIES];
    case 'channel':
      return [...CHANNELS];
    case 'group':
      return (await config.groups()).map((g) => g.id);
    case 'agent':
      return (await config.agents()).map((a) => a.id);
    case 'productLine': {
      const lines = [...(await config.slaPolicies()).map((p) => p.productLine), ...(await config.routingRules()).flatMap((r) => r.match.productLines ?? [])];
      return [...new Set(lines.filter((l): l is string => l !== null))].sort();
    }
  }
}
