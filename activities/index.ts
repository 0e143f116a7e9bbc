// All I/O of the ticket workflow. Built from its dependencies so the worker and tests pass real ones in.
import type { SlaSnapshot } from '../domain/sla/policy';
import type { Logger } from '../platform/logger';
import type { DeskConfigStore } from '../store/desk-config';
import type { DispatchOutcome, DispatchRequest, Dispatcher } from '../store/dispatcher';
import type { TicketChange, TicketStore } from '../store/tickets';

export interface ActivityDeps {
  tickets: TicketStore;
  dispatcher: Dispatcher;
  deskConfig: DeskConfigStore;
  logger: Logger;
}

export function createActivities({ tickets, dispatcher, deskConfig }: ActivityDeps) {
  return {
    /** Stores a change of the ticket — document, timeline events, notifications, agent load — in one idempotent step. */
    async recordChange(change: TicketChange): Promise<void> {
      await tickets.record(change);
    },

    /** Picks the group and agent for a ticket; a retry finds the agent it already claimed. */
    async dispatchTicket(request: DispatchRequest): Promise<DispatchOutcome> {
      return dispatcher.dispatch(request);
    },

    /** The SLA policy (and its calendars) a new ticket keeps for life; reading only, so retries are harmless. */
    async slaPolicyFor(productLine: string): Promise<SlaSnapshot | null> {
      return deskConfig.slaSnapshotFor(productLine);
    },
  };
}

export type TicketActivities = ReturnType<typeof createActivities>;
