// How tickets and their events look from the outside, and which ones a caller may reach.
import type { Config } from '../../platform/config';
import { canViewTicket, type Principal } from '../../domain/roles';
import { ticketWorkflowId, type Ticket } from '../../domain/ticket';
import type { Actor, TimelineEvent } from '../../domain/timeline';
import type { TicketStore } from '../../store/tickets';
import { notFound } from '../http/problem';
import type { TicketResource } from './schemas';

export function presenter(config: Pick<Config, 'temporalUiUrl' | 'temporalNamespace'>) {
  return (ticket: Ticket): TicketResource => {
    const workflowId = ticketWorkflowId(ticket.id);
    const uiUrl = `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
    return { ...ticket, temporal: { workflowId, uiUrl } };
  };
}

/** Requesters never see internal events (notes, assignments, notifications). */
export function visibleEvents(events: TimelineEvent[], who: Principal): TimelineEvent[] {
  return who.role === 'requester' ? events.filter((e) => e.visibility === 'public') : events;
}

export const actorOf = (who: Principal): Actor => ({ id: who.sub, role: who.role, ...(who.name ? { name: who.name } : {}) });

/** Unknown and invisible look the same (404), so ticket ids cannot be probed. */
export async function findVisible(tickets: TicketStore, id: string, who: Principal): Promise<Ticket> {
  const ticket = await tickets.findById(id);
  if (!ticket || !canViewTicket(who, ticket)) throw notFound('ticket');
  return ticket;
}

/** Idempotency keys are scoped to the caller, so two callers never collide. */
export const requestKey = (who: Principal, key: string | undefined) => (key ? `${who.sub}:${key}` : undefined);
