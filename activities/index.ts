// All I/O of the ticket workflow. Built from its dependencies so the worker and tests pass real ones in.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { draftFromTicket } from '../domain/knowledge';
import type { SlaSnapshot } from '../domain/sla/policy';
import type { Suggestion, Ticket } from '../domain/ticket';
import type { Logger } from '../platform/logger';
import type { DeskConfigStore } from '../store/desk-config';
import type { KnowledgeStore } from '../store/knowledge';
import type { KnowledgeSearch } from '../store/knowledge-search';
import type { DispatchOutcome, DispatchRequest, Dispatcher } from '../store/dispatcher';
import { isPermanentStoreError, isStoreUnavailable, refusalReason, STORE_FAILED, STORE_REFUSED } from '../store/failures';
import type { DiscardedChange, TicketChange, TicketStore } from '../store/tickets';

export interface ActivityDeps {
  tickets: TicketStore;
  dispatcher: Dispatcher;
  deskConfig: DeskConfigStore;
  knowledge: KnowledgeStore;
  search: KnowledgeSearch;
  logger: Logger;
}

export type KnowledgeOutcome = { articleId: string; kind: 'drafted' | 'used' } | { articleId: string; kind: 'missing' } | null;

export function createActivities({ tickets, dispatcher, deskConfig, knowledge, search }: ActivityDeps) {
  return refusingForGood({
    /** Stores a change of the ticket — document, timeline events, notifications, agent load — in one idempotent step. */
    async recordChange(change: TicketChange): Promise<void> {
      await tickets.record(change);
    },

    /** Removes what a change that failed may have left behind; idempotent, so retries and replays are harmless. */
    async discardChange(change: DiscardedChange): Promise<void> {
      await tickets.discard(change);
    },

    /** Picks the group and agent for a ticket; a retry finds the agent it already claimed. */
    async dispatchTicket(request: DispatchRequest): Promise<DispatchOutcome> {
      return dispatcher.dispatch(request);
    },

    /** The SLA policy (and its calendars) a new ticket keeps for life; reading only, so retries are harmless. */
    async slaPolicyFor(productLine: string): Promise<SlaSnapshot | null> {
      return deskConfig.slaSnapshotFor(productLine);
    },

    /** Known issues for a new ticket: up to three published articles, ranked, with their scores. */
    async suggestArticles(ticket: Pick<Ticket, 'title' | 'description' | 'productLine' | 'module'>): Promise<Suggestion[]> {
      return search.suggest(ticket);
    },

    /** A closed ticket's solution feeds the knowledge base: a new draft, or one more use of the linked article. */
    async captureKnowledge({ ticket, at }: { ticket: Ticket; at: string }): Promise<KnowledgeOutcome> {
      const resolution = ticket.resolution;
      if (!resolution) return null;
      if (resolution.kbArticleId) {
        const found = await knowledge.recordUse(resolution.kbArticleId, ticket.id);
        return { articleId: resolution.kbArticleId, kind: found ? 'used' : 'missing' };
      }
      if (!resolution.newKnowledge) return null;
      const draft = draftFromTicket(ticket, at);
      await knowledge.captureDraft(draft);
      return { articleId: draft.id, kind: 'drafted' };
    },
  });
}

/** Attempts an error that is neither a refusal nor an unreachable store gets before it fails the change. */
const UNEXPLAINED_ATTEMPTS = 5;

/**
 * Each activity, with its errors shaped for the retry policy: a store error that would fail the same way again is
 * non-retryable StoreRefused; an unreachable store stays retryable (the policy waits for it); anything else gets
 * a few attempts, then fails for good, so an unexplained fault cannot hold the ticket for the whole wait.
 */
function refusingForGood<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (err) {
        const details = { error: (err as Error).name, code: (err as { code?: unknown }).code ?? null };
        if (isPermanentStoreError(err)) throw ApplicationFailure.nonRetryable(refusalReason(err), STORE_REFUSED, details);
        if (!isStoreUnavailable(err) && Context.current().info.attempt >= UNEXPLAINED_ATTEMPTS) {
          throw ApplicationFailure.nonRetryable(String((err as Error).message ?? err).slice(0, 300), STORE_FAILED, details);
        }
        throw err;
      }
    };
  }
  return wrapped as T;
}

export type TicketActivities = ReturnType<typeof createActivities>;
