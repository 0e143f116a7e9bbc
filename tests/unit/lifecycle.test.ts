import fc from 'fast-check';
import { Refusal } from '../../domain/errors';
import { ACTIONS, canApply, isOpen, nextStatus, type Action } from '../../domain/lifecycle';
import { STATUSES, type TicketStatus } from '../../domain/ticket';

const actions = Object.keys(ACTIONS) as Action[];

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
    try {
      nextStatus('resolve', 'closed');
    } catch (err) {
      expect((err as Refusal).kind).toBe('IllegalTransition');
    }
  });

  it('agrees with its table for every action and status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...actions), fc.constantFrom(...STATUSES), (action, status) => {
        const allowed = (ACTIONS[action].from as readonly string[]).includes(status);
        if (allowed) expect(nextStatus(action, status)).toBe(ACTIONS[action].to);
        else expect(() => nextStatus(action, status)).toThrow(Refusal);
      }),
    );
  });
});
