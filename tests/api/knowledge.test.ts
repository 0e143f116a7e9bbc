// Reviewing knowledge drafts (SPEC §11) over HTTP: a decision is one idempotent step, so a retry completes it.
import type { Article } from '../../domain/knowledge';
import { demoArticles } from '../../stack/demo-desk';
import { KnowledgeStore } from '../../store/knowledge';
import { startDesk, type TestDesk } from '../helpers/desk';

let desk: TestDesk;
let sam: string;
let root: string;
let alice: string;
beforeAll(async () => {
  desk = await startDesk('api-knowledge');
  sam = desk.token({ sub: 'sam', role: 'supervisor' });
  root = desk.token({ sub: 'root', role: 'admin' });
  alice = desk.token({ sub: 'alice', role: 'requester' });
});
afterAll(() => desk.close());

/** A draft from its own source ticket, so the notifications about it are easy to count. */
async function draft(id: string, title: string): Promise<Article> {
  const article: Article = { ...demoArticles[0]!, id, title, sourceTickets: [`SRC-${id}`], usedBy: [], status: 'draft', author: 'ann', reviewer: null, rejectReason: null, publishedAt: null };
  await new KnowledgeStore(desk.db.models).put([article]);
  return article;
}
const decide = (token: string, id: string, decision: 'publish' | 'reject', body: unknown = decision === 'reject' ? { reason: 'too narrow' } : {}) =>
  desk.http('POST', `/kb/articles/${id}/${decision}`, { token, body });
const notifications = (article: Article) => desk.db.models.Outbox.find({ ticketId: article.sourceTickets[0] }).lean();

it('answers a repeated publish with 200 and queues one notification; a reject afterwards is a conflict', async () => {
  const article = await draft('KB-TEST-REPEAT', 'Repeated publish');
  const [a, b] = await Promise.all([decide(sam, article.id, 'publish'), decide(sam, article.id, 'publish')]);
  expect([a!.status, b!.status]).toEqual([200, 200]);
  const again = await decide(root, article.id, 'publish');
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ status: 'published', reviewer: 'sam' });
  expect((await notifications(article)).map((n) => [n.kind, n.to])).toEqual([['knowledge_published', { type: 'agent', id: 'ann' }]]);

  const reject = await decide(sam, article.id, 'reject');
  expect(reject.status).toBe(409);
  expect(reject.body.detail).toMatch(/already published/);
  expect((await desk.http('GET', `/kb/articles/${article.id}`, { token: sam })).body).toMatchObject({ status: 'published', rejectReason: null });
  expect(await notifications(article)).toHaveLength(1);
});

it('keeps the first reason when a reject is repeated, and refuses a publish afterwards', async () => {
  const article = await draft('KB-TEST-REJECT', 'Repeated reject');
  expect((await decide(sam, article.id, 'reject', { reason: 'duplicates KB-DEMO-VPN' })).status).toBe(200);
  const again = await decide(sam, article.id, 'reject', { reason: 'another reason' });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ status: 'rejected', rejectReason: 'duplicates KB-DEMO-VPN' });
  expect((await decide(sam, article.id, 'publish')).status).toBe(409);
  expect((await notifications(article)).map((n) => n.body)).toEqual(['"Repeated reject" was rejected: duplicates KB-DEMO-VPN']);
});

it('completes a publish that stopped after writing the article: the search sees it and the author hears of it', async () => {
  const article = await draft('KB-TEST-HALF', 'Zeppelin badge printer jams');
  const search = async () => (await desk.http('GET', '/kb/articles?q=zeppelin', { token: alice })).body.items.map((a: { id: string }) => a.id);
  expect(await search()).toEqual([]);
  // What a first attempt that died right after its first write leaves behind: no version bump, no notification.
  const at = new Date().toISOString();
  await desk.db.models.Article.updateOne({ _id: article.id }, { $set: { status: 'published', reviewer: 'sam', publishedAt: at, updatedAt: at } });
  expect(await search()).toEqual([]);

  const retry = await decide(sam, article.id, 'publish');
  expect(retry.status).toBe(200);
  expect(retry.body).toMatchObject({ status: 'published', publishedAt: at });
  expect(await search()).toEqual([article.id]);
  expect((await notifications(article)).map((n) => n.kind)).toEqual(['knowledge_published']);
});
