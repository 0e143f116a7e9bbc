// All I/O of the ticket workflow. Built from its dependencies so the worker and tests pass real ones in.
import { draftFromTicket } from '../domain/knowledge';
import type { SlaSnapshot } from '../domain/sla/policy';
import type { Suggestion, Ticket } from '../domain/ticket';
import type { Logger } from '../platform/logger';
import type { DeskConfigStore } from '../store/desk-config';
import type { KnowledgeStore } from '../store/knowledge';
import type { KnowledgeSearch } from '../store/knowledge-search';
import type { DispatchOutcome, DispatchRequest, Dispatcher } from '../store/dispatcher';
import type { TicketChange, TicketStore } from '../store/tickets';

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
  };
}

export type TicketActivities = ReturnType<typeof createActivities>;
