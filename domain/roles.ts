// Who may do what (SPEC §14). The API authenticates; these rules decide per object.
import type { Ticket } from './ticket';

// `gateway` is the mail gateway's service identity: it delivers inbound email and reads nothing.
export const ROLES = ['requester', 'agent', 'supervisor', 'admin', 'gateway'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  role: Role;
  name?: string;
  email?: string;
  groups: string[];
}

/** A requester is known by their id, or by their email for tickets that arrived by email. */
export function isRequesterOf(who: Principal, ticket: Pick<Ticket, 'requester'>): boolean {
  if (ticket.requester.id === who.sub) return true;
  return !!who.email && !!ticket.requester.email && who.email.toLowerCase() === ticket.requester.email.toLowerCase();
}

/** Staff work on tickets and see internal records; requesters only ask, and the mail gateway only delivers mail. */
export function isStaff(who: Pick<Principal, 'role'>): boolean {
  switch (who.role) {
    case 'agent':
    case 'supervisor':
    case 'admin':
      return true;
    case 'requester':
    case 'gateway':
      return false;
  }
}

/** Requesters see their own tickets, agents their groups' tickets and those they work on, supervisors and admins all, the mail gateway none. */
export function canViewTicket(who: Principal, ticket: Pick<Ticket, 'requester' | 'assignment' | 'collaborators'>): boolean {
  switch (who.role) {
    case 'supervisor':
    case 'admin':
      return true;
    case 'requester':
      return isRequesterOf(who, ticket);
    case 'agent':
      return (
        ticket.assignment.agent === who.sub ||
        (ticket.assignment.group !== null && who.groups.includes(ticket.assignment.group)) ||
        ticket.collaborators.includes(who.sub)
      );
    case 'gateway':
      return false;
  }
}
