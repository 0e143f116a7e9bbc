// The notification outbox (SPEC §9): changes queue messages with the ticket; a relay claims and sends them.
// Claims are leases, so a relay that dies mid-send leaves the message to be picked up again.
import type { Notification } from '../domain/notifications';
import { insertOnce } from './insert-once';
import type { Models, OutboxDocument } from './models';
import { queued } from './tickets';

export class OutboxStore {
  constructor(private readonly models: Models) {}

  /** Queues a notification that belongs to no ticket change (e.g. a knowledge review); its id makes it idempotent. */
  async enqueue(notification: Notification): Promise<void> {
    await insertOnce(this.models.Outbox.collection, [queued(notification)]);
  }

  async claimNext(now: Date, leaseMs: number): Promise<OutboxDocument | null> {
    const at = now.toISOString();
    const expired = new Date(now.getTime() - leaseMs).toISOString();
    return this.models.Outbox.findOneAndUpdate(
      { $or: [{ status: 'pending', nextAttemptAt: { $lte: at } }, { status: 'sending', claimedAt: { $lte: expired } }] },
      { $set: { status: 'sending', claimedAt: at }, $inc: { attempts: 1 } },
      { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
    ).lean<OutboxDocument>();
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.models.Outbox.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at.toISOString(), lastError: null } });
  }

  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.models.Outbox.updateOne(
      { _id: id },
      { $set: retryAt ? { status: 'pending', nextAttemptAt: retryAt.toISOString(), lastError: error } : { status: 'failed', lastError: error } },
    );
  }

  async forTicket(ticketId: string): Promise<OutboxDocument[]> {
    return this.models.Outbox.find({ ticketId }).sort({ at: 1, _id: 1 }).lean<OutboxDocument[]>();
  }
}
