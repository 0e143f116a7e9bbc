// Small workflow-side helpers: the workflow clock, one change at a time, refusals as typed failures.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { Refusal } from '../domain/errors';
import type { STORE_REFUSED as REFUSED, STORE_UNAVAILABLE as UNAVAILABLE } from '../store/failures';
import type { Ticket } from '../domain/ticket';
import type { NewTimelineEvent } from '../domain/timeline';
import type { Timer } from './timers';

/** Workflow time: inside the sandbox Date is Temporal's deterministic clock. */
export const nowMs = () => new Date().getTime();
export const nowIso = () => new Date().toISOString();

/** Runs changes one after another, so two updates that await activities never interleave. */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** True while a change runs or waits to run: the ticket may be about to move on. */
  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    // Bookkeeping on the side: the chain that orders the work (and so the history) stays as it was.
    this.pending += 1;
    const settled = () => void (this.pending -= 1);
    result.then(settled, settled);
    return result;
  }
}

/** A domain refusal becomes an ApplicationFailure whose type the API maps to an HTTP status. */
export function asFailure(err: unknown): unknown {
  if (err instanceof Refusal) return ApplicationFailure.create({ type: err.kind, message: err.message, nonRetryable: true });
  return err;
}

// The store's failure types (the compiler keeps these in step with store/failures.ts).
export const STORE_REFUSED: typeof REFUSED = 'StoreRefused';
export const STORE_UNAVAILABLE: typeof UNAVAILABLE = 'StoreUnavailable';

/**
 * A store activity that failed (after its bounded retries, or at once for a write the store refuses for good)
 * becomes the failure the API maps to 422 or 503; null for anything else.
 */
export function storeFailure(err: unknown): ApplicationFailure | null {
  // A local activity's failure arrives as the activity's own error (or a timeout), not wrapped in ActivityFailure.
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === STORE_REFUSED) {
    return ApplicationFailure.create({ type: STORE_REFUSED, message: `the change cannot be stored: ${cause.message}; nothing was applied`, nonRetryable: true, cause: err as ApplicationFailure });
  }
  if (err instanceof ActivityFailure || cause instanceof ApplicationFailure || cause instanceof TimeoutFailure) {
    return ApplicationFailure.create({ type: STORE_UNAVAILABLE, message: 'the change could not be stored; nothing was applied; retry', nonRetryable: true, cause: err as Error });
  }
  return null;
}

export const isStoreFailure = (err: unknown): err is ApplicationFailure =>
  err instanceof ApplicationFailure && (err.type === STORE_REFUSED || err.type === STORE_UNAVAILABLE);

/** A deep copy of plain workflow state (it is JSON by construction: continue-as-new carries it as JSON). */
export const snapshot = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Puts `target` back to `saved` in place, so whoever holds `target` sees the restored state. */
export function restore<T extends object>(target: T, saved: T): void {
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, saved);
}

/** The workflow's current details in the Temporal UI: where the ticket stands and what happens next. */
export function describe(ticket: Ticket, next: Timer | null): string {
  return [
    `**${ticket.id}** · ${ticket.title}`,
    `Status **${ticket.status}** · ${ticket.priority} · tier ${ticket.tier}${ticket.sla.responseBreached || ticket.sla.resolutionBreached ? ' · **SLA breached**' : ''}`,
    `Assigned to ${ticket.assignment.group ?? '—'} / ${ticket.assignment.agent ?? '—'}`,
    next ? `Next: ${next.summary} at ${new Date(next.at).toISOString()}` : 'Next: waiting for the next message',
  ].join('\n');
}

/** One line for the Temporal UI saying what a recorded change was, e.g. "status assigned → in_progress; public reply". */
export function summarize(events: NewTimelineEvent[]): string {
  return events
    .map((event) => {
      const data = event.data as Record<string, unknown>;
      const to = data.to as { group?: string | null; agent?: string | null } | string | undefined;
      switch (event.type) {
        case 'status_changed':
          return `status ${String(data.from)} → ${String(to)}`;
        case 'comment':
          return event.visibility === 'public' ? `public reply by ${event.actor.role}` : 'internal note';
        case 'assigned':
        case 'transferred':
        case 'reassigned':
          return typeof to === 'object' && to ? `${event.type} to ${to.group ?? '—'}/${to.agent ?? 'queue'}` : event.type;
        default:
          return event.type.replace(/_/g, ' ');
      }
    })
    .join('; ');
}
