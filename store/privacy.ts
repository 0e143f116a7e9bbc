// Erasure and retention in MongoDB (README, "Privacy"): who a person is (their tickets, their addresses), the
// records of one ticket rewritten by the rules of domain/privacy.ts, and the audit log `erasures` (who asked, when,
// why, which tickets: ids only). Every read leads with an _id or an indexed equality (ticketId, status), every
// bulk write goes through store/bulk.ts, and every step may run again with the same outcome.
import { createHash } from 'node:crypto';
import { GridFSBucket, type Collection, type Db } from 'mongodb';
import { articleIdFor } from '../domain/knowledge';
import { anonymiseTicket, fileIdsOf, identifiersOf, mentions, PLACEHOLDER, redact, scrubAddresses, scrubEvent, scrubNotification, scrubNotificationId, type Identifiers } from '../domain/privacy';
import { canViewTicket, type Principal } from '../domain/roles';
import type { Ticket } from '../domain/ticket';
import type { TimelineEvent } from '../domain/timeline';
import { bulkUpdate } from './bulk';
import { documentOf } from './documents';
import { insertOnce } from './insert-once';
import type { ChangeDocument, MailSentDocument, Models, OutboxDocument } from './models';
import { cursorOf, visibleTo, type TicketStore } from './tickets';
import { Versioned } from './versions';

export const ERASURES_COLLECTION = 'erasures';

/** One erasure or retention run, as the audit log keeps it; `subject` (who is erased) only while it runs. */
export interface ErasureRecord {
  _id: string;
  kind: 'erasure' | 'retention';
  /** The admin who asked, or `retention-policy`. */
  requestedBy: string;
  requestedAt: string;
  reason: string;
  status: 'running' | 'done' | 'failed';
  /** Ids of the tickets anonymised, once planned. */
  tickets: string[];
  planned: boolean;
  completedAt: string | null;
  error: string | null;
  subject?: { personId: string; emails: string[]; names: string[] };
}

/** An erasure's id follows from the person's id, so asking twice finds the first; it names no one in Temporal or the log. */
export const erasureIdOf = (personId: string) => `erasure-${createHash('sha256').update(personId).digest('hex').slice(0, 24)}`;

const PAGE = 50;

/**
 * A person is their user id and every email address they asked from: one given, the id itself when it is one (mail
 * tickets are filed under the sender's address), and those recorded on the tickets filed under their id.
 */
export async function emailsOf(models: Models, id: string, given: string | undefined): Promise<string[]> {
  const recorded = (await models.Ticket.distinct('requester.email', { 'requester.id': id })) as unknown[];
  const all = [given, id.includes('@') ? id : undefined, ...recorded].filter((e): e is string => typeof e === 'string' && e.length > 0).map((e) => e.toLowerCase());
  return [...new Set(all)];
}

/** Every ticket of a person (by id and each address), a page at a time, as the access rule of domain/roles.ts finds them. */
export async function* ticketsOfPerson(tickets: TicketStore, person: Principal, emails: string[]): AsyncGenerator<Ticket> {
  const people = emails.length ? emails.map((email) => ({ ...person, email })) : [person];
  const filter = { $or: people.map(visibleTo) };
  let after;
  for (;;) {
    const page = await tickets.list(filter, { limit: PAGE, sort: 'created', ...(after ? { after } : {}) });
    // The store's filter found it; the access rule decides, as it does for every read.
    for (const ticket of page) if (people.some((p) => canViewTicket(p, ticket))) yield ticket;
    if (page.length < PAGE) return;
    after = cursorOf(page[page.length - 1]!, 'created');
  }
}

export class PrivacyStore {
  private readonly files: GridFSBucket;

  constructor(
    private readonly models: Models,
    private readonly db: Db,
  ) {
    this.files = new GridFSBucket(db, { bucketName: 'attachments' });
  }

  get erasures(): Collection<ErasureRecord> {
    return this.db.collection<ErasureRecord>(ERASURES_COLLECTION);
  }

  async erasure(id: string): Promise<ErasureRecord | null> {
    return this.erasures.findOne({ _id: id });
  }

  /** Records a request once (a repeat finds the first); a failed one is set running again. Answers the record. */
  async request(record: Omit<ErasureRecord, 'status' | 'tickets' | 'planned' | 'completedAt' | 'error'>): Promise<ErasureRecord> {
    await insertOnce(this.erasures as never, [{ ...record, status: 'running', tickets: [], planned: false, completedAt: null, error: null }]);
    await this.erasures.updateOne({ _id: record._id, status: 'failed' }, { $set: { status: 'running', error: null } });
    return (await this.erasure(record._id))!;
  }

