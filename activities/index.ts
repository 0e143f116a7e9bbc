// All I/O of the ticket workflow. Built from its dependencies so the worker and tests pass real ones in.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { draftFromTicket } from '../domain/knowledge';
import type { SlaSnapshot } from '../domain/sla/policy';
import type { Suggestion, Ticket } from '../domain/ticket';
import type { Logger } from '../platform/logger';
import type { DeskConfigStore } from '../store/desk-config';
import type { DispatchOutcome, DispatchRequest, Dispatcher } from '../store/dispatcher';
import { isPermanentStoreError, isStoreUnavailable, refusalReason, STORE_FAILED, STORE_REFUSED } from '../store/failures';
import type { KnowledgeStore } from '../store/knowledge';
import type { KnowledgeSearch } from '../store/knowledge-search';
import type { KpiBuckets } from '../store/kpis';
import type { DiscardedChange, TicketChange, TicketStore } from '../store/tickets';
import { privacyActivities, type PrivacyDeps } from './privacy';

export interface ActivityDeps {
  tickets: TicketStore;
  dispatcher: Dispatcher;
  deskConfig: DeskConfigStore;
  knowledge: KnowledgeStore;
  search: KnowledgeSearch;
  /** Hands new tickets their KPI ledger bucket. */
  kpiBuckets: KpiBuckets;
  logger: Logger;
  /** Erasure and retention (activities/privacy.ts); a worker without them refuses those steps for good. */
  privacy?: PrivacyDeps;
}

export type KnowledgeOutcome = { articleId: string; kind: 'drafted' | 'used' } | { articleId: string; kind: 'missing' } | null;

/** What closing a ticket owes the knowledge base (SPEC §11), done by the change that closes it. */
export type KnowledgeCapture = { kind: 'use'; articleId: string } | { kind: 'draft' };

/** A change as the workflow hands it over: without a KPI bucket at intake (one is handed out), maybe capturing knowledge. */
export interface ChangeToRecord extends Omit<TicketChange, 'kpi'> {
  kpi: { bucket: string | null; backlogChanged: boolean };
  knowledge?: KnowledgeCapture;
}

export interface RecordedChange {
  /** The ticket's KPI bucket, as stored (the one handed out at intake). */
  kpiBucket: string;
  /** When the change captured knowledge: used, missing (the linked article is gone) or drafted. */
  knowledge?: 'used' | 'missing' | 'drafted';
}

/** What intake needs before its first change: where the ticket goes, its SLA policy, known issues. */
export interface IntakeLookups {
  dispatch: DispatchOutcome;
  sla: SlaSnapshot | null;
  suggestions: Suggestion[];
}

export function createActivities(deps: ActivityDeps) {
  const { tickets, dispatcher, deskConfig, knowledge, search, kpiBuckets } = deps;
  return refusingForGood({
    // Erasure and retention, on the same worker and task queue (workflows/privacy.ts).
    ...privacyActivities(deps),

    /**
     * Stores a change of the ticket — document, and one change document with its timeline events, notifications,
     * KPI fact and agent load — in one idempotent step; a closing change captures its knowledge first (a new
     * draft, or one more use of the linked article, which must still be there).
     */
    async recordChange({ knowledge: capture, ...change }: ChangeToRecord): Promise<RecordedChange> {
      let captured: RecordedChange['knowledge'];
      if (capture?.kind === 'use') {
        // The article was checked when the ticket was resolved; should it be gone now, the change says so.
        captured = (await knowledge.recordUse(capture.articleId, change.ticket.id)) ? 'used' : 'missing';
        if (captured === 'missing') change = withKnowledgeMissing(change);
      } else if (capture?.kind === 'draft') {
        await knowledge.captureDraft(draftFromTicket(change.ticket, change.ticket.updatedAt));
        captured = 'drafted';
      }
      const { kpiBucket } = await tickets.record({ ...change, kpi: { ...change.kpi, bucket: change.kpi.bucket ?? kpiBuckets.next(change.ticket.createdAt) } });
      return { kpiBucket, ...(captured ? { knowledge: captured } : {}) };
    },

    /** Removes what a change that failed may have left behind; idempotent, so retries and replays are harmless. */
    async discardChange(change: DiscardedChange): Promise<void> {
      await tickets.discard(change);
    },

    /** Intake's lookups in one step: dispatch (no write: the intake change claims the agent), SLA policy, known issues. */
    async prepareIntake({ ticket, at }: { ticket: Ticket; at: string }): Promise<IntakeLookups> {
      const [dispatch, sla, suggestions] = await Promise.all([dispatcher.dispatch({ ticket, at }), deskConfig.slaSnapshotFor(ticket.productLine), search.suggest(ticket)]);
      return { dispatch, sla, suggestions };
    },

    /** Picks the group and agent for a ticket; nothing is written (the change that records it claims the agent). */
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

    /** Tickets recorded before knowledge moved into the closing change replay this step (it is no longer called). */
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

/** The closing change as it stands when its linked article is gone: the ticket records no knowledge, the timeline says why. */
function withKnowledgeMissing<C extends Omit<ChangeToRecord, 'knowledge'>>(change: C): C {
  return {
    ...change,
    ticket: { ...change.ticket, closure: { ...change.ticket.closure, knowledge: null } },
    events: change.events.map((e) => (e.type === 'knowledge_used' ? { ...e, type: 'knowledge_missing' } : e)),
  };
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
