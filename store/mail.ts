// What the desk knows about mail: every Message-ID it sent or received, with its ticket (so replies thread by
// their headers), and every notice it mailed (so the relay never sends one twice, and staff see what went out).
// Lookups are by _id or lead with an equality, which the MongoDB-wire server pushes down.
import { insertOnce, isDuplicateKey } from './insert-once';
import type { MailSentDocument, MailThreadDocument, Models } from './models';

export interface InboundNote {
  messageId: string;
  ticketId: string;
  /** The From address (what MAIL_SENDER_LIMIT counts by). */
  sender: string;
  at: string;
}

export class MailStore {
  constructor(private readonly models: Models) {}

  async message(messageId: string): Promise<MailThreadDocument | null> {
    return (await this.models.MailThread.collection.findOne({ _id: messageId as never })) as MailThreadDocument | null;
  }

  /** The ticket the first of these Message-IDs the desk knows belongs to; one lookup per id, in the order given. */
  async ticketOfFirstKnown(messageIds: readonly string[]): Promise<string | null> {
    for (const id of messageIds) {
      const found = await this.message(id);
      if (found) return found.ticketId;
    }
    return null;
  }

  /**
   * Notes which ticket an inbound message goes to before it is handed over, so a notice the change queues already
   * threads under it. Its outcome is set once stored (recordInbound); until then a redelivery is handled afresh.
   */
  async noteInbound({ messageId, ticketId, sender, at }: InboundNote): Promise<void> {
    try {
      await this.models.MailThread.collection.updateOne(
        { _id: messageId as never, outcome: { $exists: false } },
        { $set: { ticketId, direction: 'in', sender }, $setOnInsert: { at } },
        { upsert: true },
      );
    } catch (err) {
      // Its outcome is recorded already: nothing to note.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** The message is stored on its ticket: a redelivery now gets this outcome. */
  async recordInbound(messageId: string, ticketId: string, outcome: NonNullable<MailThreadDocument['outcome']>): Promise<void> {
    await this.models.MailThread.collection.updateOne({ _id: messageId as never }, { $set: { ticketId, outcome } });
  }

  /** When each ticket this sender opened by mail since the given instant was opened. */
  async openedSince(sender: string, since: string): Promise<string[]> {
    const docs = await this.models.MailThread.collection.find({ sender, outcome: 'opened', at: { $gte: since } }, { projection: { at: 1 } }).toArray();
    return docs.map((d) => d.at as string);
  }

  /** The Message-ID a ticket's mail threads under: its first inbound message, else the desk's first notice. */
  async threadRoot(ticketId: string): Promise<string | null> {
    for (const direction of ['in', 'out'] as const) {
      const [first] = await this.models.MailThread.collection.find({ ticketId, direction }).sort({ at: 1, _id: 1 }).limit(1).toArray();
      if (first) return first._id as unknown as string;
    }
    return null;
  }

  async sentRecord(notificationId: string): Promise<MailSentDocument | null> {
    return (await this.models.MailSent.collection.findOne({ _id: notificationId as never })) as MailSentDocument | null;
  }

  /**
   * Notes that a notice is about to go out (one record per notification, kept across attempts) and its
   * Message-ID, so a reply threads even if the relay dies right after the relay took the message.
   */
  async beginSend(record: Omit<MailSentDocument, 'status' | 'attempts' | 'lastError' | 'rejected' | 'sentAt'>): Promise<void> {
    await insertOnce(this.models.MailThread.collection, [{ _id: record.messageId, ticketId: record.ticketId, direction: 'out', at: record.createdAt } satisfies MailThreadDocument]);
    await insertOnce(this.models.MailSent.collection, [{ ...record, status: 'sending', attempts: 0, lastError: null, rejected: [], sentAt: null } satisfies MailSentDocument]);
    await this.models.MailSent.collection.updateOne({ _id: record._id as never }, { $set: { status: 'sending' }, $inc: { attempts: 1 } });
  }

  async markSent(notificationId: string, at: string, rejected: string[]): Promise<void> {
    await this.models.MailSent.collection.updateOne({ _id: notificationId as never }, { $set: { status: 'sent', sentAt: at, lastError: null, rejected } });
  }

  /** A failed attempt: `final` when the relay refused it for good (5xx), else it will be tried again. */
  async markFailed(notificationId: string, error: string, final: boolean): Promise<void> {
    await this.models.MailSent.collection.updateOne({ _id: notificationId as never }, { $set: { lastError: error.slice(0, 1000), ...(final ? { status: 'failed' } : {}) } });
  }

  async sentForTicket(ticketId: string): Promise<MailSentDocument[]> {
    return (await this.models.MailSent.collection.find({ ticketId }).sort({ createdAt: 1, _id: 1 }).toArray()) as unknown as MailSentDocument[];
  }
}
