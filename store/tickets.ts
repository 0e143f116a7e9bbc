// Reads and writes of ticket records. Activities write through here; the API reads through here.
import type { Ticket } from '../domain/ticket';
import type { TimelineEvent } from '../domain/timeline';
import type { Models, TicketDocument } from './models';

/** One state change of a ticket: the ticket as it now stands and the events that led there. */
export interface TicketChange {
  ticket: Ticket;
  events: TimelineEvent[];
}

export class TicketStore {
  constructor(private readonly models: Models) {}

  /** Idempotent: events are keyed by ticket and sequence, and a ticket never goes back to an older version. */
  async record({ ticket, events }: TicketChange): Promise<void> {
    if (events.length > 0) {
      await this.models.Timeline.bulkWrite(
        events.map((event) => ({
          updateOne: { filter: { _id: `${event.ticketId}:${event.seq}` }, update: { $setOnInsert: event }, upsert: true },
        })),
        { ordered: false },
      );
    }
    const { id, ...fields } = ticket;
    try {
      await this.models.Ticket.updateOne({ _id: id, version: { $lt: ticket.version } }, { $set: fields }, { upsert: true });
    } catch (err) {
      // This version or a newer one is already stored: the upsert collides with it on _id.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async findById(id: string): Promise<Ticket | null> {
    const doc = await this.models.Ticket.findById(id).lean<TicketDocument>();
    return doc ? toTicket(doc) : null;
  }
}

export function toTicket({ _id, ...rest }: TicketDocument): Ticket {
  return { id: _id, ...rest };
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
