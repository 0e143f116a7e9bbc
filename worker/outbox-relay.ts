// Sends what the outbox holds, with retries and backoff, beside the worker. Several relays may run (one per
// worker process): each batch of messages is claimed with a lease before it is sent.
import type { Notification } from '../domain/notifications';
import type { Logger } from '../platform/logger';
import { isPermanentDelivery, type NotificationSender } from '../platform/notifier';
import type { OutboxDocument } from '../store/models';
import type { OutboxStore } from '../store/outbox';

export interface RelayOptions {
  idleMs: number;
  leaseMs: number;
  maxAttempts: number;
  backoffMs: (attempt: number) => number;
}

export const DEFAULT_RELAY: RelayOptions = {
  idleMs: 500,
  leaseMs: 60_000,
  maxAttempts: 8,
  backoffMs: (attempt) => Math.min(1_000 * 2 ** (attempt - 1), 10 * 60_000),
};

export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastSweep = 0;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly sender: NotificationSender,
    private readonly logger: Logger,
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
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        // Expired leases (a relay that died mid-batch) are looked for now and then, not on every round.
        const sweep = Date.now() - this.lastSweep > this.options.leaseMs / 2;
        if (sweep) this.lastSweep = Date.now();
        const batch = await this.outbox.claimDue(new Date(), this.options.leaseMs, sweep);
        if (batch.length > 0) {
          await this.deliver(batch);
          continue;
        }
      } catch (err) {
        this.logger.warn({ err }, 'outbox relay could not read the outbox; retrying');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.options.idleMs);
      });
    }
  }

  private async deliver(batch: OutboxDocument[]): Promise<void> {
    const sent: OutboxDocument[] = [];
    for (const item of batch) {
      const { _id, status: _s, attempts, nextAttemptAt: _n, claimedAt: _c, claimedBy: _b, sentAt: _t, lastError: _e, ...rest } = item;
      const notification: Notification = { id: _id, ...rest };
      try {
        await this.sender.send(notification);
        sent.push(item);
      } catch (err) {
        const message = (err as Error).message ?? String(err);
        // A receiver's refusal for good (an SMTP 5xx) is recorded at once; anything else is tried again with backoff.
        const retryAt = attempts < this.options.maxAttempts && !isPermanentDelivery(err) ? new Date(Date.now() + this.options.backoffMs(attempts)) : null;
        this.logger.warn({ notification: _id, attempts, retryAt, error: message }, retryAt ? 'notification not delivered; will retry' : 'notification failed for good');
        await this.outbox.markFailed(_id, message, retryAt);
      }
    }
    await this.outbox.markSent(sent, new Date());
  }
}
