// The closed loop of SPEC §1 through the HTTP API: intake with a suggestion → resolution with new knowledge →
// confirmation → the draft is reviewed and published → the next similar ticket gets it suggested → the
// requester accepts it, solving the ticket by self-service.
import { KnowledgeStore } from '../../store/knowledge';
import { demoArticles } from '../../stack/demo-desk';
import { startDesk, type TestDesk } from '../helpers/desk';

let desk: TestDesk;
const t = {} as Record<'alice' | 'bob' | 'ben' | 'eve' | 'sam', string>;
beforeAll(async () => {
  desk = await startDesk('e2e-loop');
  await new KnowledgeStore(desk.db.models).put(demoArticles);
  t.alice = desk.token({ sub: 'alice', role: 'requester' });
  t.bob = desk.token({ sub: 'bob', role: 'requester' });
  t.ben = desk.token({ sub: 'ben', role: 'agent', groups: ['network-l1'] });
  t.eve = desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
  t.sam = desk.token({ sub: 'sam', role: 'supervisor' });
});
afterAll(() => desk.close());

const printerTicket = (title: string, description: string) => ({
  title,
  description,
  channel: 'portal',
  productLine: 'network',
  module: 'printing',
  problemType: 'incident',
  impact: 'moderate',
  urgency: 'medium',
  fields: { symptom: description, occurredAt: '2026-11-20' },
});

it('runs the whole loop, from a suggestion at intake to a self-service resolution', async () => {
  // 1. Intake: the VPN article is suggested, but this is a printer problem nobody has documented yet.
  const first = await desk.http('POST', '/tickets', { token: t.alice, body: printerTicket('Printer queue stuck after VPN login', 'Jobs wait forever in the print queue once the VPN connects') });
  expect(first.status).toBe(201);
  expect(first.body.suggestions[0]).toMatchObject({ articleId: 'KB-DEMO-VPN', score: expect.any(Number) });
  expect(first.body.suggestions.length).toBeLessThanOrEqual(3);
  const agent = desk.token({ sub: first.body.assignment.agent, role: 'agent', groups: ['network-l1'] });

  // 2. Resolution with new knowledge, 3. confirmation: the solution becomes a draft.
  const resolved = await desk.http('POST', `/tickets/${first.body.id}/resolve`, {
    token: agent,
    body: { summary: 'Cleared the spooler and set the printer to the corporate DNS', rootCause: 'Spooler cannot resolve the print server over the VPN DNS', steps: 'Restart the spooler; set DNS suffix corp.example', newKnowledge: true },
  });
  expect(resolved.status).toBe(200);
  const closed = await desk.http('POST', `/tickets/${first.body.id}/confirm`, { token: t.alice });
  expect(closed.body.ticket).toMatchObject({ status: 'closed', closure: { survey: { status: 'open' } } });
  // What knowledge capture did is the desk's business: staff read it.
  const asStaff = (await desk.http('GET', `/tickets/${first.body.id}`, { token: t.sam })).body;
  expect(asStaff.closure.knowledge).toMatchObject({ kind: 'drafted' });
  const draftId = asStaff.closure.knowledge.articleId;
  const draft = await desk.http('GET', `/kb/articles/${draftId}`, { token: t.sam });
  expect(draft.body).toMatchObject({ status: 'draft', title: 'Printer queue stuck after VPN login', sourceTickets: [first.body.id], cause: expect.stringContaining('VPN DNS') });
  expect((await desk.http('GET', `/kb/articles/${draftId}`, { token: t.alice })).status).toBe(404);

  // 4. A knowledge owner publishes it (requesters and agents may not).
  expect((await desk.http('POST', `/kb/articles/${draftId}/publish`, { token: t.ben })).status).toBe(403);
  const publishedRes = await desk.http('POST', `/kb/articles/${draftId}/publish`, { token: t.sam });
  expect(publishedRes.body).toMatchObject({ status: 'published', reviewer: 'sam' });
  // Publishing again repeats the decision (one idempotent step); rejecting a published article is a conflict.
  expect((await desk.http('POST', `/kb/articles/${draftId}/publish`, { token: t.sam })).status).toBe(200);
  expect((await desk.http('POST', `/kb/articles/${draftId}/reject`, { token: t.sam, body: { reason: 'late' } })).status).toBe(409);

  // 5. The next similar ticket gets it suggested first…
  const second = await desk.http('POST', '/tickets', { token: t.bob, body: printerTicket('Print queue stuck when on VPN', 'My print jobs are stuck in the queue while the VPN is up') });
  expect(second.body.suggestions[0]).toMatchObject({ articleId: draftId });
  const search = await desk.http('GET', '/kb/articles?q=print%20queue%20vpn', { token: t.bob });
  expect(search.body.items[0]).toMatchObject({ id: draftId, score: expect.any(Number) });

  // 6. …and the requester accepts it: self-service, counted as a use and as a deflection.
  expect((await desk.http('POST', `/tickets/${second.body.id}/suggestions/${draftId}/accept`, { token: t.alice })).status).toBe(404);
  expect((await desk.http('POST', `/tickets/${second.body.id}/suggestions/KB-NOT-SUGGESTED/accept`, { token: t.bob })).status).toBe(404);
  const accepted = await desk.http('POST', `/tickets/${second.body.id}/suggestions/${draftId}/accept`, { token: t.bob });
  expect(accepted.status).toBe(200);
  expect(accepted.body.ticket).toMatchObject({ status: 'closed', resolution: { kbArticleId: draftId } });
  const deflected = (await desk.http('GET', `/tickets/${second.body.id}`, { token: t.sam })).body;
  expect(deflected).toMatchObject({ stats: { selfService: true }, closure: { knowledge: { articleId: draftId, kind: 'used' } } });
  expect((await desk.http('GET', `/kb/articles/${draftId}`, { token: t.bob })).body.useCount).toBe(1);
  // KPIs fold in off the hot path, within the relay's next pass.
  await desk.relayed();
  expect((await desk.http('GET', '/kpis?groupBy=productLine', { token: t.sam })).body.groups.find((g: any) => g.key === 'network').deflectionRate).toMatchObject({ count: 1 });
});

