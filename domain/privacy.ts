// Erasure (GDPR Art. 17) and retention (Art. 5(1)(e)) as pure rules (README, "Privacy"): what an anonymised ticket
// and its records keep, what is replaced by the one placeholder, and which closed tickets a retention policy makes due.
// Anonymising keeps every number and status the KPIs read (domain/kpis.ts factOf), and is idempotent.
import type { Notification, Recipient } from './notifications';
import type { Ticket } from './ticket';
import type { Actor, TimelineEvent } from './timeline';

/** What replaces a person's name, email, id and every free text of an anonymised ticket's records. */
export const PLACEHOLDER = '[erased]';

/** The retention policy of the desk: closed tickets are anonymised this many days after they closed; null: never. */
export interface RetentionPolicy {
  anonymiseClosedAfterDays: number | null;
}

export const NO_RETENTION: RetentionPolicy = { anonymiseClosedAfterDays: null };
/** About a hundred years: anything longer is a typing error. */
export const MAX_RETENTION_DAYS = 36_500;

const DAY = 86_400_000;

/** Who a set of records is about: user ids, email addresses and names, as they may appear in text. */
export interface Identifiers {
  ids: string[];
  emails: string[];
  names: string[];
}

export function identifiersOf(...people: Array<Partial<Identifiers> | { id?: string; email?: string; name?: string } | null | undefined>): Identifiers {
  const out: Identifiers = { ids: [], emails: [], names: [] };
  const add = (list: string[], value: string | undefined) => {
    const v = value?.trim();
    if (v && v !== PLACEHOLDER && !list.includes(v)) list.push(v);
  };
  for (const p of people) {
    if (!p) continue;
    if ('ids' in p || 'emails' in p || 'names' in p) {
      const set = p as Partial<Identifiers>;
      set.ids?.forEach((v) => add(out.ids, v));
      set.emails?.forEach((v) => add(out.emails, v.toLowerCase()));
      set.names?.forEach((v) => add(out.names, v));
    } else {
      const one = p as { id?: string; email?: string; name?: string };
      add(out.ids, one.id);
      add(out.emails, one.email?.toLowerCase());
      add(out.names, one.name);
    }
  }
  // A mail ticket's requester id is the sender's address.
  for (const id of out.ids) if (id.includes('@')) add(out.emails, id.toLowerCase());
  return out;
}

/** Ids match whole (a short id must not hit ordinary words); emails and names (3+ characters) anywhere, any case. */
export function mentions(text: string, who: Identifiers): boolean {
  const lower = text.toLowerCase();
  if (who.ids.some((id) => id.toLowerCase() === lower)) return true;
  return [...who.emails, ...who.names].some((t) => t.length >= 3 && lower.includes(t.toLowerCase()));
}

/** The text with every mention of the person replaced (an audit reason keeps its sense, not their name). */
export function redact(text: string, who: Identifiers): string {
  let out = text;
  for (const t of [...who.emails, ...who.names, ...who.ids].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), PLACEHOLDER);
  }
  return out;
}

export const isAnonymised = (ticket: Pick<Ticket, 'requester'>) => ticket.requester.id === PLACEHOLDER;

/**
 * The ticket with nothing personal left: title, description, text facts, files, requester, resolution and review
 * texts, rating comment. Status, priority, group, agent, times, counters and the CSAT score stay (the KPIs read them).
 */
export function anonymiseTicket(ticket: Ticket): Ticket {
  const review = ticket.closure.review;
  return {
    ...ticket,
    title: PLACEHOLDER,
    description: PLACEHOLDER,
    fields: Object.fromEntries(Object.entries(ticket.fields).map(([k, v]) => [k, typeof v === 'string' ? PLACEHOLDER : v])),
    attachments: ticket.attachments.map((a) => ({ name: PLACEHOLDER, type: a.type, size: a.size, location: '', ...(a.visibility ? { visibility: a.visibility } : {}) })),
    requester: { id: PLACEHOLDER },
    resolution: ticket.resolution && { ...ticket.resolution, summary: PLACEHOLDER, rootCause: PLACEHOLDER, steps: PLACEHOLDER },
    csat: ticket.csat && { ...ticket.csat, comment: ticket.csat.comment === null ? null : PLACEHOLDER },
    closure: {
      ...ticket.closure,
      review: review && {
        ...review,
        filed: review.filed && { ...review.filed, rootCause: PLACEHOLDER, timelineSummary: PLACEHOLDER, lessons: PLACEHOLDER, actions: review.filed.actions.map((a) => ({ ...a, description: PLACEHOLDER })) },
      },
    },
  };
}

