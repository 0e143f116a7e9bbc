// A ticket as staff work on it (SPEC §16): polled with If-None-Match (304 while nothing changed), its new events
// read after the last one seen, and every change sent with If-Match: the version the agent saw. A change made on a
// view that has moved on is refused with 412 and changes nothing (isStale), so the page can show what changed.
import type { AttachmentRef } from './attachments';
import { ApiError, request } from './client';
import type { ChangeResult, Page, StaffTicket, TimelineEvent } from './types';

const path = (id: string, rest = '') => `/tickets/${encodeURIComponent(id)}${rest}`;

export const getStaffTicket = (id: string, signal?: AbortSignal) => request<StaffTicket>('GET', path(id), { signal });

/** The ticket if its version is no longer `version`, else null (the API answered 304 Not Modified). */
export async function getTicketIfChanged(id: string, version: number, signal?: AbortSignal): Promise<StaffTicket | null> {
  try {
    return await request<StaffTicket>('GET', path(id), { signal, headers: { 'if-none-match': `"${version}"` } });
  } catch (err) {
    if (err instanceof ApiError && err.status === 304) return null;
    throw err;
  }
}

/** Every event after `seq` (0: the whole log), oldest first, read page by page. */
export async function eventsAfter(id: string, seq: number, signal?: AbortSignal): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  let after = seq;
  for (let page = 0; page < 50; page++) {
    const { items, nextCursor } = await request<Page<TimelineEvent>>('GET', path(id, '/timeline'), { signal, query: { after, limit: 500 } });
    events.push(...items);
    if (!nextCursor) break;
    after = Number(nextCursor);
  }
  return events;
}

/** A 412: the ticket moved on since the version the change was made against; nothing was changed. */
export const isStale = (err: unknown): err is ApiError => err instanceof ApiError && err.status === 412;

export interface Guard {
  /** The ticket version the agent saw (If-Match). */
  version: number;
  /** One key per intended change: a retry of the same change (a network error) is not applied twice. */
  idempotencyKey: string;
}

function change(id: string, action: string, body: unknown, guard: Guard): Promise<ChangeResult<StaffTicket>> {
  return request('POST', path(id, `/${action}`), { body, idempotencyKey: guard.idempotencyKey, headers: { 'if-match': `"${guard.version}"` } });
}

export const postComment = (id: string, comment: { body: string; visibility: 'public' | 'internal'; attachments?: AttachmentRef[] }, guard: Guard) =>
  change(id, 'comments', comment.attachments?.length ? comment : { body: comment.body, visibility: comment.visibility }, guard);

export const setStatus = (id: string, status: 'in_progress' | 'waiting_on_customer', reason: string | undefined, guard: Guard) =>
  change(id, 'status', reason ? { status, reason } : { status }, guard);

/** An agent takes the ticket (assigns it to themselves) or transfers it to a group. */
export const assign = (id: string, to: { agent?: string; group?: string; reason?: string }, guard: Guard) => change(id, 'assign', to, guard);

export const escalate = (id: string, reason: string, toGroup: string | undefined, guard: Guard) => change(id, 'escalate', toGroup ? { reason, toGroup } : { reason }, guard);

export const addCollaborator = (id: string, agent: string, guard: Guard) => change(id, 'collaborators', { agent }, guard);

export interface Resolution {
  summary: string;
  rootCause: string;
  steps: string;
  /** A knowledge article that holds the solution, or… */
  kbArticleId?: string;
  /** …a new solution, drafted as an article for review (SPEC §11). */
  newKnowledge?: true;
}

export const resolve = (id: string, resolution: Resolution, guard: Guard) => change(id, 'resolve', resolution, guard);
