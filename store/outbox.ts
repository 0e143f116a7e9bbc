// The notification outbox (SPEC §9). A change's notifications travel in its change document and the change relay
// sends them (worker/change-relay.ts); this collection keeps only what needs more than that one attempt: notices
// whose first delivery failed (retried with backoff, or recorded failed for good), and notices that belong to no
// ticket change (a knowledge review's decision). Claims are leases, so a relay that dies mid-send leaves the
// message to be picked up again.
import { randomUUID } from 'node:crypto';
import type { Notification } from '../domain/notifications';
import type { ChangeStore } from './changes';
import { insertOnce } from './insert-once';
import type { Models, OutboxDocument } from './models';

/** A notification as the outbox keeps it, waiting for the relay. */
export function queued({ id, ...notification }: Notification) {
  return { _id: id, ...notification, status: 'pending', attempts: 0, nextAttemptAt: notification.at, claimedAt: null, sentAt: null, lastError: null };
}

export class OutboxStore {
  constructor(
    private readonly models: Models,
    private readonly changes?: ChangeStore,
  ) {}

  /**
   * Claims every message that is due (and, when asked, those whose sender's lease ran out) for one relay, in
   * two commands whatever their number. Queries lead with an equality on status, which the MongoDB-wire server
   * pushes down, so sent messages are never read back.
   */
  async claimDue(now: Date, leaseMs: number, includeExpired: boolean): Promise<OutboxDocument[]> {
    const at = now.toISOString();
    const claimedBy = randomUUID();
    const claim = { $set: { status: 'sending', claimedAt: at, claimedBy }, $inc: { attempts: 1 } };
    const outbox = this.models.Outbox.collection;
    let claimed = (await outbox.updateMany({ status: 'pending', nextAttemptAt: { $lte: at } }, claim)).modifiedCount;
    if (includeExpired) claimed += (await outbox.updateMany({ status: 'sending', claimedAt: { $lte: new Date(now.getTime() - leaseMs).toISOString() } }, claim)).modifiedCount;
    if (claimed === 0) return [];
    return (await outbox.find({ status: 'sending', claimedBy }).sort({ nextAttemptAt: 1 }).toArray()) as unknown as OutboxDocument[];
  }

  /** Marks what is left of a claimed batch sent: those that failed were marked so already, one by one. */
  async markSent(claimedBy: string, at: Date): Promise<void> {
    await this.models.Outbox.collection.updateMany({ status: 'sending', claimedBy }, { $set: { status: 'sent', sentAt: at.toISOString(), lastError: null } });
  }

  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.models.Outbox.updateOne(
      { _id: id },
      { $set: retryAt ? { status: 'pending', nextAttemptAt: retryAt.toISOString(), lastError: error } : { status: 'failed', lastError: error } },
    );
  }

  /** A change's notice whose first delivery failed: queued for another attempt at `retryAt`, or failed for good (null). */
  async firstAttemptFailed(notification: Notification, error: string, retryAt: Date | null): Promise<void> {
    const row = { ...queued(notification), attempts: 1, lastError: error, ...(retryAt ? { nextAttemptAt: retryAt.toISOString() } : { status: 'failed' }) };
    await insertOnce(this.models.Outbox.collection, [row]);
  }

  /**
   * Every notification of a ticket with where its delivery stands: those the relay sent at the first attempt are
   * `sent` (attempts 1) once their change is delivered, the others as the outbox records them.
   */
  async forTicket(ticketId: string): Promise<OutboxDocument[]> {
    const [rows, changes, lease] = await Promise.all([
      this.models.Outbox.find({ ticketId }).lean<OutboxDocument[]>(),
      this.changes?.ofTicket(ticketId) ?? [],
      this.models.RelayLease.findById('changes').lean(),
    ]);
    const byId = new Map(rows.map((r) => [r._id, r]));
    // A change's notices went out once the relay finished its batch.
    const finished = (batch: number) => !!lease && (batch < lease.batch || (batch === lease.batch && lease.finished));
    for (const change of changes) {
      for (const { id, ...n } of change.notifications) {
        if (byId.has(id)) continue;
        const delivered = change.relay !== 'pending' && finished(change.relay);
        byId.set(id, { _id: id, ...n, status: delivered ? 'sent' : 'pending', attempts: delivered ? 1 : 0, nextAttemptAt: n.at, claimedAt: null, sentAt: null, lastError: null });
      }
    }
    return [...byId.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a._id < b._id ? -1 : 1));
  }
}