/** The stored files a ticket and its events point at (GridFS ids), deleted with it. */
export function fileIdsOf(ticket: Pick<Ticket, 'attachments'>, events: TimelineEvent[]): string[] {
  const fromEvents = events.flatMap((e) => (Array.isArray(e.data.attachments) ? (e.data.attachments as Array<{ id?: unknown }>) : []));
  return [...new Set([...ticket.attachments, ...fromEvents].map((a) => a.id).filter((id): id is string => typeof id === 'string' && id !== PLACEHOLDER))];
}

/**
 * Keys whose string values are the desk's own vocabulary (statuses, kinds, staff and group ids, times): kept unless
 * they name the person. Every other string in an event's data is free text someone wrote, and is replaced.
 */
const VOCABULARY = new Set([
  'type', 'kind', 'visibility', 'status', 'from', 'to', 'priority', 'impact', 'urgency', 'clock', 'channel', 'agent', 'group', 'toGroup',
  'articleId', 'kbArticleId', 'ruleId', 'policyId', 'at', 'due', 'dueAt', 'closesAt', 'since', 'responseDue', 'resolutionDue', 'resolvedAt',
  'resolvedBy', 'filedAt', 'filedBy', 'dueDate', 'missingFacts',
]);

function scrubValue(value: unknown, key: string | null, who: Identifiers): unknown {
  if (typeof value === 'string') return key !== null && VOCABULARY.has(key) && !mentions(value, who) ? value : PLACEHOLDER;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, key, who));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, k, who)]));
  return value;
}

const scrubActor = (actor: Actor, who: Identifiers): Actor => (mentions(actor.id, who) || (actor.name !== undefined && mentions(actor.name, who)) ? { id: PLACEHOLDER, role: actor.role } : actor);

/** A timeline event of an anonymised ticket: its kind, visibility, order and numbers stay; free text and the person go. */
export function scrubEvent(event: TimelineEvent, who: Identifiers): TimelineEvent {
  return { ...event, actor: scrubActor(event.actor, who), data: scrubValue(event.data, null, who) as Record<string, unknown> };
}

const scrubRecipient = (to: Recipient, who: Identifiers): Recipient => (to.type === 'requester' || ('id' in to && mentions(to.id, who)) ? { type: 'requester', id: PLACEHOLDER } : to);

/** A notice's id ends with its recipient (`…:requester-<id>`, workflows/recording.ts): the requester's goes. */
export const scrubNotificationId = (id: string) => id.replace(/:requester-.*$/s, `:requester-${PLACEHOLDER}`);

/** A notice of an anonymised ticket: who it went to (unless the person) and its kind stay; its subject and body go. */
export function scrubNotification<N extends Pick<Notification, 'to' | 'subject' | 'body'> & { id?: string }>(notification: N, who: Identifiers): N {
  const scrubbed = { ...notification, to: scrubRecipient(notification.to, who), subject: PLACEHOLDER, body: PLACEHOLDER };
  return notification.id === undefined ? scrubbed : { ...scrubbed, id: scrubNotificationId(notification.id) };
}

/** Addresses of a mail record: the person's become the placeholder, staff addresses stay. */
export const scrubAddresses = (addresses: string[], who: Identifiers) => addresses.map((a) => (mentions(a, who) ? PLACEHOLDER : a));

/** Tickets closed before this instant are due under the policy; null: the policy anonymises nothing. */
export function retentionCutoff(policy: RetentionPolicy, now: number): string | null {
  return policy.anonymiseClosedAfterDays === null ? null : new Date(now - policy.anonymiseClosedAfterDays * DAY).toISOString();
}

/** A closed (or cancelled) ticket, not yet anonymised, that closed before the cutoff. */
export function isDueForRetention(ticket: Pick<Ticket, 'status' | 'closedAt' | 'requester'>, cutoff: string | null): boolean {
  if (cutoff === null || ticket.closedAt === null || isAnonymised(ticket)) return false;
  return (ticket.status === 'closed' || ticket.status === 'cancelled') && ticket.closedAt < cutoff;
}

/** What is wrong with a policy, as field problems; empty when it is valid. */
export function checkRetentionPolicy(policy: RetentionPolicy): Array<{ path: string; message: string }> {
  const days = policy.anonymiseClosedAfterDays;
  if (days === null) return [];
  if (!Number.isInteger(days) || days < 0 || days > MAX_RETENTION_DAYS) return [{ path: 'anonymiseClosedAfterDays', message: `must be a whole number of days from 0 to ${MAX_RETENTION_DAYS}, or null` }];
  return [];
}
