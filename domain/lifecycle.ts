// The ticket lifecycle (SPEC §3) as a table of actions: which statuses each may start from and where it leads.
// Escalation tier and SLA flags are attributes, not statuses, so they do not appear here.
import { illegal } from './errors';
import type { TicketStatus } from './ticket';

const OPEN: TicketStatus[] = ['new', 'triage', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved'];
const WORKING: TicketStatus[] = ['assigned', 'in_progress', 'waiting_on_customer'];

export const ACTIONS = {
  dispatch: { from: ['new'], to: 'assigned' },
  sendToTriage: { from: ['new', 'assigned', 'in_progress', 'waiting_on_customer'], to: 'triage' },
  assign: { from: ['triage', ...WORKING], to: 'assigned' },
  startWork: { from: ['assigned', 'waiting_on_customer'], to: 'in_progress' },
  waitOnCustomer: { from: ['assigned', 'in_progress'], to: 'waiting_on_customer' },
  resolve: { from: WORKING, to: 'resolved' },
  confirm: { from: ['resolved'], to: 'closed' },
  reject: { from: ['resolved'], to: 'in_progress' },
  autoClose: { from: ['resolved'], to: 'closed' },
  selfServe: { from: ['new', 'triage', 'assigned', 'in_progress', 'waiting_on_customer'], to: 'closed' },
  cancel: { from: OPEN, to: 'cancelled' },
} as const satisfies Record<string, { from: readonly TicketStatus[]; to: TicketStatus }>;

export type Action = keyof typeof ACTIONS;

const VERBS: Record<Action, string> = {
  dispatch: 'dispatch',
  sendToTriage: 'send to triage',
  assign: 'assign',
  startWork: 'start work on',
  waitOnCustomer: 'wait on the customer for',
  resolve: 'resolve',
  confirm: 'confirm',
  reject: 'reject the resolution of',
  autoClose: 'close',
  selfServe: 'resolve by self-service',
  cancel: 'cancel',
};

export function canApply(action: Action, from: TicketStatus): boolean {
  return (ACTIONS[action].from as readonly TicketStatus[]).includes(from);
}

/** The status after the action, or a refusal that says why, changing nothing. */
export function nextStatus(action: Action, from: TicketStatus): TicketStatus {
  if (!canApply(action, from)) {
    const allowed = ACTIONS[action].from.join(', ');
    throw illegal(`cannot ${VERBS[action]} a ticket that is ${from} (only from: ${allowed})`);
  }
  return ACTIONS[action].to;
}

export const isOpen = (status: TicketStatus) => OPEN.includes(status);
/** Open and not yet resolved: the desk still owes the requester a solution. */
export const isUnsolved = (status: TicketStatus) => isOpen(status) && status !== 'resolved';
export const isWorking = (status: TicketStatus) => WORKING.includes(status);
