// Rules of the email channel (SPEC §4, §9, §16): how a message is identified and threaded, what counts as
// automatic mail, what an outbound notice is, and which attachments are kept. Pure: the SMTP intake, the
// HTTP gateway route and the notification relay share them.
/** `[#7K2XQ9MPA4]` in a subject names a ticket. */
const REFERENCE = /\[#([0-9A-Z]{10})\]/;

export const ticketReferenceIn = (subject: string): string | null => REFERENCE.exec(subject)?.[1] ?? null;

/** Every `<id>` in a Message-ID, In-Reply-To or References value, angle brackets kept, in order. */
export function messageIdsIn(value: string | readonly string[] | undefined | null): string[] {
  const text = typeof value === 'string' ? value : (value ?? []).join(' ');
  return [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => `<${m[1]}>`);
}

/** One form for a Message-ID whoever handed it over: trimmed, without inner spaces, in angle brackets. */
export function normalizeMessageId(raw: string): string {
  const [first] = messageIdsIn(raw);
  return first ?? `<${raw.trim().replace(/^<|>$/g, '').replace(/\s+/g, '')}>`;
}

/** The Message-IDs a reply points at, the most recent first: In-Reply-To, then References from the end. */
export function threadCandidates(inReplyTo: readonly string[], references: readonly string[], max = 20): string[] {
  const ordered = [...inReplyTo, ...[...references].reverse()];
  return [...new Set(ordered)].slice(0, max);
}

/** "Alice Martin <Alice@Example.com>" → { email: 'alice@example.com', name: 'Alice Martin' }. */
export function parseAddress(from: string): { email: string; name?: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  const email = (match ? match[2]! : from).trim().toLowerCase();
  const name = match?.[1]?.trim();
  return name ? { email, name } : { email };
}

export const domainOf = (address: string) => parseAddress(address).email.split('@')[1] ?? 'localhost';

/** The headers that tell automatic mail apart (RFC 3834 and the de-facto ones), names in lower case. */
export interface LoopSignals {
  headers: Record<string, string | undefined>;
  /** The envelope sender: '' for a null return path (bounces), undefined when the channel does not know it. */
  returnPath?: string;
  from: string;
  /** The desk's own addresses: mail from them is our own coming back. */
  ownAddresses: readonly string[];
}

/**
 * Why a message is automatic (an out-of-office, a bounce, a list, our own notice coming back), or null for a
 * person's mail. Automatic mail never gets an automatic answer, so two robots cannot keep writing to each other.
 */
export function automaticReason({ headers, returnPath, from, ownAddresses }: LoopSignals): string | null {
  const autoSubmitted = headers['auto-submitted']?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = headers['precedence']?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return `Precedence: ${precedence}`;
  if (headers['x-autoreply'] !== undefined) return 'X-Autoreply';
  if (headers['x-autorespond'] !== undefined) return 'X-Autorespond';
  if (returnPath === '') return 'null return path';
  const sender = from.toLowerCase();
  if (/^(mailer-daemon|postmaster)@/.test(sender)) return `sent by ${sender}`;
  if (ownAddresses.some((own) => own.toLowerCase() === sender)) return 'sent by the desk itself';
  return null;
}

/** The line above which a reply is new text: everything from it down is the quoted notice. */
export const REPLY_ABOVE = '##- Please type your reply above this line -##';

/** The new part of a reply: the text above the quoted notice, without the client's "On …, X wrote:" line. */
export function newTextOfReply(text: string): string {
  const lines = text.split(/\r?\n/);
  const cut = lines.findIndex((line) => line.includes(REPLY_ABOVE));
  if (cut < 0) return text.trim();
  let end = cut;
  while (end > 0 && /^\s*>?\s*$/.test(lines[end - 1]!)) end--;
  // The quoting client's attribution ("On Mon, 1 Dec 2026, Support <…> wrote:"), which some clients fold onto two lines.
  if (end > 0 && /(wrote|schrieb|a écrit)\b.*:\s*$/i.test(lines[end - 1]!)) {
    end--;
    const opening = /^\s*(On|Am|Le)\b/;
    if (end > 0 && opening.test(lines[end - 1]!) && !opening.test(lines[end]!)) end--;
  }
  return lines.slice(0, end).join('\n').trim();
}

/** A title from a subject: reply and forward prefixes and the ticket reference dropped. */
export const titleFromSubject = (subject: string) =>
  subject.replace(REFERENCE, ' ').replace(/^\s*((re|fwd?|aw|wg|sv|tr)\s*:\s*)+/i, '').replace(/\s+/g, ' ').trim() || '(no subject)';

/**
 * RFC 3834: the acknowledgement answers the customer's message (auto-replied); other notices the desk makes
 * by itself are auto-generated; notices that carry a person's words (an agent's reply, the requester's
 * answer) are not automatic at all.
 */
export function autoSubmittedOf(kind: string): 'auto-replied' | 'auto-generated' | null {
  if (PERSONAL_KINDS.has(kind)) return null;
  return kind === 'ticket_received' ? 'auto-replied' : 'auto-generated';
}
const PERSONAL_KINDS = new Set(['public_reply', 'requester_reply']);

/** A file name safe to store and to offer for download: no folders, control or reserved characters, at most 200 characters. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .replace(/["<>:|?*;]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const kept = [...cleaned].slice(0, 200).join('');
  return kept.isWellFormed() && kept.length > 0 ? kept : 'attachment';
}

/** Media types a download is served as: the allowed one as declared, anything else as opaque bytes. */
export function downloadType(type: string, allowed: readonly string[]): string {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return allowed.includes(bare) ? bare : 'application/octet-stream';
}

/** Whether an attachment of this media type and size may be kept; a reason when not. */
export function attachmentRefusal(type: string, size: number, limits: { maxBytes: number; types: readonly string[] }): string | null {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  if (!limits.types.includes(bare)) return `its type ${bare || '(none)'} is not accepted`;
  if (size > limits.maxBytes) return `it is larger than ${limits.maxBytes} bytes`;
  return null;
}

/** An address the desk receives mail for, and where its new tickets go (SPEC §17: the demo desk serves support@example.com). */
export interface Mailbox {
  /** Lower case, e.g. support@example.com. */
  address: string;
  name: string;
  productLine: string;
  problemType: string;
}

/** The mailbox a message was delivered to: the first of its recipients the desk serves. */
export const mailboxFor = (recipients: readonly string[], mailboxes: readonly Mailbox[]): Mailbox | null =>
  recipients.map((r) => mailboxes.find((m) => m.address === r.toLowerCase())).find((m) => m !== undefined) ?? null;

/** A notice as mail: what every notification becomes when its recipient has an address. */
export interface NoticeMail {
  subject: string;
  text: string;
  html: string;
  /** RFC 3834's Auto-Submitted value, or null for a notice that carries a person's words. */
  autoSubmitted: 'auto-replied' | 'auto-generated' | null;
}

/**
 * The plain text, and an HTML alternative in which every piece of user text (the notice body, the ticket's
 * title) is escaped. Both start with the reply line, so the intake keeps only what a reply adds above it.
 */
export function composeNotice(notification: { kind: string; subject: string; body: string; ticketId: string }, audience: 'requester' | 'staff'): NoticeMail {
  const reference = `[#${notification.ticketId}]`;
  const footer =
    audience === 'requester'
      ? `This is about your request ${reference}. Reply to this email to add to it; please keep ${reference} in the subject.`
      : `Ticket ${reference}. A reply to this email is posted on the ticket as a public answer to the requester.`;
  const text = `${REPLY_ABOVE}\n\n${notification.body}\n\n-- \n${footer}\n`;
  const paragraphs = notification.body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(notification.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.4">',
    `<p style="color: #888; font-size: 12px">${escapeHtml(REPLY_ABOVE)}</p>`,
    paragraphs,
    `<hr><p style="color: #666; font-size: 12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: notification.subject, text, html, autoSubmitted: autoSubmittedOf(notification.kind) };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