it('takes one rating per ticket from its requester, within the survey window', async () => {
  const ticket = (await desk.http('POST', '/tickets', { token: t.alice, body: { ...printerTicket('Scanner offline', 'The scanner on floor 2 is offline'), module: 'scanning' } })).body;
  const agent = desk.token({ sub: ticket.assignment.agent, role: 'agent', groups: ['network-l1'] });
  expect((await desk.http('POST', `/tickets/${ticket.id}/csat`, { token: t.alice, body: { score: 4 } })).status).toBe(409);
  await desk.http('POST', `/tickets/${ticket.id}/resolve`, { token: agent, body: { summary: 'Power cycled', rootCause: 'Firmware hang', steps: 'Power cycle', kbArticleId: 'KB-DEMO-VPN' } });
  await desk.http('POST', `/tickets/${ticket.id}/confirm`, { token: t.alice });
  expect((await desk.http('POST', `/tickets/${ticket.id}/csat`, { token: t.bob, body: { score: 1 } })).status).toBe(404);
  expect((await desk.http('POST', `/tickets/${ticket.id}/csat`, { token: t.alice, body: { score: 6 } })).status).toBe(400);
  const rated = await desk.http('POST', `/tickets/${ticket.id}/csat`, { token: t.alice, body: { score: 4, comment: 'Quick, thanks' } });
  expect(rated.body.ticket.csat).toMatchObject({ score: 4, comment: 'Quick, thanks' });
  const again = await desk.http('POST', `/tickets/${ticket.id}/csat`, { token: t.alice, body: { score: 5 } });
  expect(again.status).toBe(409);
  expect(again.body.detail).toMatch(/already answered/);
  expect((await desk.http('GET', '/kb/articles/KB-DEMO-VPN', { token: t.alice })).body.useCount).toBe(1);
});

it('keeps drafts and rejected articles from requesters and records why a draft was rejected', async () => {
  const ticket = (await desk.http('POST', '/tickets', { token: t.alice, body: { ...printerTicket('Badge reader beeps', 'The badge reader at the door beeps twice'), module: 'access' } })).body;
  const agent = desk.token({ sub: ticket.assignment.agent, role: 'agent', groups: ['network-l1'] });
  await desk.http('POST', `/tickets/${ticket.id}/resolve`, { token: agent, body: { summary: 'Reseated cable', rootCause: 'Loose cable', steps: 'Reseat', newKnowledge: true } });
  await desk.http('POST', `/tickets/${ticket.id}/confirm`, { token: t.alice });
  const id = (await desk.http('GET', `/tickets/${ticket.id}`, { token: t.sam })).body.closure.knowledge.articleId;
  expect((await desk.http('POST', `/kb/articles/${id}/reject`, { token: t.sam, body: {} })).status).toBe(400);
  const rejected = await desk.http('POST', `/kb/articles/${id}/reject`, { token: t.sam, body: { reason: 'too specific to one door' } });
  expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: 'too specific to one door' });
  const listed = await desk.http('GET', '/kb/articles?status=rejected', { token: t.sam });
  expect(listed.body.items.map((a: any) => a.id)).toContain(id);
  expect((await desk.http('GET', '/kb/articles?status=draft', { token: t.alice })).status).toBe(400);
  const forAlice = (await desk.http('GET', '/kb/articles', { token: t.alice })).body.items.map((a: any) => a.status);
  expect(new Set(forAlice)).toEqual(new Set(['published']));
  const author = await desk.db.models.Outbox.findOne({ _id: `kb:${id}:rejected` }).lean();
  expect(author!.to).toEqual({ type: 'agent', id: ticket.assignment.agent });
});
