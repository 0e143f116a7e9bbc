// One support ticket, from intake to the end of its closing loop (SPEC §3–§12).
import { ApplicationFailure, condition, proxyLocalActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { TicketActivities } from '../activities';
import { openTicket } from '../domain/intake';
import type { Ticket } from '../domain/ticket';
import type { NewTimelineEvent } from '../domain/timeline';
import { currentTicket, ticketOpened, type TicketWorkflowInput } from './definitions';
import { searchAttributesOf } from './search-attributes';

// MongoDB writes are short, so they run as local activities: no extra workflow task per write.
const store = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<void> {
  const ticket: Ticket = openTicket(input.intake, now());
  let seq = 0;
  let recorded = false;

  setHandler(
    ticketOpened,
    async (request) => {
      await condition(() => recorded);
      return { ticket, created: request.requestId === input.request.requestId };
    },
    {
      validator: (request) => {
        if (request.fingerprint !== input.request.fingerprint) {
          throw ApplicationFailure.create({
            type: 'IdempotencyKeyReused',
            message: 'this Idempotency-Key was already used for a different request',
            nonRetryable: true,
          });
        }
      },
    },
  );
  setHandler(currentTicket, () => ticket);

  const record = async (events: NewTimelineEvent[]) => {
    const at = ticket.updatedAt;
    await store.recordChange.executeWithOptions({ summary: events.map((e) => e.type).join(', ') }, [
      { ticket, events: events.map((event) => ({ ...event, ticketId: ticket.id, seq: ++seq, at })) },
    ]);
    upsertSearchAttributes(searchAttributesOf(ticket));
    setCurrentDetails(describe(ticket));
  };

  await record([
    {
      type: 'created',
      actor: { id: ticket.requester.id, role: 'requester', name: ticket.requester.name },
      visibility: 'public',
      data: { channel: ticket.channel, priority: ticket.priority },
    },
  ]);
  recorded = true;

  // The lifecycle after intake arrives with the next steps of the product; until then the ticket stays open.
  await condition(() => ticket.status !== 'new');
}

/** Workflow time: Date is Temporal's deterministic clock inside the workflow sandbox. */
function now(): string {
  return new Date().toISOString();
}

function describe(ticket: Ticket): string {
  return [
    `**${ticket.id}** ${ticket.title}`,
    `Status: ${ticket.status} · ${ticket.priority} · tier ${ticket.tier}`,
    `Assigned: ${ticket.assignment.group ?? '—'} / ${ticket.assignment.agent ?? '—'}`,
  ].join('\n');
}
