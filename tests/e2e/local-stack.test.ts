// The local MongoDB-wire server must behave like MongoDB where the product depends on it: single-document
// writes are atomic under concurrency (FerretDB alone loses updates; stack/ferretdb/writelock.go fixes that).
import { MongoClient } from 'mongodb';
import { syntheticTickets } from '../../bench/kpis';
import { AgentLoadStore } from '../../store/agent-load';
import { bulkUpdate, BULK_CHUNK } from '../../store/bulk';
import { ChangeStore } from '../../store/changes';
import { documentOf } from '../../store/documents';
import { KpiLedger } from '../../store/kpis';
import type { ChangeDocument } from '../../store/models';
import { changeRelay } from '../../worker/change-relay';
import { openTestDatabase, silentLogger, testServers } from '../helpers/desk';

let client: MongoClient;
beforeAll(async () => {
  client = await MongoClient.connect(`${testServers().mongoUrl}/local_stack_atomicity`);
});
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

type Doc = { _id: string; n: number; tags: string[]; version: number; owner: string | null };

it('applies 100 concurrent updates of one document without losing any', async () => {
  const docs = client.db().collection<Doc>('counters');
  await docs.insertOne({ _id: 'c', n: 0, tags: [], version: 0, owner: null });
  await Promise.all(Array.from({ length: 100 }, (_, i) => docs.updateOne({ _id: 'c' }, { $inc: { n: 1 }, $addToSet: { tags: `t${i}` } })));
  const doc = await docs.findOne({ _id: 'c' });
  expect(doc!.n).toBe(100);
  expect(doc!.tags).toHaveLength(100);
});

it('lets exactly one of many concurrent compare-and-set updates win', async () => {
  const docs = client.db().collection<Doc>('cas');
  await docs.insertOne({ _id: 'c', n: 0, tags: [], version: 0, owner: null });
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => docs.updateOne({ _id: 'c', version: 0 }, { $set: { owner: `w${i}` }, $inc: { version: 1 } })));
  expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
  expect((await docs.findOne({ _id: 'c' }))!.version).toBe(1);
});

it('hands a queued item to exactly one of several concurrent claimers', async () => {
  const queue = client.db().collection<Doc>('queue');
  await queue.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `m${i}`, n: 0, tags: [], version: 0, owner: null })));
  const claims = await Promise.all(Array.from({ length: 60 }, (_, i) => queue.findOneAndUpdate({ owner: null }, { $set: { owner: `w${i}` } }, { returnDocument: 'after' })));
  const claimed = claims.filter((c) => c !== null).map((c) => c!._id);
  expect(claimed).toHaveLength(20);
  expect(new Set(claimed).size).toBe(20);
});

it('lets one agent hold hundreds of open tickets in a document that does not grow, folding each batch once', async () => {
  const db = await openTestDatabase('agent-load');
  try {
    const loads = new AgentLoadStore(db.models);
    const claim = (n: number) => ({ at: `2026-11-26T10:${String(n % 60).padStart(2, '0')}:00.000Z`, load: { claim: ['gus'], release: [] } });
    await loads.fold(1, [claim(0)]);
    const size = async () => JSON.stringify(await db.models.AgentLoad.findById('gus').lean()).length;
    const first = await size();
    for (let batch = 2; batch <= 40; batch++) await loads.fold(batch, Array.from({ length: 10 }, (_, i) => claim(batch * 10 + i)));
    // A batch folded again (a relay that took over redoes the last one) changes nothing.
    await loads.fold(40, Array.from({ length: 10 }, (_, i) => claim(i)));
    expect(await loads.of('gus')).toBe(391);
    // Its numbers gained a few digits; nothing in it lists tickets.
    expect(await size()).toBeLessThanOrEqual(first + 4);
  } finally {
    await db.connection.dropDatabase();
    await db.close();
  }
});

describe('what the product sends in bulk', () => {
  // FerretDB holds a pooled PostgreSQL connection per statement of a bulk write: 50 at once deadlock it (SPEC §18).
  it('sends bulk updates in chunks well below the deadlock, and they all apply', async () => {
    expect(BULK_CHUNK).toBeLessThanOrEqual(25);
    const db = await openTestDatabase('bulk-chunks');
    try {
      const ops = Array.from({ length: 120 }, (_, i) => ({ updateOne: { filter: { _id: `agent-${i}` }, update: { $inc: { openCount: 1 }, $set: { batch: 1 } }, upsert: true } }));
      await bulkUpdate(db.models.AgentLoad.collection, ops);
      expect(await db.models.AgentLoad.countDocuments({ batch: 1 })).toBe(120);
    } finally {
      await db.connection.dropDatabase();
      await db.close();
    }
  });

  it('relays a few thousand pending changes in one batch: delivered, folded into KPIs and loads, each marked once', async () => {
    const db = await openTestDatabase('relay-thousands');
    const sent: string[] = [];
    const relay = changeRelay(db, { send: async (n) => void sent.push(n.id) }, silentLogger, { intervalMs: 20 });
    try {
      const at = '2026-11-26T09:00:00.000Z';
      const changes = Array.from({ length: 3_000 }, (_, i): ChangeDocument => {
        const ticketId = `BULK${String(i).padStart(6, '0')}`;
        return {
          _id: `${ticketId}:1`,
          ticketId,
          version: 1,
          at,
          firstSeq: 1,
          lastSeq: 1,
          events: [{ ticketId, seq: 1, at, type: 'created', actor: { id: 'x', role: 'requester' }, visibility: 'public', data: {} }],
          notifications: [{ id: `${ticketId}:1:ticket_received:requester-x`, ticketId, kind: 'ticket_received', to: { type: 'requester', id: 'x' }, subject: 's', body: 'b', at }],
          kpi: { bucket: `2026-11-26#bulk-${String(Math.floor(i / 100)).padStart(4, '0')}`, fact: `["P3","x","${ticketId}"]`, open: true, backlogChanged: true },
          load: { claim: [`agent-${i % 7}`], release: [] },
          relay: 'pending',
        };
      });
      for (let i = 0; i < changes.length; i += 500) await db.models.Change.collection.insertMany(changes.slice(i, i + 500) as never[]);
      relay.start();
      await until(async () => (await db.models.RelayLease.findById('changes').lean())?.finished === true && !(await new ChangeStore(db.models).anyPending()));
      expect(new Set(sent).size).toBe(3_000);
      expect((await db.models.KpiDay.find().lean()).reduce((n, d) => n + Object.keys(d.facts).length, 0)).toBe(3_000);
      expect((await db.models.AgentLoad.find().lean()).reduce((n, d) => n + d.openCount, 0)).toBe(3_000);
      expect(await db.models.Change.countDocuments({ relay: 'pending' })).toBe(0);
    } finally {
      await relay.stop();
      await db.connection.dropDatabase();
      await db.close();
    }
  }, 120_000);

  it('rebuilds the KPI ledger from a few thousand tickets', async () => {
    const db = await openTestDatabase('rebuild-thousands');
    try {
      const tickets = syntheticTickets(3_000, Date.now());
      for (let i = 0; i < tickets.length; i += 500) await db.models.Ticket.collection.insertMany(tickets.slice(i, i + 500).map((t) => documentOf(t)) as never[]);
      expect(await new KpiLedger(db.models).rebuild()).toBe(3_000);
      expect((await db.models.KpiDay.find().lean()).reduce((n, d) => n + Object.keys(d.facts).length, 0)).toBe(3_000);
    } finally {
      await db.connection.dropDatabase();
      await db.close();
    }
  }, 120_000);
});

async function until(check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
