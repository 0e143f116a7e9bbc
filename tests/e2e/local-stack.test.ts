// The local MongoDB-wire server must behave like MongoDB where the product depends on it: single-document
// writes are atomic under concurrency (FerretDB alone loses updates; stack/ferretdb/writelock.go fixes that).
import { MongoClient } from 'mongodb';
import { openTestDatabase, testServers } from '../helpers/desk';

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

it('lets one agent hold hundreds of open tickets (no index turns their list into one oversized key)', async () => {
  const db = await openTestDatabase('agent-load');
  try {
    const loads = db.models.AgentLoad.collection;
    for (let i = 0; i < 400; i++) await loads.updateOne({ _id: 'gus' as never }, { $addToSet: { open: `TICKET${String(i).padStart(4, '0')}` as never }, $inc: { version: 1 } }, { upsert: true });
    expect((await db.models.AgentLoad.findById('gus').lean())!.open).toHaveLength(400);
  } finally {
    await db.connection.dropDatabase();
    await db.close();
  }
});
