// Ticket routes: validate, authorize, hand over to the ticket's workflow (SPEC §16).
import type { Principal } from '../../domain/roles';
import { canViewTicket } from '../../domain/roles';
import type { Person, Ticket } from '../../domain/ticket';
import { ticketWorkflowId } from '../../domain/ticket';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../http/problem';
import { defineRoute } from '../http/routes';
import { newTicketId, ticketIdForKey } from './ids';
import { createTicketBody, idempotencyKeyHeader, ticketIdParam, ticketResource, type CreateTicketBody, type TicketResource } from './schemas';

export function ticketRoutes({ desk, tickets, config }: ApiDeps) {
  const present = (ticket: Ticket): TicketResource => {
    const workflowId = ticketWorkflowId(ticket.id);
    const uiUrl = `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
    return { ...ticket, temporal: { workflowId, uiUrl } };
  };

  const findVisible = async (id: string, who: Principal): Promise<Ticket> => {
    const ticket = await tickets.findById(id);
    // Invisible and unknown look the same, so ids cannot be probed.
    if (!ticket || !canViewTicket(who, ticket)) throw notFound('ticket');
    return ticket;
  };

  return [
    defineRoute<CreateTicketBody>({
      method: 'post',
      path: '/tickets',
      summary: 'Open a ticket (portal, chat, phone, api)',
      tags: ['tickets'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      body: createTicketBody,
      headers: { 'Idempotency-Key': { description: 'Repeat a request safely: the same key returns the original ticket', schema: idempotencyKeyHeader } },
      responses: {
        201: { description: 'The ticket was opened', schema: ticketResource },
        200: { description: 'A repeat of an earlier request: the original ticket', schema: ticketResource },
      },
      async handle({ body, principal, headers }) {
        const key = headers['Idempotency-Key'];
        const { requester: onBehalfOf, ...intake } = body;
        const opened = await desk.open(
          { ...intake, id: key ? ticketIdForKey(principal.sub, key) : newTicketId(), requester: requesterOf(principal, onBehalfOf) },
          body,
        );
        return {
          status: opened.created ? 201 : 200,
          body: present(opened.ticket),
          headers: { Location: `/tickets/${opened.ticket.id}`, ...(opened.created ? {} : { 'Idempotent-Replayed': 'true' }) },
        };
      },
    }),

    defineRoute<undefined, undefined, { id: string }>({
      method: 'get',
      path: '/tickets/{id}',
      summary: 'A ticket as it stands now',
      tags: ['tickets'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      params: ticketIdParam,
      responses: { 200: { description: 'The ticket', schema: ticketResource }, 404: { description: 'Unknown or not visible' } },
      async handle({ params, principal }) {
        return { status: 200, body: present(await findVisible(params.id, principal)) };
      },
    }),
  ];
}

/** Requesters always open tickets for themselves; staff may name the person they are helping. */
function requesterOf(principal: Principal, onBehalfOf: Person | undefined): Person {
  if (onBehalfOf && principal.role === 'requester' && onBehalfOf.id !== principal.sub) throw forbidden('requesters open tickets for themselves only');
  if (onBehalfOf) return onBehalfOf;
  return { id: principal.sub, ...(principal.name ? { name: principal.name } : {}), ...(principal.email ? { email: principal.email } : {}) };
}