  /** The person's tickets and identifiers, found once: a retried plan (or one after a crash) reads what was stored. */
  async planErasure(id: string, tickets: TicketStore): Promise<string[]> {
    const record = await this.erasure(id);
    if (!record?.subject) throw new Error(`erasure ${id} has no subject to plan for`);
    if (record.planned) return record.tickets;
    const { personId } = record.subject;
    const emails = [...new Set([...record.subject.emails, ...(await emailsOf(this.models, personId, undefined))])];
    const ids: string[] = [];
    const names = new Set(record.subject.names);
    for await (const ticket of ticketsOfPerson(tickets, { sub: personId, role: 'requester', groups: [] }, emails)) {
      ids.push(ticket.id);
      if (ticket.requester.name) names.add(ticket.requester.name);
      if (ticket.requester.email) emails.push(ticket.requester.email.toLowerCase());
    }
    const subject = { personId, emails: [...new Set(emails)], names: [...names] };
    await this.erasures.updateOne({ _id: id, planned: false }, { $set: { tickets: ids, planned: true, subject } });
    return (await this.erasure(id))!.tickets;
  }

  /** Who an erasure is about, while it runs (null once it is done: nothing of them is kept). */
  async subjectOf(id: string): Promise<Identifiers | null> {
    const subject = (await this.erasure(id))?.subject;
    return subject ? identifiersOf({ ids: [subject.personId], emails: subject.emails, names: subject.names }) : null;
  }

  /** The person's uploads no ticket took (GridFS, by owner), then the record is done: the subject goes, the reason names no one. */
  async finishErasure(id: string, at: string): Promise<void> {
    const record = await this.erasure(id);
    if (!record || record.status === 'done') return;
    if (record.subject) {
      const { personId, emails } = record.subject;
      for (const owner of [personId, ...emails.map((e) => `email:${e}`)]) {
        const owned = await this.db.collection('attachments.files').find({ 'metadata.owner': owner }, { projection: { _id: 1 } }).toArray();
        for (const file of owned) await this.deleteFile(String(file._id));
      }
    }
    const reason = record.subject ? redact(record.reason, identifiersOf({ ids: [record.subject.personId], emails: record.subject.emails, names: record.subject.names })) : record.reason;
    await this.erasures.updateOne({ _id: id }, { $set: { status: 'done', completedAt: at, reason }, $unset: { subject: '' } });
  }

  async failErasure(id: string, error: string): Promise<void> {
    await this.erasures.updateOne({ _id: id, status: 'running' }, { $set: { status: 'failed', error: error.slice(0, 300) } });
  }

  /** A retention run's audit entry: the tickets it anonymised, added as it goes. */
  async recordRetention(id: string, at: string, days: number, ticketIds: string[], done: boolean): Promise<void> {
    const reason = `retention policy: closed more than ${days} days ago`;
    await insertOnce(this.erasures as never, [{ _id: id, kind: 'retention', requestedBy: 'retention-policy', requestedAt: at, reason, status: 'running', tickets: [], planned: true, completedAt: null, error: null }]);
    if (ticketIds.length) await this.erasures.updateOne({ _id: id }, { $addToSet: { tickets: { $each: ticketIds } } });
    if (done) await this.erasures.updateOne({ _id: id }, { $set: { status: 'done', completedAt: new Date().toISOString() } });
  }

  /**
   * Closed tickets due under the policy, oldest ids first, at most `limit`: one query per closed status (an indexed
   * equality; the range on closedAt FerretDB applies itself), anonymised ones left out.
   */
  async closedBefore(cutoff: string, limit: number): Promise<string[]> {
    const found: string[] = [];
    for (const status of ['closed', 'cancelled']) {
      const docs = await this.models.Ticket.collection.find({ status, closedAt: { $lt: cutoff }, 'requester.id': { $ne: PLACEHOLDER } }, { projection: { _id: 1 } }).limit(limit).toArray();
      found.push(...docs.map((d) => String(d._id)));
    }
    return found.sort().slice(0, limit);
  }

  /** Whether the change relay has delivered every change of the ticket (so no notice of it is sent after this). */
  async relaySettled(ticketId: string): Promise<boolean> {
    const [changes, lease] = await Promise.all([this.models.Change.collection.find({ ticketId }, { projection: { relay: 1 } }).toArray(), this.models.RelayLease.findById('changes').lean()]);
    return changes.every((c) => c.relay !== 'pending' && (!lease || lease.finished || (c.relay as number) < lease.batch));
  }

