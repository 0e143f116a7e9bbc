// The KPI ledger (SPEC §13): one encoded fact per ticket, kept by the same idempotent step that stores the
// ticket. Facts live in one document per creation day (a period's tickets are a few hundred reads) and, while
// the ticket is open, in one of 32 backlog shards. Reading 10,000 tickets this way takes tens of milliseconds
// on the local MongoDB-wire server, where reading the ticket documents themselves takes seconds.
import { decodeFact, encodeFact, factOf, isBacklog, type KpiDimension, type KpiTicket } from '../domain/kpis';
import { CHANNELS, PRIORITIES, type Ticket } from '../domain/ticket';
import type { DeskConfigStore } from './desk-config';
import type { Models, TicketDocument } from './models';
import { toTicket } from './tickets';

const dayOf = (iso: string) => iso.slice(0, 10);
// Four documents per day keep each update small; a year is still under 1,500 documents to read.
const dayBucketOf = (ticket: Ticket) => `${dayOf(ticket.createdAt)}#${ticket.id.charCodeAt(ticket.id.length - 1) % 4}`;
const shardOf = (ticketId: string) => `shard-${ticketId.charAt(0)}`;

export class KpiLedger {
  constructor(private readonly models: Models) {}

  /** Idempotent: sets the ticket's fact to what the ticket now says (in the backlog only when that changed). */
  async record(ticket: Ticket, backlogChanged = true): Promise<void> {
    const fact = encodeFact(factOf(ticket));
    const field = `facts.${ticket.id}`;
    const writes = [this.models.KpiDay.collection.updateOne({ _id: dayBucketOf(ticket) as never }, { $set: { [field]: fact } }, { upsert: true })];
    if (backlogChanged) {
      const shard = { _id: shardOf(ticket.id) as never };
      const shards = this.models.KpiBacklog.collection;
      writes.push(isBacklog(ticket.status) ? shards.updateOne(shard, { $set: { [field]: fact } }, { upsert: true }) : shards.updateOne(shard, { $unset: { [field]: '' } }));
    }
    await Promise.all(writes);
  }

  async created(from: string, to: string): Promise<KpiTicket[]> {
    const days = await this.models.KpiDay.find({ _id: { $gte: dayOf(from), $lte: `${dayOf(to)}#~` } }).lean();
    return days.flatMap((d) => Object.values(d.facts ?? {}).map(decodeFact)).filter((f) => f.createdAt >= from && f.createdAt < to);
  }

  async backlog(): Promise<KpiTicket[]> {
    const shards = await this.models.KpiBacklog.find().lean();
    return shards.flatMap((s) => Object.values(s.facts ?? {}).map(decodeFact));
  }

  /** Rebuilds the whole ledger from the tickets (after an import, or a change to what facts hold). */
  async rebuild(): Promise<number> {
    const days = new Map<string, Record<string, string>>();
    const shards = new Map<string, Record<string, string>>();
    let count = 0;
    for await (const doc of this.models.Ticket.find().lean<TicketDocument>().cursor()) {
      const ticket = toTicket(doc);
      const fact = encodeFact(factOf(ticket));
      entry(days, dayBucketOf(ticket))[ticket.id] = fact;
      if (isBacklog(ticket.status)) entry(shards, shardOf(ticket.id))[ticket.id] = fact;
      count++;
    }
    await this.models.KpiDay.deleteMany({});
    await this.models.KpiBacklog.deleteMany({});
    if (days.size) await this.models.KpiDay.insertMany([...days].map(([_id, facts]) => ({ _id, facts })));
    if (shards.size) await this.models.KpiBacklog.insertMany([...shards].map(([_id, facts]) => ({ _id, facts })));
    return count;
  }
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
