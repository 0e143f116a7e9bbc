// Flat in volume (issue 14): on a busy day, a KPI write and a dispatch cost what they cost on a quiet one. A thousand
// tickets open on one day into one group through the store's write path and the change relay, as intake records
// them; command monitoring and the stored documents show what the last ones cost against the first ones. On the
// local MongoDB-wire server an update's cost follows the size of the document it rewrites (SPEC §18), so that size
// is the measure; `npm run bench -- flat` times the same writes.
import { BSON, type CommandSucceededEvent } from 'mongodb';
import mongoose from 'mongoose';
import { openTicket } from '../../domain/intake';
import { ConsoleSender } from '../../platform/notifier';
import { seedDemoDesk } from '../../stack/seed';
import { AgentLoadStore } from '../../store/agent-load';
import { DeskConfigStore } from '../../store/desk-config';
import { Dispatcher } from '../../store/dispatcher';
import { BUCKET_SIZE, KpiBuckets } from '../../store/kpis';
import { bindModels } from '../../store/models';
import { TicketStore } from '../../store/tickets';
import { changeRelay } from '../../worker/change-relay';
import { openTestDatabase, silentLogger, testServers } from '../helpers/desk';

const TICKETS = 1_000;
const WINDOW = 150;

it('writes KPI facts into documents as small late in the day as early, and dispatches with the same reads', async () => {
  const db = await openTestDatabase('flat-volume');
  // The same database through a connection whose commands are watched.
  const watched = await mongoose.createConnection(`${testServers().mongoUrl}/${db.connection.name}`, { autoIndex: false, monitorCommands: true }).asPromise();
  const replies: Array<{ command: string; bytes: number }> = [];
  watched.getClient().on('commandSucceeded', (e: CommandSucceededEvent) => replies.push({ command: e.commandName, bytes: BSON.calculateObjectSize(e.reply as object) }));
  const models = bindModels(watched);
  const relay = changeRelay(db, new ConsoleSender(silentLogger), silentLogger, { intervalMs: 20 });
  try {
    await seedDemoDesk(db);
    relay.start();
    const tickets = new TicketStore(db.models);
    const buckets = new KpiBuckets();
    const config = new DeskConfigStore(db.models);
    const day = new Date().toISOString().slice(0, 10);
    const dispatchCost: Array<{ commands: number; bytes: number }> = [];
    const bucketOf: string[] = [];

    for (let i = 0; i < TICKETS; i++) {
      const ticket = openTicket({ id: `FLAT${String(i).padStart(6, '0')}`, title: 'Switch port flaps', description: 'Up and down', channel: 'portal', productLine: 'network', problemType: 'incident', fields: {}, attachments: [], requester: { id: 'flat' } }, `${day}T09:00:00.000Z`);
      // A dispatch as the worker's first of the day makes it: it reads the agents' loads.
      const seen = replies.length;
      const outcome = await new Dispatcher(config, new AgentLoadStore(models)).dispatch({ ticket, at: ticket.createdAt });
      dispatchCost.push({ commands: replies.length - seen, bytes: replies.slice(seen).reduce((sum, r) => sum + r.bytes, 0) });
      if (outcome.kind !== 'assigned' || !outcome.agent) throw new Error('network L1 should take it');
      Object.assign(ticket, { status: 'assigned', assignment: { group: outcome.group, agent: outcome.agent }, version: 1 });
      const bucket = buckets.next(ticket.createdAt);
      bucketOf.push(bucket);
      await tickets.record({ ticket, events: [], notifications: [], load: { claim: [outcome.agent] }, kpi: { bucket, backlogChanged: true } });
    }
    await until(async () => !(await tickets.changes.anyPending()) && (await db.models.RelayLease.findById('changes').lean())?.finished === true);

    // Every fact is in the ledger, and no bucket holds more than BUCKET_SIZE of them.
    const days = await db.models.KpiDay.find().lean();
    expect(days.reduce((n, d) => n + Object.keys(d.facts).length, 0)).toBe(TICKETS);
    expect(Math.max(...days.map((d) => Object.keys(d.facts).length))).toBeLessThanOrEqual(BUCKET_SIZE);
    // The documents the last tickets' KPI writes rewrote are no larger than those of the first ones.
    const sizeOf = new Map(days.map((d) => [d._id, BSON.calculateObjectSize(d)]));
    const largest = (ids: string[]) => Math.max(...ids.map((id) => sizeOf.get(id)!));
    expect(largest(bucketOf.slice(-WINDOW))).toBeLessThanOrEqual(largest(bucketOf.slice(0, WINDOW)) * 1.2);

    // A dispatch reads the same documents of the same size, however many tickets the group's agents hold.
    // The first few dispatches find no counters yet (nothing folded): the early window starts after them.
    const early = dispatchCost.slice(10, 10 + WINDOW);
    const late = dispatchCost.slice(-WINDOW);
    expect(new Set([...early, ...late].map((c) => c.commands))).toEqual(new Set([early[0]!.commands]));
    const mean = (costs: typeof early) => costs.reduce((sum, c) => sum + c.bytes, 0) / costs.length;
    expect(mean(late)).toBeLessThanOrEqual(mean(early) * 1.2);
    // …and those agents' counters add up to every ticket, one small document each.
    const loads = await db.models.AgentLoad.find().lean();
    expect(loads.reduce((n, l) => n + l.openCount, 0)).toBe(TICKETS);
    expect(Math.max(...loads.map((l) => BSON.calculateObjectSize(l)))).toBeLessThan(200);
  } finally {
    await relay.stop();
    await watched.close();
    await db.connection.dropDatabase();
    await db.close();
  }
}, 300_000);

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
