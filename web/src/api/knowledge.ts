// The knowledge base (SPEC §11): search and read (requesters: published articles only).
import { request } from './client';
import type { Article, Page } from './types';

export const searchArticles = (q: string, options: { limit?: number; productLine?: string } = {}, signal?: AbortSignal) =>
  request<Page<Article>>('GET', '/kb/articles', { signal, query: { q, limit: options.limit ?? 5, productLine: options.productLine } });

export const getArticle = (id: string, signal?: AbortSignal) => request<Article>('GET', `/kb/articles/${encodeURIComponent(id)}`, { signal });
