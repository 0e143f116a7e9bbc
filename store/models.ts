// MongoDB collections of the product, as Mongoose models bound to one connection.
// Only features FerretDB v1 supports are used (SPEC §18): plain and unique compound indexes, no TTL or partial ones.
import { Schema, type Connection } from 'mongoose';
import type { Agent, CannedReply, Group, RoutingRule, Template } from '../domain/desk';
import type { Article } from '../domain/knowledge';
import type { Mailbox } from '../domain/mail';
import type { Notification } from '../domain/notifications';
import type { BusinessCalendar } from '../domain/sla/calendar';
import type { SlaPolicy } from '../domain/sla/policy';
import { CHANNELS, IMPACTS, PRIORITIES, STATUSES, URGENCIES, type Ticket } from '../domain/ticket';
import type { TimelineEvent } from '../domain/timeline';
import type { QueueKeys } from './queues';

/**
 * The stored ticket, with the keys its queues filter and sort by (store/queues.ts), the access keys of who may see it
 * (domain/roles.ts) and the KPI ledger bucket of its fact (store/kpis.ts); older documents may lack them.
 */
export type TicketDocument = Omit<Ticket, 'id'> & { _id: string } & Partial<QueueKeys> & { access?: string[]; kpiBucket?: string };
export type TimelineDocument = TimelineEvent & { _id: string };
export type GroupDocument = Omit<Group, 'id'> & { _id: string };
export type AgentDocument = Omit<Agent, 'id'> & { _id: string };
export type RoutingRuleDocument = Omit<RoutingRule, 'id'> & { _id: string; order: number };
export type TemplateDocument = Omit<Template, 'problemType'> & { _id: string };
export type ArticleDocument = Omit<Article, 'id'> & { _id: string };
/** A version counter per kind of shared data ('config', 'knowledge'), so caches in other processes know to reload. */
export interface VersionDocument {
  _id: string;
  version: number;
}
export type SlaPolicyDocument = Omit<SlaPolicy, 'id'> & { _id: string };
export type CalendarDocument = Omit<BusinessCalendar, 'id'> & { _id: string };
/**
 * Dispatch's view of an agent's work: how many open tickets they hold, folded in by the change relay from the
 * changes that claim and release tickets; `batch` is the last relay batch folded in, so a batch folds once.
 */
export interface AgentLoadDocument {
  _id: string;
  openCount: number;
  lastAssignedAt: string | null;
  batch: number;
}

/**
 * One recorded change of a ticket (_id `${ticketId}:${version}`): its timeline events, its notifications, its KPI
 * fact and the agents' load it moves, written in one insert with the ticket document. `relay` is 'pending' until the
 * change relay takes it, then the number of the relay batch that delivered and folded it (the one mark it gets).
 */
export interface ChangeDocument {
  _id: string;
  ticketId: string;
  /** The ticket version the change made; 0 for events migrated from the former timeline collection. */
  version: number;
  at: string;
  /** Sequence numbers of its first and last event (timeline paging); 0 and 0 when it has none. */
  firstSeq: number;
  lastSeq: number;
  events: TimelineEvent[];
  notifications: Notification[];
  /** The ticket's KPI fact as the change leaves it, and the ledger bucket it lives in (store/kpis.ts). */
  kpi: { bucket: string; fact: string; open: boolean; backlogChanged: boolean } | null;
  /** Agents whose open-ticket count the change ends (release) or starts (claim). */
  load: { claim: string[]; release: string[] };
  relay: 'pending' | number;
}

/** Who runs the change relay now (one process at a time, by lease) and how far its batches got. */
export interface RelayLeaseDocument {
  _id: string;
  leader: string;
  leaseUntil: string;
  /** The last batch begun, and whether all of it was delivered and folded. */
  batch: number;
  finished: boolean;
}
/** A Message-ID the desk sent or received, and the ticket it belongs to: how replies find their ticket. */
export interface MailThreadDocument {
  _id: string;
  ticketId: string;
  direction: 'in' | 'out';
  at: string;
  /** Inbound: who sent it (the From address), and what it became; `opened` ones count against MAIL_SENDER_LIMIT. */
  sender?: string;
  outcome?: 'opened' | 'comment' | 'note';
}
/** A notice sent by mail, keyed by its outbox notification, so a relay that restarts never sends it twice. */
export interface MailSentDocument {
  _id: string;
  ticketId: string;
  kind: string;
  messageId: string;
  to: string[];
  subject: string;
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  /** Recipients the relay refused while taking the message for the others. */
  rejected: string[];
  createdAt: string;
  sentAt: string | null;
}
export type MailboxDocument = Omit<Mailbox, 'address'> & { _id: string };
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';
export type OutboxDocument = Omit<Notification, 'id'> & {
  _id: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  claimedAt: string | null;
  /** The claim (one relay's batch) it belongs to while being sent. */
  claimedBy?: string;
  sentAt: string | null;
  lastError: string | null;
};

