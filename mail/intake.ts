// Email intake (SPEC §4): the one path by which mail becomes tickets and comments, whether it arrived at the
// SMTP intake (mail/intake-server.ts) or was posted by a mail gateway (POST /channels/email).
//
// Threading: the Message-IDs a reply points at (In-Reply-To, References) are looked up among those the desk sent
// or received for a ticket first, then a [#ID] in the subject. A reply to an open ticket is a comment on it, one to
// a closed ticket opens a linked follow-up. The Message-ID keys everything, so a redelivery never makes a second
// ticket or comment; a message is recorded as received only once its ticket or comment is stored.
// Automatic mail (out-of-office, bounces, lists, our own notices) never gets an automatic answer: it becomes an
// internal note on the ticket it threads to, or is dropped.
import { createHash } from 'node:crypto';
import { isOpen } from '../domain/lifecycle';
import {
  attachmentRefusal,
  automaticReason,
  mailboxFor,
  newTextOfReply,
  parseAddress,
  safeFileName,
  threadCandidates,
  ticketReferenceIn,
  titleFromSubject,
} from '../domain/mail';
import type { Attachment, Ticket } from '../domain/ticket';
import type { Actor, Visibility } from '../domain/timeline';
import type { MailSettings } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { AttachmentStore } from '../store/attachments';
import type { DeskConfigStore } from '../store/desk-config';
import type { MailStore } from '../store/mail';
import type { TicketStore } from '../store/tickets';
import { addComment } from '../workflows/definitions';
import { HttpProblem } from '../api/http/problem';
import type { TicketDesk } from '../api/tickets/desk';
import { ticketIdForKey } from '../api/tickets/ids';
import { applyTemplate, templateFor } from '../api/tickets/intake';

/** A file taken from a MIME part. */
export interface InboundFile {
  name?: string;
  type: string;
  content: Buffer;
}

/** One received message, however it arrived. */
export interface InboundEmail {
  /** In angle brackets (domain/mail normalizeMessageId). */
  messageId: string;
  /** The From header, e.g. "Alice Martin <alice@example.com>". */
  from: string;
  /** The envelope sender: '' for a null return path (bounces); undefined when the channel does not tell. */
  returnPath?: string;
  /** Where it was delivered (envelope recipients, or the gateway's `to`): picks the mailbox and so the product line. */
  recipients: string[];
  subject: string;
  text: string;
  inReplyTo: string[];
  references: string[];
  /** Header values by lower-case name; only those that tell automatic mail apart are read. */
  headers: Record<string, string | undefined>;
  /** Parts to keep as attachments (SMTP). */
  files: InboundFile[];
  /** Attachments stored elsewhere, as metadata (the gateway's). */
  attachments: Attachment[];
  /** A gateway may route by itself; otherwise the mailbox decides. */
  route?: { productLine?: string; problemType?: string };
}

export type IntakeOutcome =
  | { outcome: 'ticket_created' | 'ticket_existed' | 'comment_added' | 'note_added'; ticket: Ticket }
  | { outcome: 'dropped'; reason: string };

export interface EmailIntakeDeps {
  desk: TicketDesk;
  tickets: TicketStore;
  deskConfig: DeskConfigStore;
  mail: MailStore;
  files: AttachmentStore;
  settings: MailSettings;
  logger: Logger;
}

/** The desk's configuration cannot take the message (a mailbox's template is gone): its fault, not the message's. */
export class DeskMisconfigured extends HttpProblem {
  constructor(detail: string) {
    super(422, detail);
  }
}

/** Text longer than this is cut: a ticket records a conversation, not a mailbox export. */
const MAX_TEXT = 100_000;

export class EmailIntake {
  constructor(private readonly deps: EmailIntakeDeps) {}

  /** Whether the desk receives mail for this address (SMTP RCPT). */
  async serves(address: string): Promise<boolean> {
    return mailboxFor([address], await this.deps.deskConfig.mailboxes()) !== null;
  }

  /** Seconds until this sender may open another ticket by mail, or null while under MAIL_SENDER_LIMIT. */
  async senderRetryAfter(address: string): Promise<number | null> {
    const { senderLimit, senderWindowMs } = this.deps.settings;
    const now = Date.now();
    const opened = await this.deps.mail.openedSince(address.toLowerCase(), new Date(now - senderWindowMs).toISOString());
    if (opened.length < senderLimit) return null;
    const oldest = Math.min(...opened.map((at) => Date.parse(at)));
    return Math.max(1, Math.ceil((oldest + senderWindowMs - now) / 1000));
  }

