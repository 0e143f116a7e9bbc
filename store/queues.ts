// Work queues: the tickets that need an agent or a supervisor now, as MongoDB filters applied on top of what the
// caller may see (store/tickets.ts). Ticket documents carry two keys derived from the ticket for them, written with every
// change: `queueFlags`, matched by top-level equality, which FerretDB pushes down to PostgreSQL (it pushes no nested
// field, $or or $in, SPEC §18), so a count reads the tickets of its queue rather than every ticket ever filed; and
// `dueAt`, the nearest running SLA deadline, which MongoDB sorts and pages by.
import { isOpen, isUnsolved } from '../domain/lifecycle';
import type { Principal, Role } from '../domain/roles';
import type { Ticket } from '../domain/ticket';

export type Filter = Record<string, unknown>;

/** Sorts after every real deadline, so tickets without a running one come last in `due` order. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

/** What a ticket is, as far as the queues go: work still owed (unsolved), and on whom. */
export type QueueFlag = 'unsolved' | 'unassigned' | 'breached' | 'review_pending';

/** The keys a ticket document carries for the queues, beyond the ticket itself. */
export interface QueueKeys {
  queueFlags: QueueFlag[];
  dueAt: string;
}

export function queueKeys(ticket: Ticket): QueueKeys {
  const { status, assignment, sla, closure } = ticket;
  const flags: QueueFlag[] = [];
  if (isUnsolved(status)) {
    flags.push('unsolved');
    // In a group's queue, nobody's yet (triage has no group: it is the supervisors' queue).
    if (assignment.group !== null && assignment.agent === null) flags.push('unassigned');
    if (sla.responseBreached || sla.resolutionBreached) flags.push('breached');
  }
  if (closure.review?.status === 'pending') flags.push('review_pending');
  return { queueFlags: flags, dueAt: nextDeadline(ticket) ?? NO_DEADLINE };
}

/** The nearest deadline still running, passed or not: the response until the first response, the resolution while its clock runs. */
export function nextDeadline({ status, sla }: Pick<Ticket, 'status' | 'sla'>): string | null {
  if (!isOpen(status)) return null;
  // A paused resolution clock shows no deadline (waiting on the customer, awaiting confirmation).
  const running = [sla.firstRespondedAt === null ? sla.responseDue : null, sla.resolutionDue].filter((d): d is string => d !== null);
  return running.length ? running.reduce((a, b) => (a < b ? a : b)) : null;
}

export const QUEUE_IDS = ['mine', 'unassigned', 'breaching', 'waiting', 'triage', 'breached', 'reviews'] as const;
export type QueueId = (typeof QUEUE_IDS)[number];

/** How soon a deadline counts as about to breach. */
export const BREACHING_WITHIN_MS = 3_600_000;

const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];
const LEADS: readonly Role[] = ['supervisor', 'admin'];

interface Queue {
  roles: readonly Role[];
  title(who: Principal): string;
  filter(who: Principal, now: number): Filter;
}

const iso = (ms: number) => new Date(ms).toISOString();

export const QUEUES: Record<QueueId, Queue> = {
  mine: {
    roles: STAFF,
    title: () => 'Assigned to me',
    filter: (who) => ({ queueFlags: 'unsolved', 'assignment.agent': who.sub }),
  },
  unassigned: {
    roles: STAFF,
    title: (who) => (who.role === 'agent' ? 'Unassigned in my groups' : 'Unassigned'),
    // Agents see their groups' queues; supervisors and admins every group's.
    filter: (who) => ({ queueFlags: 'unassigned', ...(who.role === 'agent' ? { $or: who.groups.length ? who.groups.map((group) => ({ 'assignment.group': group })) : [{ 'assignment.group': '' }] } : {}) }),
  },
  breaching: {
    roles: STAFF,
    title: () => 'SLA due within the hour',
    filter: (_who, now) => {
      const within = { $gt: iso(now), $lte: iso(now + BREACHING_WITHIN_MS) };
      return {
        queueFlags: 'unsolved',
        $or: [
          { 'sla.firstRespondedAt': null, 'sla.responseBreached': false, 'sla.responseDue': within },
          { 'sla.resolutionBreached': false, 'sla.resolutionDue': within },
        ],
      };
    },
  },
  waiting: {
    roles: STAFF,
    title: () => 'Waiting on the customer',
    filter: () => ({ status: 'waiting_on_customer' }),
  },
  triage: {
    roles: LEADS,
    title: () => 'Needs triage',
    filter: () => ({ status: 'triage' }),
  },
  breached: {
    roles: STAFF,
    title: () => 'SLA breached',
    filter: () => ({ queueFlags: 'breached' }),
  },
  reviews: {
    roles: LEADS,
    title: () => 'Post-incident reviews pending',
    filter: () => ({ queueFlags: 'review_pending' }),
  },
};

export const queuesOf = (who: Principal): QueueId[] => QUEUE_IDS.filter((id) => QUEUES[id].roles.includes(who.role));

/**
 * All of the filters. Plain equalities go to the top level, where FerretDB pushes them down to PostgreSQL
 * instead of decoding every document to test them (SPEC §18); the rest stays under $and. Same meaning either way.
 */
export function allOf(...filters: Filter[]): Filter {
  const top: Filter = {};
  const rest: Filter[] = [];
  for (const filter of filters) {
    for (const [key, value] of Object.entries(filter)) {
      const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
      if (plain && !key.startsWith('$') && !(key in top)) top[key] = value;
      else rest.push({ [key]: value });
    }
  }
  return rest.length ? { ...top, $and: rest } : top;
}
