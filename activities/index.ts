// All I/O of the ticket workflow. Built from its dependencies so the worker and tests pass real ones in.
import type { Logger } from '../platform/logger';
import type { DispatchOutcome, DispatchRequest, Dispatcher } from '../store/dispatcher';
import type { TicketChange, TicketStore } from '../store/tickets';

export interface ActivityDeps {
  tickets: TicketStore;
  dispatcher: Dispatcher;
  logger: Logger;
}

export function createActivities({ tickets, dispatcher }: ActivityDeps) {
  return {
    /** Stores a change of the ticket — document, timeline events, notifications, agent load — in one idempotent step. */
    async recordChange(change: TicketChange): Promise<void> {
      await tickets.record(change);
    },

    /** Picks the group and agent for a ticket; a retry finds the agent it already claimed. */
    async dispatchTicket(request: DispatchRequest): Promise<DispatchOutcome> {
      return dispatcher.dispatch(request);
    },
  };
}

export type TicketActivities = ReturnType<typeof createActivities>;
