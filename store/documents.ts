// A ticket as MongoDB stores it: the ticket itself, keyed by its id, with the keys reads filter by (its queues, who
// may see it) and the KPI ledger bucket of its fact. Shared by the ticket store and the KPI ledger.
import { accessKeysOf } from '../domain/roles';
import type { Ticket } from '../domain/ticket';
import type { TicketDocument } from './models';
import { queueKeys, type QueueKeys } from './queues';

/** Raise it when documentKeys changes: workers then bring stored tickets' keys up to date at start (TicketStore.updateQueueKeys). */
export const DOCUMENT_KEYS_VERSION = 2;

export interface DocumentKeys extends QueueKeys {
  /** Who may see the ticket (domain/roles.ts accessKeysOf): lists query by one of the caller's keys at a time. */
  access: string[];
}

export const documentKeys = (ticket: Ticket): DocumentKeys => ({ ...queueKeys(ticket), access: accessKeysOf(ticket) });

export function toTicket({ _id, queueFlags: _flags, dueAt: _dueAt, access: _access, kpiBucket: _bucket, ...rest }: TicketDocument): Ticket {
  return { id: _id, ...rest };
}

/** The ticket as stored: keyed by its id, with the keys its queues and readers filter by. */
export function documentOf({ id, ...fields }: Ticket): Omit<Required<TicketDocument>, 'kpiBucket'> {
  return { _id: id, ...fields, ...documentKeys({ id, ...fields }) };
}
