// The knowledge base (SPEC §11): search and read articles; knowledge owners publish or reject drafts.
import { z } from 'zod';
import { ARTICLE_STATUSES, type Article } from '../../domain/knowledge';
import type { Principal } from '../../domain/roles';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, notFound } from '../http/problem';
import { defineRoute } from '../http/routes';
import { text } from '../http/text';

const articleResource = z.object({
  id: z.string(),
  title: z.string(),
  problem: z.string(),
  symptoms: z.string(),
  cause: z.string(),
  solution: z.string(),
  productLine: z.string(),
  module: z.string().nullable(),
  tags: z.array(z.string()),
  sourceTickets: z.array(z.string()),
  useCount: z.number().int(),
  status: z.enum(ARTICLE_STATUSES),
  author: z.string(),
  reviewer: z.string().nullable(),
  rejectReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  score: z.number().optional().describe('relevance to q, when searching'),
});

const listQuery = z.strictObject({
  q: text(200).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  productLine: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^\d+$/, 'must be a cursor this API gave out').optional(),
});
const idParam = z.object({ id: text(100) });
const rejectBody = z.strictObject({ reason: text(2000) });

/** Requesters read published articles only; staff see drafts and rejected ones too. */
const visibleStatuses = (who: Principal): Article['status'][] => (who.role === 'requester' ? ['published'] : [...ARTICLE_STATUSES]);

export function knowledgeRoutes({ knowledge, search, outbox }: ApiDeps) {
  const present = ({ usedBy, ...article }: Article, score?: number) => ({ ...article, useCount: usedBy.length, ...(score === undefined ? {} : { score }) });

  async function findVisible(id: string, who: Principal): Promise<Article> {
    const article = await knowledge.get(id);
    if (!article || !visibleStatuses(who).includes(article.status)) throw notFound('article');
    return article;
  }

  async function decide(id: string, who: Principal, decision: 'published' | 'rejected', reason?: string) {
    const article = await findVisible(id, who);
    const at = new Date().toISOString();
    if (!(await knowledge.review(id, { status: decision, reviewer: who.sub, reason, at }))) throw conflict(`article ${id} is ${article.status}, not a draft`);
    await outbox.enqueue({
      id: `kb:${id}:${decision}`,
      ticketId: article.sourceTickets[0] ?? id,
      kind: `knowledge_${decision}`,
      to: { type: 'agent', id: article.author },
      subject: `Article ${id} ${decision}`,
      body: decision === 'published' ? `"${article.title}" is now published.` : `"${article.title}" was rejected: ${reason}`,
      at,
    });
    return { status: 200, body: present((await knowledge.get(id))!) };
  }

  return [
    defineRoute<undefined, z.infer<typeof listQuery>>({
      method: 'get',
      path: '/kb/articles',
      summary: 'Search or list articles (requesters: published only); with q, most relevant first with a score',
      tags: ['knowledge'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      query: listQuery,
      responses: { 200: { description: 'A page of articles', schema: z.object({ items: z.array(articleResource), nextCursor: z.string().nullable() }) } },
      async handle({ query, principal }) {
        const allowed = visibleStatuses(principal);
        if (query.status && !allowed.includes(query.status)) throw badRequest('requesters can list published articles only', [{ path: 'query.status', message: 'must be published' }]);
        const statuses = query.status ? [query.status] : allowed;
        const offset = Number(query.cursor ?? 0);
        let page: Array<{ article: Article; score?: number }>;
        if (query.q) {
          const hits = (await search.search(query.q, { statuses, productLine: query.productLine })).slice(offset, offset + query.limit);
          const found = await Promise.all(hits.map(async (h) => ({ article: await knowledge.get(h.id), score: h.score })));
          page = found.filter((f): f is { article: Article; score: number } => f.article !== null);
        } else {
          page = (await knowledge.all({ statuses, productLine: query.productLine })).slice(offset, offset + query.limit).map((article) => ({ article }));
        }
        const next = page.length === query.limit ? String(offset + query.limit) : null;
        return { status: 200, body: { items: page.map((p) => present(p.article, p.score)), nextCursor: next } };
      },
    }),
    defineRoute<undefined, undefined, { id: string }>({
      method: 'get',
      path: '/kb/articles/{id}',
      summary: 'One article (requesters: published only)',
      tags: ['knowledge'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      params: idParam,
      responses: { 200: { description: 'The article', schema: articleResource }, 404: { description: 'Unknown or not visible' } },
      handle: async ({ params, principal }) => ({ status: 200, body: present(await findVisible(params.id, principal)) }),
    }),
    defineRoute<Record<string, never> | undefined, undefined, { id: string }>({
      method: 'post',
      path: '/kb/articles/{id}/publish',
      summary: 'Publish a draft: it becomes searchable and is suggested at intake',
      tags: ['knowledge'],
      roles: ['supervisor', 'admin'],
      params: idParam,
      body: z.strictObject({}).optional(),
      responses: { 200: { description: 'The published article', schema: articleResource }, 404: { description: 'Unknown' }, 409: { description: 'Not a draft' } },
      handle: ({ params, principal }) => decide(params.id, principal, 'published'),
    }),
    defineRoute<z.infer<typeof rejectBody>, undefined, { id: string }>({
      method: 'post',
      path: '/kb/articles/{id}/reject',
      summary: 'Reject a draft, with the reason kept',
      tags: ['knowledge'],
      roles: ['supervisor', 'admin'],
      params: idParam,
      body: rejectBody,
      responses: { 200: { description: 'The rejected article', schema: articleResource }, 404: { description: 'Unknown' }, 409: { description: 'Not a draft' } },
      handle: ({ params, principal, body }) => decide(params.id, principal, 'rejected', body.reason),
    }),
  ];
}
