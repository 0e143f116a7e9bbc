// The notification outbox (SPEC §9): changes queue messages with the ticket; a relay claims and sends them.
// Claims are leases, so a relay that dies mid-send leaves the message to be picked up again.
import { randomUUID } from 'node:crypto';
import type { Models, OutboxDocument } from './models';

export class OutboxStore {
  constructor(private readonly models: Models) {}

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

  /** Marks a claimed batch sent; the equalities on status and claim keep the server from reading other messages. */
  async markSent(batch: Array<{ _id: string; claimedBy?: string }>, at: Date): Promise<void> {
    if (batch.length === 0) return;
    const ids = batch.map((n) => n._id);
    await this.models.Outbox.collection.updateMany({ status: 'sending', claimedBy: batch[0]!.claimedBy, _id: { $in: ids as never[] } }, { $set: { status: 'sent', sentAt: at.toISOString(), lastError: null } });
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