const { Mixed } = Schema.Types;
const options = (collection: string) => ({ collection, versionKey: false as const, minimize: false, strict: 'throw' as const });

const ticketSchema = new Schema<TicketDocument>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    status: { type: String, enum: STATUSES, required: true },
    priority: { type: String, enum: PRIORITIES, required: true },
    impact: { type: String, enum: IMPACTS, required: true },
    urgency: { type: String, enum: URGENCIES, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    productLine: { type: String, required: true },
    module: { type: String, default: null },
    problemType: { type: String, required: true },
    fields: { type: Mixed, default: {} },
    attachments: { type: Mixed, default: [] },
    requester: { type: Mixed, required: true },
    assignment: { type: Mixed, required: true },
    tier: { type: Number, required: true },
    collaborators: { type: [String], default: [] },
    sla: { type: Mixed, required: true },
    suggestions: { type: Mixed, default: [] },
    reopenCount: { type: Number, default: 0 },
    resolution: { type: Mixed, default: null },
    csat: { type: Mixed, default: null },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
    closedAt: { type: String, default: null },
    requiredSkills: { type: [String], default: [] },
    closure: { type: Mixed, required: true },
    stats: { type: Mixed, required: true },
    version: { type: Number, required: true },
    queueFlags: { type: [String], default: undefined },
    dueAt: { type: String },
    access: { type: [String], default: undefined },
    kpiBucket: { type: String },
  },
  options('tickets'),
);
// Lists lead with one access key, an equality FerretDB pushes down (no $in or $or over a growing collection).
ticketSchema.index({ access: 1, createdAt: -1 });
ticketSchema.index({ 'requester.id': 1, createdAt: -1 });
ticketSchema.index({ queueFlags: 1, dueAt: 1 });
ticketSchema.index({ 'assignment.group': 1, createdAt: -1 });
ticketSchema.index({ status: 1, createdAt: -1 });

// The timeline as it was stored before change documents: read once by the migration into `changes` (store/changes.ts).
const timelineSchema = new Schema<TimelineDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: String, required: true },
    type: { type: String, required: true },
    actor: { type: Mixed, required: true },
    visibility: { type: String, enum: ['public', 'internal'], required: true },
    data: { type: Mixed, default: {} },
  },
  options('timeline'),
);
timelineSchema.index({ ticketId: 1, seq: 1 }, { unique: true });

const groupSchema = new Schema<GroupDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    tier: { type: Number, enum: [1, 2, 3], required: true },
    escalationTarget: { type: String, default: null },
  },
  options('groups'),
);

const agentSchema = new Schema<AgentDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String },
    groups: { type: [String], default: [] },
    skills: { type: [String], default: [] },
    available: { type: Boolean, default: true },
  },
  options('agents'),
);
agentSchema.index({ groups: 1 });

const agentLoadSchema = new Schema<AgentLoadDocument>(
  {
    _id: { type: String, required: true },
    openCount: { type: Number, required: true },
    lastAssignedAt: { type: String, default: null },
    batch: { type: Number, required: true },
  },
  options('agent_load'),
);

const changeSchema = new Schema<ChangeDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    version: { type: Number, required: true },
    at: { type: String, required: true },
    firstSeq: { type: Number, required: true },
    lastSeq: { type: Number, required: true },
    events: { type: Mixed, default: [] },
    notifications: { type: Mixed, default: [] },
    kpi: { type: Mixed, default: null },
    load: { type: Mixed, required: true },
    relay: { type: Mixed, required: true },
  },
  options('changes'),
);
// Each leads a query with an equality FerretDB pushes down (a GIN index follows each, stack/ferretdb/indexes.go): a
// ticket's timeline, the relay's pending changes and its batches. The collection grows; these reads do not.
changeSchema.index({ ticketId: 1, firstSeq: 1 });
changeSchema.index({ relay: 1 });

