// Erasure of a person (GDPR Art. 17) and the retention policy (Art. 5(1)(e)) as durable workflows on the tickets'
// task queue (README, "Privacy"). Both anonymise a ticket with the same three steps: end its workflow, rewrite its
// MongoDB records, destroy its data keys. Every step is an idempotent activity, so a worker that dies halfway
// leaves a workflow that another worker finishes. Inputs and results hold ids only: nothing personal reaches here.
import { ApplicationFailure, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { TicketActivities } from '../activities';

// Heartbeats every second (activities/privacy.ts): a dead worker's step is retried elsewhere within 15 s. Retries
// are bounded; steps refused for good (ApplicationFailure.nonRetryable) fail at once.
const privacy = proxyActivities<TicketActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** Tickets anonymised at once: a few, so the store and the ticket workflows are not flooded. */
const AT_ONCE = 4;
/** Tickets per retention run before it continues as new (its history stays small). */
export const RETENTION_BATCH = 100;
/** What the cancelled ticket's timeline says (scrubbed like the rest right after). */
const CANCEL_REASON = 'personal data erased at the person’s request (GDPR Art. 17)';

export interface ErasureInput {
  /** The erasure's record in MongoDB (store/privacy.ts), which names the person while it runs. */
  erasureId: string;
}

/** Anonymises every ticket of one person, then drops who they were from the erasure's record. */
export async function erasureWorkflow({ erasureId }: ErasureInput): Promise<{ tickets: number }> {
  try {
    const tickets = await privacy.planErasure(erasureId);
    await anonymiseTickets(tickets, { erasureId, cancelReason: CANCEL_REASON });
    await privacy.finishErasure(erasureId);
    return { tickets: tickets.length };
  } catch (err) {
    await privacy.failErasure({ erasureId, error: err instanceof Error ? err.message : String(err) });
    throw err instanceof ApplicationFailure ? err : ApplicationFailure.nonRetryable(String(err), 'ErasureFailed');
  }
}

export interface RetentionInput {
  /** The instant the policy is applied at (set by the first run, kept by continue-as-new). */
  at?: string;
  auditId?: string;
  anonymised?: number;
}

/** Anonymises the closed tickets the desk's retention policy makes due, a batch per run (the daily schedule starts it). */
export async function retentionWorkflow(input: RetentionInput = {}): Promise<{ anonymised: number }> {
  const at = input.at ?? new Date().toISOString();
  const auditId = input.auditId ?? workflowInfo().workflowId;
  const { ticketIds, days } = await privacy.planRetention({ at, limit: RETENTION_BATCH });
  const anonymised = (input.anonymised ?? 0) + ticketIds.length;
  if (days === null || anonymised === 0) return { anonymised };
  await anonymiseTickets(ticketIds, { erasureId: null, cancelReason: null });
  const more = ticketIds.length === RETENTION_BATCH;
  await privacy.recordRetention({ auditId, at, days, ticketIds, done: !more });
  if (more) await continueAsNew<typeof retentionWorkflow>({ at, auditId, anonymised });
  return { anonymised };
}

/** The one way a ticket is anonymised, for erasure and retention alike; the key goes last, once nothing needs it. */
async function anonymiseTickets(ticketIds: string[], { erasureId, cancelReason }: { erasureId: string | null; cancelReason: string | null }): Promise<void> {
  for (let i = 0; i < ticketIds.length; i += AT_ONCE) {
    await Promise.all(
      ticketIds.slice(i, i + AT_ONCE).map(async (ticketId) => {
        await privacy.endTicketWorkflow({ ticketId, cancelReason });
        await privacy.anonymiseTicketRecords({ ticketId, erasureId });
        await privacy.shredTicketKeys(ticketId);
      }),
    );
  }
}
