// Who hears about what (SPEC §9). The workflow decides; activities put the message in the outbox; a relay sends it.
import type { Ticket } from './ticket';

export type Recipient =
  | { type: 'requester'; id: string; email?: string; name?: string }
  | { type: 'agent'; id: string }
  | { type: 'group'; id: string }
  | { type: 'supervisors' };

export interface Notification {
  /** Stable per ticket, change and recipient, so a retried write never queues it twice. */
  id: string;
  ticketId: string;
  kind: string;
  to: Recipient;
  subject: string;
  body: string;
  at: string;
}

export type NewNotification = Omit<Notification, 'id' | 'ticketId' | 'at'>;

const ref = (ticket: Ticket) => `[#${ticket.id}]`;

export const requesterOf = (ticket: Ticket): Recipient => ({ type: 'requester', ...ticket.requester });

/** The person or queue working on the ticket: its agent, else its group. */
export function assigneeOf(ticket: Ticket): Recipient | null {
  if (ticket.assignment.agent) return { type: 'agent', id: ticket.assignment.agent };
  if (ticket.assignment.group) return { type: 'group', id: ticket.assignment.group };
  return null;
}

export function message(kind: string, ticket: Ticket, to: Recipient, text: string): NewNotification {
  return { kind, to, subject: `${ref(ticket)} ${ticket.title}`, body: text };
}