const relayLeaseSchema = new Schema<RelayLeaseDocument>(
  {
    _id: { type: String, required: true },
    leader: { type: String, required: true },
    leaseUntil: { type: String, required: true },
    batch: { type: Number, required: true },
    finished: { type: Boolean, required: true },
  },
  options('relay_leases'),
);

const routingRuleSchema = new Schema<RoutingRuleDocument>(
  {
    _id: { type: String, required: true },
    order: { type: Number, required: true },
    name: { type: String, required: true },
    match: { type: Mixed, default: {} },
    target: { type: String, required: true },
    skills: { type: [String], default: [] },
  },
  options('routing_rules'),
);

const templateSchema = new Schema<TemplateDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    fields: { type: Mixed, default: [] },
    defaultImpact: { type: String, enum: IMPACTS },
    defaultUrgency: { type: String, enum: URGENCIES },
  },
  options('templates'),
);

const slaPolicySchema = new Schema<SlaPolicyDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    productLine: { type: String, default: null },
    targets: { type: Mixed, required: true },
    warnAtPercent: { type: Number, required: true },
    progressCadenceMs: { type: Mixed, default: {} },
    triage: { type: Mixed, required: true },
  },
  options('sla_policies'),
);

const calendarSchema = new Schema<CalendarDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    timeZone: { type: String, required: true },
    weeklyHours: { type: Mixed, required: true },
    holidays: { type: [String], default: [] },
  },
  options('calendars'),
);

const articleSchema = new Schema<ArticleDocument>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    problem: { type: String, required: true },
    symptoms: { type: String, default: '' },
    cause: { type: String, default: '' },
    solution: { type: String, required: true },
    productLine: { type: String, required: true },
    module: { type: String, default: null },
    tags: { type: [String], default: [] },
    sourceTickets: { type: [String], default: [] },
    usedBy: { type: [String], default: [] },
    status: { type: String, enum: ['draft', 'published', 'rejected'], required: true },
    author: { type: String, required: true },
    reviewer: { type: String, default: null },
    rejectReason: { type: String, default: null },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
    publishedAt: { type: String, default: null },
  },
  options('kb_articles'),
);
articleSchema.index({ status: 1, updatedAt: -1 });

const versionSchema = new Schema<VersionDocument>({ _id: { type: String, required: true }, version: { type: Number, required: true } }, options('versions'));

/**
 * KPI facts (SPEC §13) of at most a hundred tickets created on one day (_id YYYY-MM-DD#<process>-<n>; older ones
 * YYYY-MM-DD#n), in `kpi_days`; the facts of those still open, under the same _id, in `kpi_backlog`.
 */
export interface KpiFactsDocument {
  _id: string;
  facts: Record<string, string>;
}
const kpiFactsSchema = (collection: string) => new Schema<KpiFactsDocument>({ _id: { type: String, required: true }, facts: { type: Mixed, default: {} } }, options(collection));

const outboxSchema = new Schema<OutboxDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    kind: { type: String, required: true },
    to: { type: Mixed, required: true },
    subject: { type: String, required: true },
    body: { type: String, required: true },
    at: { type: String, required: true },
    status: { type: String, enum: ['pending', 'sending', 'sent', 'failed'], required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: String, required: true },
    claimedAt: { type: String, default: null },
    claimedBy: { type: String },
    sentAt: { type: String, default: null },
    lastError: { type: String, default: null },
  },
  options('outbox'),
);
outboxSchema.index({ status: 1, nextAttemptAt: 1 });
outboxSchema.index({ ticketId: 1 });

const mailThreadSchema = new Schema<MailThreadDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    at: { type: String, required: true },
    sender: { type: String },
    outcome: { type: String, enum: ['opened', 'comment', 'note'] },
  },
  options('mail_threads'),
);
mailThreadSchema.index({ ticketId: 1, direction: 1, at: 1 });
mailThreadSchema.index({ sender: 1, at: 1 });

