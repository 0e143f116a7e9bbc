// Small workflow-side helpers: the workflow clock, one change at a time, refusals as typed failures.
import { ApplicationFailure } from '@temporalio/workflow';
import { Refusal } from '../domain/errors';
import type { Ticket } from '../domain/ticket';
import type { NewTimelineEvent } from '../domain/timeline';
import type { Timer } from './timers';

/** Workflow time: inside the sandbox Date is Temporal's deterministic clock. */
export const nowMs = () => new Date().getTime();
export const nowIso = () => new Date().toISOString();

/** Runs changes one after another, so two updates that await activities never interleave. */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** A domain refusal becomes an ApplicationFailure whose type the API maps to an HTTP status. */
export function asFailure(err: unknown): unknown {
  if (err instanceof Refusal) return ApplicationFailure.create({ type: err.kind, message: err.message, nonRetryable: true });
  return err;
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
