// Work queues for staff (GET /queues, GET /tickets?queue=…): "mine", "unassigned in my groups", "due within the
// hour", "waiting on the customer" and, for supervisors and admins, more; each with how many tickets it holds.
import type { QueueId } from '../../../store/queues';
import { request } from './client';
import type { Page, StaffTicket } from './types';

export type { QueueId };

export interface Queue {
  id: QueueId;
  title: string;
  /** As many as GET /tickets?queue=<id> lists. */
  count: number;
}

/** `due`: the nearest running SLA deadline first (none last); `created`: newest first. */
export type QueueSort = 'due' | 'created';

export const getQueues = (signal?: AbortSignal) => request<{ items: Queue[] }>('GET', '/queues', { signal });

export const listQueue = (queue: QueueId, options: { sort: QueueSort; limit?: number; cursor?: string | null }, signal?: AbortSignal) =>
  request<Page<StaffTicket>>('GET', '/tickets', { signal, query: { queue, sort: options.sort, limit: options.limit ?? 20, cursor: options.cursor } });