const mailSentSchema = new Schema<MailSentDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    kind: { type: String, required: true },
    messageId: { type: String, required: true },
    to: { type: [String], default: [] },
    subject: { type: String, required: true },
    status: { type: String, enum: ['sending', 'sent', 'failed'], required: true },
    attempts: { type: Number, required: true },
    lastError: { type: String, default: null },
    rejected: { type: [String], default: [] },
    createdAt: { type: String, required: true },
    sentAt: { type: String, default: null },
  },
  options('mail_sent'),
);
mailSentSchema.index({ ticketId: 1 });

const mailboxSchema = new Schema<MailboxDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    productLine: { type: String, required: true },
    problemType: { type: String, required: true },
  },
  options('mailboxes'),
);

export type CannedReplyDocument = Omit<CannedReply, 'id'> & { _id: string; order: number };
const cannedReplySchema = new Schema<CannedReplyDocument>(
  {
    _id: { type: String, required: true },
    order: { type: Number, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    group: { type: String, default: null },
  },
  options('canned_replies'),
);

/** Someone staff with a ticket open in the console (_id `${ticketId}:${sub}`); stale after the presence TTL. */
export interface PresenceDocument {
  _id: string;
  ticketId: string;
  sub: string;
  name: string | null;
  role: string;
  state: 'viewing' | 'replying';
  /** When they entered this state, and when their console last said they are still there. */
  since: string;
  at: string;
}
const presenceSchema = new Schema<PresenceDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    sub: { type: String, required: true },
    name: { type: String, default: null },
    role: { type: String, required: true },
    state: { type: String, enum: ['viewing', 'replying'], required: true },
    since: { type: String, required: true },
    at: { type: String, required: true },
  },
  options('presence'),
);
// No TTL index on FerretDB: readers skip stale entries by `at`, and writers delete them (store/presence.ts).
presenceSchema.index({ ticketId: 1 });

/** A desk-wide setting that is one value, not a list (_id its name): the retention policy (domain/privacy.ts). */
export interface DeskSettingDocument {
  _id: string;
  value: unknown;
}
const deskSettingSchema = new Schema<DeskSettingDocument>({ _id: { type: String, required: true }, value: { type: Mixed, default: null } }, options('desk_settings'));

export function bindModels(connection: Connection) {
  return {
    Ticket: connection.model<TicketDocument>('Ticket', ticketSchema),
    Timeline: connection.model<TimelineDocument>('Timeline', timelineSchema),
    Change: connection.model<ChangeDocument>('Change', changeSchema),
    RelayLease: connection.model<RelayLeaseDocument>('RelayLease', relayLeaseSchema),
    Group: connection.model<GroupDocument>('Group', groupSchema),
    Agent: connection.model<AgentDocument>('Agent', agentSchema),
    AgentLoad: connection.model<AgentLoadDocument>('AgentLoad', agentLoadSchema),
    RoutingRule: connection.model<RoutingRuleDocument>('RoutingRule', routingRuleSchema),
    Template: connection.model<TemplateDocument>('Template', templateSchema),
    SlaPolicy: connection.model<SlaPolicyDocument>('SlaPolicy', slaPolicySchema),
    Calendar: connection.model<CalendarDocument>('Calendar', calendarSchema),
    Outbox: connection.model<OutboxDocument>('Outbox', outboxSchema),
    MailThread: connection.model<MailThreadDocument>('MailThread', mailThreadSchema),
    MailSent: connection.model<MailSentDocument>('MailSent', mailSentSchema),
    Mailbox: connection.model<MailboxDocument>('Mailbox', mailboxSchema),
    Article: connection.model<ArticleDocument>('Article', articleSchema),
    Version: connection.model<VersionDocument>('Version', versionSchema),
    KpiDay: connection.model<KpiFactsDocument>('KpiDay', kpiFactsSchema('kpi_days')),
    KpiBacklog: connection.model<KpiFactsDocument>('KpiBacklog', kpiFactsSchema('kpi_backlog')),
    CannedReply: connection.model<CannedReplyDocument>('CannedReply', cannedReplySchema),
    Presence: connection.model<PresenceDocument>('Presence', presenceSchema),
    DeskSetting: connection.model<DeskSettingDocument>('DeskSetting', deskSettingSchema),
  };
}

export type Models = ReturnType<typeof bindModels>;
