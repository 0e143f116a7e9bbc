// The knowledge base (SPEC §11): search and read articles; knowledge owners publish or reject drafts.
import { z } from 'zod';
import { ARTICLE_STATUSES, type Article } from '../../domain/knowledge';
import { isStaff, type Principal } from '../../domain/roles';
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

/** An article as requesters read it: the published solution, without who reviewed it or which tickets it came from. */
const requesterArticleResource = articleResource.pick({
  id: true,
  title: true,
  problem: true,
  symptoms: true,
  cause: true,
  solution: true,
  productLine: true,
  module: true,
  tags: true,
  useCount: true,
  status: true,
  updatedAt: true,
  publishedAt: true,
  score: true,
});
/** The two views, as the console's types (web/src/api/types.ts). */
export type ArticleResource = z.infer<typeof articleResource>;
export type RequesterArticleResource = z.infer<typeof requesterArticleResource>;
const anyArticleResource = z.union([articleResource.describe('the article, for staff'), requesterArticleResource.describe('the article as requesters read it')]);

/** The requester's view, an allow-list: a field added to articles stays hidden from requesters until listed here. */
function requesterArticle(a: Article, score?: number): z.infer<typeof requesterArticleResource> {
  return {
    id: a.id,
    title: a.title,
    problem: a.problem,
    symptoms: a.symptoms,
    cause: a.cause,
    solution: a.solution,
    productLine: a.productLine,
    module: a.module,
    tags: [...a.tags],
    useCount: a.usedBy.length,
    status: a.status,
    updatedAt: a.updatedAt,
    publishedAt: a.publishedAt,
    ...(score === undefined ? {} : { score }),
  };
}

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
const visibleStatuses = (who: Principal): Article['status'][] => (isStaff(who) ? [...ARTICLE_STATUSES] : ['published']);

/** Staff see the whole article but which tickets used it (only how many); requesters their view. */
function present(who: Principal, article: Article, score?: number) {
  if (!isStaff(who)) return requesterArticle(article, score);
  const { usedBy, ...rest } = article;
  return { ...rest, useCount: usedBy.length, ...(score === undefined ? {} : { score }) };
}

export function knowledgeRoutes({ knowledge, search }: ApiDeps) {
  async function findVisible(id: string, who: Principal): Promise<Article> {
    const article = await knowledge.get(id);
    if (!article || !visibleStatuses(who).includes(article.status)) throw notFound('article');
    return article;
  }

  /** The same decision again answers 200 (a retry completes what a failed attempt left undone); the other one 409. */
  async function decide(id: string, who: Principal, decision: 'published' | 'rejected', reason?: string) {
    const article = await knowledge.review(id, { status: decision, reviewer: who.sub, reason, at: new Date().toISOString() }, (decided) => ({
      id: `kb:${id}:${decision}`,
      ticketId: decided.sourceTickets[0] ?? id,
      kind: `knowledge_${decision}`,
      to: { type: 'agent', id: decided.author },
      subject: `Article ${id} ${decision}`,
      body: decision === 'published' ? `"${decided.title}" is now published.` : `"${decided.title}" was rejected: ${decided.rejectReason}`,
      at: decided.updatedAt,
    }));
    if (!article) throw notFound('article');
    if (article.status !== decision) throw conflict(`article ${id} is already ${article.status}`);
    return { status: 200, body: present(who, article) };
  }

  return [
    defineRoute<undefined, z.infer<typeof listQuery>>({
      method: 'get',
      path: '/kb/articles',
      summary: 'Search or list articles (requesters: published only); with q, most relevant first with a score',
      tags: ['knowledge'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      query: listQuery,
      responses: { 200: { description: 'A page of articles', schema: z.object({ items: z.array(anyArticleResource), nextCursor: z.string().nullable() }) } },
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
        return { status: 200, body: { items: page.map((p) => present(principal, p.article, p.score)), nextCursor: next } };
      },
    }),
    defineRoute<undefined, undefined, { id: string }>({
      method: 'get',
      path: '/kb/articles/{id}',
      summary: 'One article (requesters: published only)',
      tags: ['knowledge'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      params: idParam,
      responses: { 200: { description: 'The article', schema: anyArticleResource }, 404: { description: 'Unknown or not visible' } },
      handle: async ({ params, principal }) => ({ status: 200, body: present(principal, await findVisible(params.id, principal)) }),
    }),
    defineRoute<Record<string, never> | undefined, undefined, { id: string }>({
      method: 'post',
      path: '/kb/articles/{id}/publish',
      summary: 'Publish a draft: it becomes searchable and is suggested at intake',
      tags: ['knowledge'],
      roles: ['supervisor', 'admin'],
      params: idParam,
      body: z.strictObject({}).optional(),
      responses: { 200: { description: 'The published article (also when it already was)', schema: articleResource }, 404: { description: 'Unknown' }, 409: { description: 'Already rejected' } },
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
      responses: { 200: { description: 'The rejected article (also when it already was, with the first reason)', schema: articleResource }, 404: { description: 'Unknown' }, 409: { description: 'Already published' } },
      handle: ({ params, principal, body }) => decide(params.id, principal, 'rejected', body.reason),
    }),
  ];
}
