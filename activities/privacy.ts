// The steps of erasure and retention (workflows/privacy.ts; README, "Privacy"). Each is idempotent per (person or
// run, step, ticket): a retry, or a run after a worker crash, finds the work done or finishes it, never does it twice.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isOpen } from '../domain/lifecycle';
import { retentionCutoff } from '../domain/privacy';
import { ticketWorkflowId } from '../domain/ticket';
import type { Logger } from '../platform/logger';
import type { EncryptionCodec } from '../platform/payload-codec';
import { ticketOwner } from '../platform/payload-keys';
import type { DeskConfigStore } from '../store/desk-config';
import type { PayloadKeyStore } from '../store/keys';
import type { PrivacyStore } from '../store/privacy';
import type { TicketStore } from '../store/tickets';
import { cancelTicket } from '../workflows/definitions';

export interface PrivacyDeps {
  store: PrivacyStore;
  keys: PayloadKeyStore;
  /** Ends tickets' workflows: the normal cancel update, else terminate. */
  temporal: Client;
  /** This process's codec: the keys it holds of a shredded ticket are dropped at once (others within their cache's 5 minutes). */
  codec: EncryptionCodec | null;
}

/** How erasure appears in a cancelled ticket's timeline (its own text is scrubbed right after). */
const ERASURE_ACTOR = { id: 'privacy', role: 'system' as const, name: 'Personal data erasure' };
const ERASURE_CALLER = { sub: 'privacy', role: 'admin' as const, groups: [] };
/** How long a cancelled ticket's workflow is given to end by itself before it is terminated. */
const END_WAIT_MS = 10_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function privacyActivities(deps: { tickets: TicketStore; deskConfig: DeskConfigStore; logger: Logger; privacy?: PrivacyDeps }) {
  const { tickets, deskConfig, logger } = deps;
  const need = (): PrivacyDeps => {
    if (!deps.privacy) throw ApplicationFailure.nonRetryable('this worker runs without the privacy dependencies (worker/deps.ts)', 'PrivacyUnavailable');
    return deps.privacy;
  };

  return beating({
    /** The person's tickets (ids) and identifiers, found once and kept in the erasure's record. */
    async planErasure(erasureId: string): Promise<string[]> {
      return need().store.planErasure(erasureId, tickets);
    },

    /**
     * Ends a ticket's workflow before its records and keys go: an open ticket is cancelled through its own cancel
     * update (an update id per ticket, so a retry gets the first outcome) and given a few seconds to end; whatever
     * still runs then (a closed ticket whose survey or review window is open) is terminated.
     */
    async endTicketWorkflow({ ticketId, cancelReason }: { ticketId: string; cancelReason: string | null }): Promise<'ended' | 'cancelled' | 'terminated'> {
      const handle = need().temporal.workflow.getHandle(ticketWorkflowId(ticketId));
      const running = async () => {
        try {
          return (await handle.describe()).status.name === 'RUNNING';
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return false;
          throw err;
        }
      };
      if (!(await running())) return 'ended';
      const ticket = await tickets.findById(ticketId);
      if (cancelReason && ticket && isOpen(ticket.status)) {
        try {
          await handle.executeUpdate(cancelTicket, { args: [{ actor: ERASURE_ACTOR, caller: ERASURE_CALLER, reason: cancelReason }], updateId: `privacy-cancel:${ticketId}` });
        } catch (err) {
          // It moved on meanwhile (resolved, closed) or ended: terminated below if it still runs.
          logger.warn({ ticketId, error: (err as Error).message }, 'erasure could not cancel the ticket; it is ended otherwise');
        }
        for (const deadline = Date.now() + END_WAIT_MS; Date.now() < deadline; await pause(250)) if (!(await running())) return 'cancelled';
      }
      try {
        await handle.terminate(cancelReason ? 'personal data erased' : 'anonymised under the retention policy');
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      return 'terminated';
    },

    /** Rewrites every MongoDB record of the ticket once the change relay has delivered its last changes. */
    async anonymiseTicketRecords({ ticketId, erasureId }: { ticketId: string; erasureId: string | null }): Promise<void> {
      const { store } = need();
      const ticket = await tickets.findById(ticketId);
      if (!ticket) return;
      const who = erasureId ? await store.subjectOf(erasureId) : null;
      // The cancellation's notices are sent before their text goes, never after with a blank recipient.
      for (const deadline = Date.now() + 30_000; !(await store.relaySettled(ticketId)); await pause(200)) {
        if (Date.now() > deadline) throw ApplicationFailure.retryable('the change relay has not delivered the ticket’s last changes yet', 'RelayPending');
      }
      await store.anonymiseTicket(ticket, who);
    },

    /** Crypto-shredding: the ticket's data keys go, so its Temporal histories can never be decoded again. */
    async shredTicketKeys(ticketId: string): Promise<void> {
      const { keys, codec } = need();
      await keys.destroy(ticketOwner(ticketId));
      codec?.keys.forget(ticketOwner(ticketId));
    },

    async finishErasure(erasureId: string): Promise<void> {
      await need().store.finishErasure(erasureId, new Date().toISOString());
    },

    async failErasure({ erasureId, error }: { erasureId: string; error: string }): Promise<void> {
      await need().store.failErasure(erasureId, error);
    },

    /** The closed tickets due under the desk's retention policy at `at`, at most `limit`; days null: no policy. */
    async planRetention({ at, limit }: { at: string; limit: number }): Promise<{ ticketIds: string[]; days: number | null }> {
      const policy = await deskConfig.retention();
      const cutoff = retentionCutoff(policy, Date.parse(at));
      return { ticketIds: cutoff === null ? [] : await need().store.closedBefore(cutoff, limit), days: policy.anonymiseClosedAfterDays };
    },

    async recordRetention({ auditId, at, days, ticketIds, done }: { auditId: string; at: string; days: number; ticketIds: string[]; done: boolean }): Promise<void> {
      await need().store.recordRetention(auditId, at, days, ticketIds, done);
    },
  });
}

/** Each activity heartbeats while it runs, so one whose worker died is retried elsewhere within the heartbeat timeout. */
function beating<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      const context = Context.current();
      const timer = setInterval(() => context.heartbeat(), 1_000);
      try {
        return await activity(...args);
      } finally {
        clearInterval(timer);
      }
    };
  }
  return wrapped as T;
}
