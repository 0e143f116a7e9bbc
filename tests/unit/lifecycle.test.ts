import { Refusal } from '../../domain/errors';
import { ACTIONS, canApply, isOpen, nextStatus, type Action } from '../../domain/lifecycle';
import { STATUSES, type TicketStatus } from '../../domain/ticket';

const actions = Object.keys(ACTIONS) as Action[];

// SPEC §3 written out by hand, status by status: where each action leads; an action not listed is refused.
// §3 gives the main path, the reopen and the cancellation; §4 self-service (accepting a suggested article) closes
// an unresolved ticket; §6 a ticket without a matching rule goes to triage and a supervisor assigns it; §6/§8 a
// transfer or reassignment keeps a worked ticket assigned, or sends it back to triage; §10 the requester confirms
// or rejects a resolution, or the confirmation window closes it.
const SPEC_3: Record<TicketStatus, Partial<Record<Action, TicketStatus>>> = {
  new: { dispatch: 'assigned', sendToTriage: 'triage', selfServe: 'closed', cancel: 'cancelled' },
  triage: { assign: 'assigned', selfServe: 'closed', cancel: 'cancelled' },
  assigned: {
    startWork: 'in_progress',
    waitOnCustomer: 'waiting_on_customer',
    resolve: 'resolved',
    assign: 'assigned',
    sendToTriage: 'triage',
    selfServe: 'closed',
    cancel: 'cancelled',
  },
  in_progress: {
    waitOnCustomer: 'waiting_on_customer',
    resolve: 'resolved',
    assign: 'assigned',
    sendToTriage: 'triage',
    selfServe: 'closed',
    cancel: 'cancelled',
  },
  waiting_on_customer: {
    startWork: 'in_progress',
    resolve: 'resolved',
    assign: 'assigned',
    sendToTriage: 'triage',
    selfServe: 'closed',
    cancel: 'cancelled',
  },
  resolved: { confirm: 'closed', reject: 'in_progress', autoClose: 'closed', cancel: 'cancelled' },
  closed: {},
  cancelled: {},
};
const SPEC_ACTIONS: Action[] = ['dispatch', 'sendToTriage', 'assign', 'startWork', 'waitOnCustomer', 'resolve', 'confirm', 'reject', 'autoClose', 'selfServe', 'cancel'];

describe('ticket lifecycle', () => {
  it('follows SPEC §3: the main path from new to closed', () => {
    let status: TicketStatus = 'new';
    for (const action of ['dispatch', 'startWork', 'waitOnCustomer', 'startWork', 'resolve', 'reject', 'resolve', 'confirm'] as Action[]) {
      status = nextStatus(action, status);
    }
    expect(status).toBe('closed');
  });

  it('reaches triage when dispatch finds no rule, and leaves it only by assignment or cancellation', () => {
    expect(nextStatus('sendToTriage', 'new')).toBe('triage');
    expect(actions.filter((a) => canApply(a, 'triage')).sort()).toEqual(['assign', 'cancel', 'selfServe']);
  });

  it('reopens a rejected resolution into in_progress', () => {
    expect(nextStatus('reject', 'resolved')).toBe('in_progress');
  });

  it('lets every open status be cancelled, and nothing happen to closed or cancelled tickets', () => {
    for (const status of STATUSES) {
      expect(canApply('cancel', status)).toBe(isOpen(status));
      if (!isOpen(status)) expect(actions.filter((a) => canApply(a, status))).toEqual([]);
    }
  });

  it('refuses an illegal transition with a message that names the action and the status', () => {
    expect(() => nextStatus('confirm', 'in_progress')).toThrow(Refusal);
    expect(() => nextStatus('confirm', 'in_progress')).toThrow(/cannot confirm a ticket that is in_progress/);
    expect(() => nextStatus('resolve', 'closed')).toThrow(expect.objectContaining({ name: 'Refusal', kind: 'IllegalTransition' }));
  });

  it('knows exactly the actions SPEC §3 names', () => {
    expect([...actions].sort()).toEqual([...SPEC_ACTIONS].sort());
  });

  it('does what SPEC §3 says for every action from every status, and refuses the rest', () => {
    const outcome = (action: Action, status: TicketStatus): string => {
      try {
        return nextStatus(action, status);
      } catch (err) {
        if (err instanceof Refusal && err.kind === 'IllegalTransition') return 'refused';
        throw err;
      }
    };
    // One table for all 11 × 8 pairs, so a failure shows every pair that differs.
    const table = (cell: (action: Action, status: TicketStatus) => string) =>
      Object.fromEntries(STATUSES.map((status) => [status, Object.fromEntries(SPEC_ACTIONS.map((action) => [action, cell(action, status)]))]));
    expect(table(outcome)).toEqual(table((action, status) => SPEC_3[status][action] ?? 'refused'));
  });
});