  /**
   * Rewrites every record of one ticket (domain/privacy.ts): its files go, its change documents (timeline events and
   * notices), the legacy timeline, outbox, mail records, presence and the draft it became are scrubbed, and the
   * ticket itself is written last, so a retry still finds who it was about. `who` adds a person beyond its requester.
   */
  async anonymiseTicket(ticket: Ticket, who: Identifiers | null): Promise<void> {
    const id = ticket.id;
    const ids = identifiersOf(ticket.requester, who);
    const m = this.models;
    const changes = (await m.Change.collection.find({ ticketId: id }).toArray()) as unknown as ChangeDocument[];
    const legacy = (await m.Timeline.collection.find({ ticketId: id }).toArray()) as unknown as Array<TimelineEvent & { _id: string }>;
    for (const file of fileIdsOf(ticket, [...changes.flatMap((c) => c.events), ...legacy])) await this.deleteFile(file);

    await bulkUpdate(m.Change.collection, changes.map((c) => ({ updateOne: { filter: { _id: c._id }, update: { $set: { events: c.events.map((e) => scrubEvent(e, ids)), notifications: c.notifications.map((n) => scrubNotification(n, ids)) } } } })));
    await bulkUpdate(m.Timeline.collection, legacy.map(({ _id, ...e }) => ({ updateOne: { filter: { _id }, update: { $set: scrubEvent(e, ids) } } })));
    const outbox = (await m.Outbox.collection.find({ ticketId: id }).toArray()) as unknown as OutboxDocument[];
    // A notice still waiting is never sent: its recipient is gone.
    const ended = (o: OutboxDocument) => (o.status === 'pending' || o.status === 'sending' ? { status: 'failed' as const, lastError: PLACEHOLDER } : { lastError: o.lastError && PLACEHOLDER });
    await rewrite(m.Outbox.collection, outbox, (o) => ({ ...scrubNotification(o, ids), ...ended(o) }));
    const sent = (await m.MailSent.collection.find({ ticketId: id }).toArray()) as unknown as MailSentDocument[];
    await rewrite(m.MailSent.collection, sent, (s) => ({ ...s, to: scrubAddresses(s.to, ids), rejected: scrubAddresses(s.rejected, ids), subject: PLACEHOLDER, lastError: s.lastError && PLACEHOLDER }));
    const threads = await m.MailThread.collection.find({ ticketId: id, direction: 'in' }).toArray();
    await bulkUpdate(m.MailThread.collection, threads.filter((t) => t.sender !== undefined).map((t) => ({ updateOne: { filter: { _id: t._id }, update: { $set: { sender: PLACEHOLDER } } } })));
    await m.Presence.collection.deleteMany({ ticketId: id });
    await this.scrubDraft(id, ids);

    const { _id, ...fields } = documentOf(anonymiseTicket(ticket));
    await m.Ticket.collection.updateOne({ _id: _id as never }, { $set: fields });
  }

  /**
   * The article the ticket's solution became (its id follows from the ticket): the requester's words (title,
   * problem, symptoms) go; a draft or rejected one loses the rest of its text too, a published one keeps the desk's.
   */
  private async scrubDraft(ticketId: string, who: Identifiers): Promise<void> {
    const article = await this.models.Article.collection.findOne({ _id: articleIdFor(ticketId) as never });
    if (!article) return;
    const published = article.status === 'published';
    const keep = (text: unknown) => (typeof text === 'string' && !mentions(text, who) ? text : PLACEHOLDER);
    await this.models.Article.collection.updateOne(
      { _id: article._id },
      {
        $set: {
          title: PLACEHOLDER,
          problem: PLACEHOLDER,
          symptoms: PLACEHOLDER,
          cause: published ? keep(article.cause) : PLACEHOLDER,
          solution: published ? keep(article.solution) : PLACEHOLDER,
          rejectReason: article.rejectReason === null ? null : PLACEHOLDER,
        },
      },
    );
    // Every process's index of published articles reloads.
    if (published) await new Versioned(this.models, 'knowledge', async () => undefined).bump();
  }

  private async deleteFile(id: string): Promise<void> {
    try {
      await this.files.delete(id as never);
    } catch (err) {
      // Gone already (a retry); chunks a half-done upload left go with it.
      if (!/FileNotFound|not found/i.test((err as Error).message)) throw err;
      await this.db.collection('attachments.chunks').deleteMany({ files_id: id as never });
    }
  }
}

interface Rewritable {
  insertMany(docs: object[], options: { ordered: false }): Promise<unknown>;
  bulkWrite(ops: never[], options: { ordered: false }): Promise<unknown>;
  deleteOne(filter: object): Promise<unknown>;
}

/**
 * Outbox and sent-mail records are keyed by their notice's id, which names the requester: such a record moves to the
 * scrubbed id (inserted first, so a crash between leaves it twice, never lost), the others are rewritten in place.
 */
async function rewrite<D extends { _id: string }>(collection: Rewritable, docs: D[], scrub: (doc: D) => D): Promise<void> {
  const moved = docs.filter((d) => scrubNotificationId(d._id) !== d._id);
  await insertOnce(collection, moved.map((d) => ({ ...scrub(d), _id: scrubNotificationId(d._id) })));
  for (const d of moved) await collection.deleteOne({ _id: d._id });
  const kept = docs.filter((d) => !moved.includes(d));
  await bulkUpdate(collection, kept.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: scrub(d) } } })));
}
