// Small pieces every ticket view uses: the status badge and timestamps.
import type { TicketStatus } from '../api/types';
import { formatDateTime, statusBadgeLabel } from '../format';

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span class={`badge badge-${status}`}>{statusBadgeLabel(status)}</span>;
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return null;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}
