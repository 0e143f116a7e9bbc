// What a supervisor sees of the ticket in the Temporal UI (SPEC §15): its search attributes, its current details
// (where it stands, what happens next) and a one-line summary on each recorded change.
import { patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Ticket } from '../domain/ticket';
import type { NewTimelineEvent } from '../domain/timeline';
import { searchAttributesOf } from './search-attributes';
import type { Timer } from './timers';

export class TemporalUi {
  /** The attribute values last upserted by this run (JSON by key), so only those that changed are written again. */
  private readonly shown = new Map<string, string>();

  /** Shows the ticket as it now stands: search attributes that changed, and the current details. */
  show(ticket: Ticket, next: Timer | null): void {
    const pairs = searchAttributesOf(ticket);
    // Histories from before upserted every attribute with every change.
    const changed = patched('search-attributes-only-when-changed') ? pairs.filter((pair) => this.shown.get(pair.key.name) !== valueOf(pair)) : pairs;
    if (changed.length) upsertSearchAttributes(changed);
    for (const pair of changed) this.shown.set(pair.key.name, valueOf(pair));
    setCurrentDetails(describe(ticket, next));
  }
}

const valueOf = (pair: SearchAttributeUpdatePair) => JSON.stringify(pair.value ?? null);

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
