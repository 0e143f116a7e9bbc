// How values read on screen: status names, dates, people.
import type { TicketStatus } from './api/types';

const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  triage: 'Being sorted',
  assigned: 'Assigned',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting for you',
  resolved: 'Resolved',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** Status words for requesters ("Waiting for you"); staff pages may want the raw names. */
export const statusLabel = (status: TicketStatus) => STATUS_LABELS[status] ?? status;

/** The status as a badge says it: what it asks of the requester, where it asks something. */
export const statusBadgeLabel = (status: TicketStatus) => (status === 'resolved' ? 'Resolved: please confirm' : statusLabel(status));

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/** "waiting_on_customer" → "waiting on customer". */
export const humanize = (name: string) => name.replace(/_/g, ' ');

/** "network" → "Network". */
export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const personName = (p: { id: string; name?: string }) => p.name ?? p.id;