  async receive(email: InboundEmail): Promise<IntakeOutcome> {
    const sender = parseAddress(email.from);
    // Already stored: a redelivery (our 250 was lost, or the gateway retried) gets the first outcome.
    const known = await this.deps.mail.message(email.messageId);
    if (known?.direction === 'in' && known.outcome) {
      const ticket = await this.deps.tickets.findById(known.ticketId);
      if (ticket) return { outcome: known.outcome === 'opened' ? 'ticket_existed' : known.outcome === 'note' ? 'note_added' : 'comment_added', ticket };
    }
    const mailboxes = await this.deps.deskConfig.mailboxes();
    const ownAddresses = [...mailboxes.map((m) => m.address), ...(this.deps.settings.mailFrom ? [parseAddress(this.deps.settings.mailFrom).email] : [])];
    const automatic = automaticReason({ headers: email.headers, returnPath: email.returnPath, from: sender.email, ownAddresses });
    const threaded = await this.threadOf(email);

    if (threaded && isOpen(threaded.status)) {
      const added = await this.addToTicket(threaded, email, sender, automatic);
      if (added) return added;
      // It closed while the reply was on its way: the reply opens a follow-up like any reply to a closed ticket.
    }
    if (automatic) {
      const reason = `automatic mail (${automatic}) ${threaded ? `for closed ticket ${threaded.id}` : 'that belongs to no ticket'}`;
      this.deps.logger.info({ messageId: email.messageId, from: sender.email, reason }, 'dropped an automatic email');
      return { outcome: 'dropped', reason };
    }
    return this.open(email, sender, mailboxes, threaded);
  }

  /** The ticket a message replies to: by the Message-IDs it points at, else by [#ID] in its subject. */
  private async threadOf(email: InboundEmail): Promise<Ticket | null> {
    const byHeaders = await this.deps.mail.ticketOfFirstKnown(threadCandidates(email.inReplyTo, email.references));
    for (const id of [byHeaders, ticketReferenceIn(email.subject)]) {
      const ticket = id ? await this.deps.tickets.findById(id) : null;
      if (ticket) return ticket;
    }
    return null;
  }

