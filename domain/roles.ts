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

/**
 * Who may see a ticket (SPEC §14), written once. A ticket has access keys (its requester and their email, its group,
 * its agent and collaborators) and a caller holds keys; they see the ticket when they share one. Supervisors and
 * admins see every ticket, the mail gateway none. `canViewTicket` applies the rule to one ticket; the store keeps
 * each ticket's keys on its document and queries by the caller's (store/tickets.ts), so both read this one rule.
 */
export type TicketAccess = { kind: 'all' } | { kind: 'none' } | { kind: 'keys'; keys: string[] };

/** The keys a caller holds: requesters their id and email, agents their groups and themselves. */
export function accessOf(who: Pick<Principal, 'sub' | 'role' | 'email' | 'groups'>): TicketAccess {
  switch (who.role) {
    case 'supervisor':
    case 'admin':
      return { kind: 'all' };
    case 'requester':
      return { kind: 'keys', keys: [`requester:${who.sub}`, ...(who.email ? [`email:${who.email.toLowerCase()}`] : [])] };
    case 'agent':
      return { kind: 'keys', keys: [...who.groups.map((g) => `group:${g}`), `agent:${who.sub}`] };
    case 'gateway':
      return { kind: 'none' };
  }
}

/** The keys a ticket opens to: its requester (by id and email), its group, its agent and its collaborators. */
export function accessKeysOf(ticket: Pick<Ticket, 'requester' | 'assignment' | 'collaborators'>): string[] {
  const keys = [`requester:${ticket.requester.id}`];
  if (ticket.requester.email) keys.push(`email:${ticket.requester.email.toLowerCase()}`);
  if (ticket.assignment.group !== null) keys.push(`group:${ticket.assignment.group}`);
  for (const agent of [ticket.assignment.agent, ...ticket.collaborators]) if (agent !== null && !keys.includes(`agent:${agent}`)) keys.push(`agent:${agent}`);
  return keys;
}

/** Requesters see their own tickets, agents their groups' tickets and those they work on, supervisors and admins all, the mail gateway none. */
export function canViewTicket(who: Pick<Principal, 'sub' | 'role' | 'email' | 'groups'>, ticket: Pick<Ticket, 'requester' | 'assignment' | 'collaborators'>): boolean {
  const access = accessOf(who);
  if (access.kind !== 'keys') return access.kind === 'all';
  const keys = accessKeysOf(ticket);
  return access.keys.some((key) => keys.includes(key));
}
