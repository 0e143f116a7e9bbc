// How a change of the ticket is stored: one change at a time (the lock), as one idempotent local activity that writes
// the change document (timeline events, notifications, KPI fact, agents' load) and the ticket document; then the
// Temporal UI's view. A change the store fails is rolled back: the state goes back, its leftovers are removed.
import { log, proxyLocalActivities } from '@temporalio/workflow';
import type { KnowledgeCapture, TicketActivities } from '../activities';
import { legacyKpiBucketOf } from '../domain/kpis';
import { isOpen } from '../domain/lifecycle';
import type { NewNotification, Recipient } from '../domain/notifications';
import type { Ticket } from '../domain/ticket';
import { SYSTEM, type NewTimelineEvent } from '../domain/timeline';
import type { ChangeResult } from './definitions';
import { storeFailure } from './failures';
import type { TicketState } from './state';
import { TemporalUi, summarize } from './temporal-ui';
import { nextTimer, nowIso, nowMs, refreshSlaView } from './timers';

// The desk's data, read and written by local activities: MongoDB calls are short, so they cost no workflow task of
// their own. Their retries are bounded and shaped by the error (activities/index.ts): a write the store refuses for
// good fails at once (StoreRefused), an unexplained error after 5 attempts, and a store that cannot be reached
// (down, restarting) is waited for: 5 s an attempt (the driver's server selection timeout), backing off to 5 s, 60
// attempts, about ten minutes. Waiting rather than failing keeps an outage from costing anything: the API answers
// 503 meanwhile, and the caller's retry (same Idempotency-Key, same update id) attaches to this very change.
export const helpdesk = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 60 },
});

// Removing what a failed change left is best effort: a few quick tries, then the workflow moves on.
const cleanup = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '2 seconds',
  scheduleToCloseTimeout: '4 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second', maximumAttempts: 3 },
});

/** What a step of the process wants stored with the ticket. */
export interface Change {
  events: NewTimelineEvent[];
  notifications: NewNotification[];
  /** Agents whose open-ticket count the change ends (release) or starts (claim). */
  load: { release?: string[]; claim?: string[] };
  /** What a closing change owes the knowledge base, captured with it. */
  knowledge?: KnowledgeCapture;
}

export const newChange = (): Change => ({ events: [], notifications: [], load: {} });

/** Runs changes one after another, so two updates that await activities never interleave. */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** True while a change runs or waits to run: the ticket may be about to move on. */
  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    // Bookkeeping on the side: the chain that orders the work (and so the history) stays as it was.
    this.pending += 1;
    const settled = () => void (this.pending -= 1);
    result.then(settled, settled);
    return result;
  }
}

export class ChangeRecorder {
  readonly lock = new Lock();
  private readonly ui = new TemporalUi();
  /** Set while a change runs (always under the lock): the version its change document is keyed by, once sent. */
  private written: { version?: number } | null = null;

  constructor(private readonly state: TicketState) {}

  private get ticket(): Ticket {
    return this.state.ticket;
  }

  /** Stores the change with the ticket in one idempotent step, then updates the Temporal UI's view. */
  async record({ events, notifications, load, knowledge }: Change): Promise<ChangeResult> {
    const at = nowIso();
    const ticket = this.ticket;
    ticket.version += 1;
    ticket.updatedAt = at;
    refreshSlaView(this.state, nowMs());
    const notified: NewTimelineEvent[] = notifications.map((n) => ({ type: 'notified', actor: SYSTEM, visibility: 'internal', data: { kind: n.kind, to: n.to } }));
    const stamped = [...events, ...notified].map((event) => ({ ...event, ticketId: ticket.id, seq: ++this.state.seq, at }));
    const queued = notifications.map((n) => ({ ...n, id: `${ticket.id}:${ticket.version}:${n.kind}:${recipientKey(n.to)}`, ticketId: ticket.id, at }));
    const backlogKey = [isOpen(ticket.status), ticket.priority, ticket.productLine, ticket.channel, ticket.assignment.group, ticket.assignment.agent].join('|');
    if (this.written) this.written.version = ticket.version;
    const stored = await helpdesk.recordChange.executeWithOptions({ summary: `record: ${summarize(events)}` }, [
      {
        ticket,
        events: stamped,
        notifications: queued,
        load: { claim: load.claim ?? [], release: load.release ?? [] },
        kpi: { bucket: this.kpiBucket(), backlogChanged: backlogKey !== this.state.backlogKey },
        ...(knowledge ? { knowledge } : {}),
      },
    ]);
    this.state.backlogKey = backlogKey;
    // Histories from before the ledger's buckets recorded nothing here.
    if (!this.state.kpiBucket && stored?.kpiBucket) this.state.kpiBucket = stored.kpiBucket;
    if (stored?.knowledge === 'missing') {
      // The linked article is gone: the store recorded the change saying so, and so does the ticket.
      ticket.closure.knowledge = null;
      for (const event of stamped) if (event.type === 'knowledge_used') event.type = 'knowledge_missing';
    }
    this.ui.show(ticket, nextTimer(this.state));
    return { ticket, events: stamped.slice(0, events.length) };
  }

  /** Runs one change; if the store fails it, the state goes back (but for version and seq, which only go up, so
   *  the next change never reuses a key of its leftovers), its leftovers are removed, and the failure is thrown. */
  async attempt<T>(work: () => Promise<T>): Promise<T> {
    const before = snapshot(this.state);
    const written = (this.written = {} as { version?: number });
    try {
      return await work();
    } catch (err) {
      const failure = storeFailure(err);
      if (!failure) throw err;
      await this.rollBack(before, written.version);
      throw failure;
    } finally {
      this.written = null;
    }
  }

  private async rollBack(before: TicketState, sentVersion: number | undefined): Promise<void> {
    const { seq } = this.state;
    const { version } = this.ticket;
    restore(this.state, before);
    this.state.seq = seq;
    this.ticket.version = version;
    if (sentVersion === undefined) return;
    const discarded = { ticket: this.ticket, recorded: this.state.recorded, version: sentVersion, kpiBucket: this.kpiBucket() };
    try {
      await cleanup.discardChange.executeWithOptions({ summary: 'discard a change the store failed' }, [discarded]);
    } catch (err) {
      // The next change does not depend on it: its sequence numbers and version are new.
      log.warn('could not remove what a failed change left in MongoDB', { ticketId: this.ticket.id, version: sentVersion, error: String(err) });
    }
  }

  /** Where the ticket's KPI fact lives: handed out when intake is stored; tickets recorded before buckets keep their day's. */
  private kpiBucket(): string | null {
    return this.state.kpiBucket ?? (this.state.recorded ? legacyKpiBucketOf(this.ticket) : null);
  }
}

function recipientKey(to: Recipient): string {
  return 'id' in to ? `${to.type}-${to.id}` : to.type;
}

/** A deep copy of plain workflow state (it is JSON by construction: continue-as-new carries it as JSON). */
const snapshot = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Puts `target` back to `saved` in place, so whoever holds `target` sees the restored state. */
function restore<T extends object>(target: T, saved: T): void {
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, saved);
}