  /** A comment (or, for automatic mail, an internal note) on an open ticket; null if the ticket closed meanwhile. */
  private async addToTicket(ticket: Ticket, email: InboundEmail, sender: { email: string; name?: string }, automatic: string | null): Promise<IntakeOutcome | null> {
    const author = automatic ? { actor: { id: `email:${sender.email}`, role: 'system' as const, ...(sender.name ? { name: sender.name } : {}) }, visibility: 'internal' as const } : await this.authorOf(ticket, sender);
    const attachments = await this.keep(email, ticket.id, sender.email, author.visibility);
    const text = withNotes(newTextOfReply(cleanText(email.text)), attachments.notes) || '(empty email)';
    const body = automatic
      ? `Automatic email from ${email.from} (${automatic}); not answered.\n\n${text}`
      : author.visibility === 'internal'
        ? `Email from ${email.from}:\n\n${text}`
        : text;
    await this.deps.mail.noteInbound({ messageId: email.messageId, ticketId: ticket.id, sender: sender.email, at: new Date().toISOString() });
    let result;
    try {
      result = await this.deps.desk.change(
        ticket.id,
        addComment,
        [{ actor: author.actor, body, visibility: author.visibility, source: { channel: 'email', messageId: email.messageId }, ...(attachments.kept.length ? { attachments: attachments.kept } : {}) }],
        `email:${email.messageId}`,
      );
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 409) {
        const now = await this.deps.tickets.findById(ticket.id);
        if (now && !isOpen(now.status)) return null;
      }
      throw err;
    }
    await this.deps.mail.recordInbound(email.messageId, ticket.id, automatic ? 'note' : 'comment');
    return { outcome: automatic ? 'note_added' : 'comment_added', ticket: result.ticket };
  }

  /** A new ticket, or a follow-up of a closed one; routed by the mailbox it was sent to. */
  private async open(email: InboundEmail, sender: { email: string; name?: string }, mailboxes: Awaited<ReturnType<DeskConfigStore['mailboxes']>>, closed: Ticket | null): Promise<IntakeOutcome> {
    const retryAfter = await this.senderRetryAfter(sender.email);
    if (retryAfter !== null) {
      throw new HttpProblem(429, `${sender.email} opened ${this.deps.settings.senderLimit} tickets by mail within ${Math.round(this.deps.settings.senderWindowMs / 60_000)} min; send it again later`, undefined, { 'Retry-After': String(retryAfter) });
    }
    const mailbox = mailboxFor(email.recipients, mailboxes);
    const productLine = email.route?.productLine ?? mailbox?.productLine ?? 'general';
    const problemType = email.route?.problemType ?? mailbox?.problemType ?? 'question';
    const id = ticketIdForKey('email', email.messageId);
    const title = titleFromSubject(email.subject);
    const attachments = await this.keep(email, id, sender.email, 'public');
    const text = withNotes(newTextOfReply(cleanText(email.text)), attachments.notes);
    const { intake, problems } = applyTemplate(
      {
        id,
        title: title.slice(0, 200),
        description: `${closed ? `Follow-up to ${closed.id}.\n\n` : ''}${text || title}`,
        channel: 'email',
        productLine,
        problemType,
        fields: {},
        attachments: [...email.attachments, ...attachments.kept],
        requester: { id: sender.email, email: sender.email, ...(sender.name ? { name: sender.name } : {}) },
      },
      await templateFor(this.deps.deskConfig, problemType).catch((err: unknown) => {
        if (email.route?.problemType || !(err instanceof HttpProblem)) throw err;
        throw new DeskMisconfigured(`the desk has no template for problem type ${problemType}, which ${mailbox ? `mailbox ${mailbox.address}` : 'mail to no mailbox'} opens tickets with; fix PUT /admin/mailboxes or /admin/templates`);
      }),
    );
    await this.deps.mail.noteInbound({ messageId: email.messageId, ticketId: id, sender: sender.email, at: new Date().toISOString() });
    // A mail cannot be bounced back for missing facts: the ticket opens and the acknowledgement asks for them.
    const opened = await this.deps.desk.open({ ...intake, missingFacts: problems.map((p) => p.message) }, { email: email.messageId });
    await this.deps.mail.recordInbound(email.messageId, opened.ticket.id, 'opened');
    return { outcome: opened.created ? 'ticket_created' : 'ticket_existed', ticket: opened.ticket };
  }

  /** The requester writes publicly, an agent's email is a public reply; anyone else's mail stays internal. */
  private async authorOf(ticket: Ticket, sender: { email: string; name?: string }): Promise<{ actor: Actor; visibility: Visibility }> {
    const named = sender.name ? { name: sender.name } : {};
    if (ticket.requester.email && ticket.requester.email.toLowerCase() === sender.email) {
      return { actor: { id: ticket.requester.id, role: 'requester', ...named }, visibility: 'public' };
    }
    const agent = (await this.deps.deskConfig.agents()).find((a) => a.email?.toLowerCase() === sender.email);
    if (agent) return { actor: { id: agent.id, role: 'agent', name: agent.name }, visibility: 'public' };
    return { actor: { id: `email:${sender.email}`, role: 'requester', ...named }, visibility: 'internal' };
  }

  /**
   * Stores the message's files that may be kept (GridFS, ids derived from the Message-ID and the part, so a
   * redelivery stores nothing twice); those refused are named in the text instead.
   */
  private async keep(email: InboundEmail, ticketId: string, sender: string, visibility: Visibility): Promise<{ kept: Attachment[]; notes: string[] }> {
    const kept: Attachment[] = [];
    const notes: string[] = [];
    const limits = { maxBytes: this.deps.settings.attachmentMaxBytes, types: this.deps.settings.attachmentTypes };
    for (const [index, file] of email.files.entries()) {
      const name = safeFileName(file.name);
      const refused = attachmentRefusal(file.type, file.content.length, limits);
      if (refused) {
        notes.push(`[The attachment "${name}" was not kept: ${refused}.]`);
        continue;
      }
      const id = `m${createHash('sha256').update(`${email.messageId}\n${index}`).digest('hex').slice(0, 31)}`;
      const stored = await this.deps.files.put(id, { name, type: file.type.split(';')[0]!.trim().toLowerCase(), owner: `email:${sender}`, content: file.content });
      kept.push({ id, name: stored.name, type: stored.type, size: stored.size, location: `/tickets/${ticketId}/attachments/${id}`, ...(visibility === 'internal' ? { visibility } : {}) });
    }
    return { kept, notes };
  }
}

/** Text PostgreSQL can store (no NUL, no lone surrogates), at most MAX_TEXT characters. */
function cleanText(text: string): string {
  const clean = text.toWellFormed().replaceAll('\u0000', '');
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}\n[…the rest of the email was cut]` : clean;
}

const withNotes = (text: string, notes: string[]) => [text, ...notes].filter(Boolean).join('\n\n');
