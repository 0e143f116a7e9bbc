// What supervisors do beside the agents (SPEC §5, §6, §11, §12): assignment from triage, priority overrides,
// post-incident reviews, and the review of knowledge drafts (the queues themselves are read through queues.ts).
// Every ticket change goes through the ticket's workflow on the server, carries the version the supervisor saw
// (If-Match: a ticket that moved on meanwhile answers 412 and nothing changes) and answers with the ticket now.
import type { z } from 'zod';
import type { assignBody, priorityBody, reviewBody } from '../../../api/tickets/schemas';
import type { ArticleResource } from '../../../api/knowledge/routes';
import { request } from './client';
import type { ChangeResult, Page, StaffTicket } from './types';

export type AssignChange = z.input<typeof assignBody>;
export type PriorityChange = z.input<typeof priorityBody>;
export type ReviewFiling = z.input<typeof reviewBody>;

const change = (ticket: Pick<StaffTicket, 'id' | 'version'>, action: string, body: unknown, idempotencyKey: string) =>
  request<ChangeResult<StaffTicket>>('POST', `/tickets/${encodeURIComponent(ticket.id)}/${action}`, { body, idempotencyKey, headers: { 'if-match': `"${ticket.version}"` } });

export const assignTicket = (ticket: StaffTicket, body: AssignChange, key: string) => change(ticket, 'assign', body, key);
export const overridePriority = (ticket: StaffTicket, body: PriorityChange, key: string) => change(ticket, 'priority', body, key);
export const fileReview = (ticket: StaffTicket, body: ReviewFiling, key: string) => change(ticket, 'review', body, key);

/** A knowledge article as staff read it: the whole article, with how many tickets it solved instead of which. */
export type StaffArticle = ArticleResource;

export const listDrafts = (cursor: string | null, signal?: AbortSignal) =>
  request<Page<StaffArticle>>('GET', '/kb/articles', { signal, query: { status: 'draft', cursor, limit: 20 } });

export const publishArticle = (id: string) => request<StaffArticle>('POST', `/kb/articles/${encodeURIComponent(id)}/publish`, { body: {} });
export const rejectArticle = (id: string, reason: string) => request<StaffArticle>('POST', `/kb/articles/${encodeURIComponent(id)}/reject`, { body: { reason } });
