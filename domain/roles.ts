// Who may do what (SPEC §14). The API authenticates; these rules decide per object.
import type { Ticket } from './ticket';

export const ROLES = ['requester', 'agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  role: Role;
  name?: string;
  email?: string;
  groups: string[];
}

/** Requesters see their own tickets, agents their groups' tickets and those they work on, supervisors and admins all. */
export function canViewTicket(who: Principal, ticket: Pick<Ticket, 'requester' | 'assignment' | 'collaborators'>): boolean {
  switch (who.role) {
    case 'supervisor':
    case 'admin':
      return true;
    case 'requester':
      return ticket.requester.id === who.sub;
    case 'agent':
      return (
        ticket.assignment.agent === who.sub ||
        (ticket.assignment.group !== null && who.groups.includes(ticket.assignment.group)) ||
        ticket.collaborators.includes(who.sub)
      );
  }
}
