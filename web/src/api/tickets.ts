// Ticket reads and changes (SPEC §16). Each change goes through the ticket's workflow on the server and answers
// with the ticket as it now stands, so pages show that answer instead of guessing.
import { isOpen } from '../../../domain/lifecycle';
import { STATUSES } from '../../../domain/ticket';
import type { AttachmentRef } from './attachments';
import { request } from './client';
import type { ChangeResult, FieldValue, Impact, Page, RequesterTicket, TicketStatus, TimelineEvent, Urgency } from './types';

/** The lifecycle's own lists (domain/lifecycle.ts, bundled into the console). */
export const OPEN_STATUSES: TicketStatus[] = STATUSES.filter(isOpen);
export const CLOSED_STATUSES: TicketStatus[] = STATUSES.filter((s) => !isOpen(s));

export interface TicketFilter {
  status?: TicketStatus[];
  q?: string;
  limit?: number;
  cursor?: string | null;
  /** Staff filters. */
  priority?: string[];
  productLine?: string;
  group?: string;
  assignee?: string;
  breached?: boolean;
}

export function listTickets<T extends RequesterTicket = RequesterTicket>(filter: TicketFilter = {}, signal?: AbortSignal): Promise<Page<T>> {
  return request('GET', '/tickets', {
    signal,
    query: {
      status: filter.status?.join(','),
      priority: filter.priority?.join(','),
      productLine: filter.productLine,
      group: filter.group,
      assignee: filter.assignee,
      breached: filter.breached,
      q: filter.q,
      limit: filter.limit,
      cursor: filter.cursor,
    },
  });
}

export const getTicket = <T extends RequesterTicket = RequesterTicket>(id: string, signal?: AbortSignal) => request<T>('GET', `/tickets/${encodeURIComponent(id)}`, { signal });

/** The whole event log, oldest first, read page by page (requesters receive public events only). */
export async function getTimeline(id: string, signal?: AbortSignal): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  let after = 0;
  for (let page = 0; page < 50; page++) {
    const { items, nextCursor } = await request<Page<TimelineEvent>>('GET', `/tickets/${encodeURIComponent(id)}/timeline`, { signal, query: { after, limit: 500 } });
    events.push(...items);
    if (!nextCursor) break;
    after = Number(nextCursor);
  }
  return events;
}

export interface NewTicket {
  title: string;
  description: string;
  channel: 'portal' | 'chat' | 'phone' | 'api';
  productLine: string;
  module?: string;
  problemType: string;
  impact?: Impact;
  urgency?: Urgency;
  fields: Record<string, FieldValue>;
  /** Files uploaded beforehand (POST /uploads). */
  attachments?: AttachmentRef[];
}

export const createTicket = <T extends RequesterTicket = RequesterTicket>(ticket: NewTicket, idempotencyKey: string) =>
  request<T>('POST', '/tickets', { body: ticket, idempotencyKey });

function change<T extends RequesterTicket = RequesterTicket>(id: string, action: string, body: unknown, idempotencyKey?: string): Promise<ChangeResult<T>> {
  return request('POST', `/tickets/${encodeURIComponent(id)}/${action}`, { body, idempotencyKey });
}

export const addComment = (id: string, body: string, visibility: 'public' | 'internal' = 'public', key?: string, attachments: AttachmentRef[] = []) =>
  change(id, 'comments', attachments.length ? { body, visibility, attachments } : { body, visibility }, key);
export const confirmResolution = (id: string) => change(id, 'confirm', {});
export const rejectResolution = (id: string, reason: string) => change(id, 'reject', { reason });
export const cancelTicket = (id: string, reason: string) => change(id, 'cancel', { reason });
export const rateTicket = (id: string, score: number, comment?: string) => change(id, 'csat', comment ? { score, comment } : { score });
export const acceptSuggestion = (id: string, articleId: string) => change(id, `suggestions/${encodeURIComponent(articleId)}/accept`, {});
