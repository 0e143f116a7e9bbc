// Off the hot path, beside the worker: takes the tickets' recorded changes (store/changes.ts) in batches, sends
// their notifications, folds their KPI facts and the agents' load they move, and retries the notices the outbox
// holds. One relay works at a time (a lease); a batch is marked with one update of its changes, and a relay that
// takes over redoes the batch its predecessor left unfinished (notices at least once, folds exactly once).
import type { Notification } from '../domain/notifications';
import type { Logger } from '../platform/logger';
import type { Database } from '../platform/mongo';
import { isPermanentDelivery, type NotificationSender } from '../platform/notifier';
import { AgentLoadStore } from '../store/agent-load';
import { ChangeStore } from '../store/changes';
import type { Dispatcher } from '../store/dispatcher';
import { KpiLedger } from '../store/kpis';
import type { ChangeDocument, OutboxDocument } from '../store/models';
import { OutboxStore } from '../store/outbox';
import { RelayLease } from '../store/relay-lease';

export interface RelayOptions {
  /** Pause between passes: changes arriving meanwhile make one batch, their KPI facts one write per bucket. */
  intervalMs: number;
  leaseMs: number;
  /** How often notices waiting in the outbox are looked for. */
  retryEveryMs: number;
  maxAttempts: number;
  backoffMs: (attempt: number) => number;
}

export const DEFAULT_RELAY: RelayOptions = {
  intervalMs: 1_000,
  leaseMs: 30_000,
  retryEveryMs: 2_000,
  maxAttempts: 8,
  backoffMs: (attempt) => Math.min(1_000 * 2 ** (attempt - 1), 10 * 60_000),
};

export interface ChangeRelayDeps {
  changes: ChangeStore;
  outbox: OutboxStore;
  kpis: KpiLedger;
  loads: AgentLoadStore;
  lease: RelayLease;
  sender: NotificationSender;
  logger: Logger;
  /** The dispatcher of this process, told which of its picks the counters now hold. */
  dispatcher?: Pick<Dispatcher, 'folded'>;
}

/** The relay as the worker runs it, on one database connection. */
export function changeRelay(db: Database, sender: NotificationSender, logger: Logger, options: Partial<RelayOptions> & { dispatcher?: Pick<Dispatcher, 'folded'> } = {}): ChangeRelay {
  const { dispatcher, ...tuning } = options;
  const settings = { ...DEFAULT_RELAY, ...tuning };
  const changes = new ChangeStore(db.models);
  return new ChangeRelay(
    {
      changes,
      outbox: new OutboxStore(db.models, changes),
      kpis: new KpiLedger(db.models),
      loads: new AgentLoadStore(db.models),
      lease: new RelayLease(db.models, settings.leaseMs),
      sender,
      logger,
      ...(dispatcher ? { dispatcher } : {}),
    },
    settings,
  );
}

export class ChangeRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastRetry = 0;
  private lastSweep = 0;
  /** The batch handled last and not yet recorded finished: the next batch begun, or going idle, records it. */
  private unfinished: number | null = null;

  constructor(
    private readonly deps: ChangeRelayDeps,
    private readonly options: RelayOptions = DEFAULT_RELAY,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.unfinished !== null) await this.deps.lease.finish(this.unfinished).catch(() => undefined);
    await this.deps.lease.release().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pass();
      } catch (err) {
        this.deps.logger.warn({ err }, 'change relay could not read or write its changes; retrying');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.options.intervalMs);
      });
    }
  }

  /**
   * One pass: lead or stand by, finish what a previous leader left, take what is pending, retry the outbox. While
   * changes keep coming a pass costs about five commands whatever the batch's size: begin (which also records the
   * batch before as finished), mark, read, fold KPIs, fold loads.
   */
  private async pass(): Promise<void> {
    const { lease, changes } = this.deps;
    const leadership = await lease.hold();
    if (!leadership.leading) {
      this.unfinished = null;
      return;
    }
    if (leadership.redo !== null) {
      this.deps.logger.info({ batch: leadership.redo }, 'change relay: finishing the batch the previous relay left');
      await this.handle(leadership.redo);
      await lease.finish(leadership.redo);
    }
    // After a batch, look for more by taking it; when idle, one read says whether anything waits.
    if (this.unfinished !== null || (await changes.anyPending())) {
      const batch = await lease.begin();
      if (batch === null) {
        this.unfinished = null;
        return;
      }
      if ((await changes.claimPending(batch)) > 0) {
        await this.handle(batch);
        this.unfinished = batch;
      } else {
        await lease.finish(batch);
        this.unfinished = null;
      }
    }
    if (Date.now() - this.lastRetry >= this.options.retryEveryMs) {
      this.lastRetry = Date.now();
      await this.retryOutbox();
    }
  }

  /** Delivers a batch's notifications, then folds its KPI facts and agent loads (each idempotent for a redone batch). */
  private async handle(batch: number): Promise<void> {
    const docs = await this.deps.changes.ofBatch(batch);
    for (const doc of docs) for (const notification of doc.notifications) await this.firstAttempt(notification);
    await Promise.all([
      this.deps.kpis.fold(docs.flatMap((d) => (d.kpi ? [{ ticketId: d.ticketId, ...d.kpi }] : []))),
      this.deps.loads.fold(batch, docs.filter(movesLoad)),
    ]);
    this.deps.dispatcher?.folded(batch, docs.map((d) => d._id));
  }

  /** A notice's first delivery; one that fails goes to the outbox to be retried with backoff (or is recorded failed). */
  private async firstAttempt(notification: Notification): Promise<void> {
    try {
      await this.deps.sender.send(notification);
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const retryAt = 1 < this.options.maxAttempts && !isPermanentDelivery(err) ? new Date(Date.now() + this.options.backoffMs(1)) : null;
      this.deps.logger.warn({ notification: notification.id, attempts: 1, retryAt, error: message }, retryAt ? 'notification not delivered; will retry' : 'notification failed for good');
      await this.deps.outbox.firstAttemptFailed(notification, message, retryAt);
    }
  }

  /** Notices waiting in the outbox: retries, and those of no ticket change (knowledge reviews). */
  private async retryOutbox(): Promise<void> {
    // Expired leases (a relay that died mid-batch) are looked for now and then, not on every round.
    const sweep = Date.now() - this.lastSweep > this.options.leaseMs / 2;
    if (sweep) this.lastSweep = Date.now();
    const batch = await this.deps.outbox.claimDue(new Date(), this.options.leaseMs, sweep);
    if (batch.length === 0) return;
    for (const item of batch) await this.retry(item);
    await this.deps.outbox.markSent(batch[0]!.claimedBy!, new Date());
  }

  private async retry(item: OutboxDocument): Promise<void> {
    const { _id, status: _s, attempts, nextAttemptAt: _n, claimedAt: _c, claimedBy: _b, sentAt: _t, lastError: _e, ...rest } = item;
    const notification: Notification = { id: _id, ...rest };
    try {
      await this.deps.sender.send(notification);
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      // A receiver's refusal for good (an SMTP 5xx) is recorded at once; anything else is tried again with backoff.
      const retryAt = attempts < this.options.maxAttempts && !isPermanentDelivery(err) ? new Date(Date.now() + this.options.backoffMs(attempts)) : null;
      this.deps.logger.warn({ notification: _id, attempts, retryAt, error: message }, retryAt ? 'notification not delivered; will retry' : 'notification failed for good');
      await this.deps.outbox.markFailed(_id, message, retryAt);
    }
  }
}

const movesLoad = (doc: ChangeDocument) => doc.load.claim.length > 0 || doc.load.release.length > 0;
