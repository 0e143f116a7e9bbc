// All I/O of the ticket workflow. Built from its dependencies so the worker and tests pass real ones in.
import type { Logger } from '../platform/logger';
import type { TicketChange, TicketStore } from '../store/tickets';

export interface ActivityDeps {
  tickets: TicketStore;
  logger: Logger;
}

export function createActivities({ tickets }: ActivityDeps) {
  return {
    /** Stores the ticket and its new timeline events in one idempotent step. */
    async recordChange(change: TicketChange): Promise<void> {
      await tickets.record(change);
    },
  };
}

export type TicketActivities = ReturnType<typeof createActivities>;
