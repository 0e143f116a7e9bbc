// Support KPIs (SPEC §13), computed in TypeScript from a projection of the tickets: FerretDB has no $avg,
// $push or $percentile (SPEC §18), and the same code then runs unchanged on MongoDB.
import { OPEN_STATUSES, type Channel, type Priority, type Ticket, type TicketStatus } from './ticket';

export const KPI_DIMENSIONS = ['priority', 'productLine', 'channel', 'group', 'agent'] as const;
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];

/** What the KPIs read of a ticket. */
export interface KpiTicket {
  priority: Priority;
  productLine: string;
  channel: Channel;
  group: string | null;
  agent: string | null;
  status: TicketStatus;
  createdAt: string;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  reopenCount: number;
  publicReplies: number;
  escalations: number;
  transfers: number;
  selfService: boolean;
  csatScore: number | null;
  surveyOffered: boolean;
  reviewStatus: 'pending' | 'filed' | 'overdue' | null;
}

/** A share: `rate` is null when nothing could be counted. */
export interface Rate {
  count: number;
  of: number;
  rate: number | null;
}

/** Durations in milliseconds; percentiles by nearest rank. */
export interface Durations {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
}

export const BACKLOG_AGES = ['under1d', '1to3d', '3to7d', '7to30d', 'over30d'] as const;

export interface KpiRow {
  key: string;
  volume: number;
  firstResponse: Durations;
  resolution: Durations;
  slaCompliance: { response: Rate; resolution: Rate };
  escalationRate: Rate;
  reopenRate: Rate;
  firstContactResolution: Rate;
  deflectionRate: Rate;
  csat: { average: number | null; responses: number; offered: number; responseRate: number | null };
  backlog: { open: number } & Record<(typeof BACKLOG_AGES)[number], number>;
  reviewCompletion: Rate;
}

export const NONE = '(none)';
const DAY = 86_400_000;

export function keyOf(ticket: KpiTicket, dimension: KpiDimension): string {
  return (dimension === 'priority' ? ticket.priority : dimension === 'productLine' ? ticket.productLine : dimension === 'channel' ? ticket.channel : ticket[dimension]) ?? NONE;
}

/**
 * One row per key of the dimension, including keys with no tickets, plus the totals. `created` are the tickets
 * created in the period; `backlog` the tickets open now (backlog is a figure of the present, not of the period).
 */
export function computeKpis(created: KpiTicket[], backlog: KpiTicket[], dimension: KpiDimension, keys: string[], now: number): { totals: KpiRow; groups: KpiRow[] } {
  const allKeys = [...new Set([...keys, ...created.map((t) => keyOf(t, dimension)), ...backlog.map((t) => keyOf(t, dimension))])];
  const groups = allKeys.map((key) =>
    row(
      key,
      created.filter((t) => keyOf(t, dimension) === key),
      backlog.filter((t) => keyOf(t, dimension) === key),
      now,
    ),
  );
  return { totals: row('total', created, backlog, now), groups };
}

function row(key: string, tickets: KpiTicket[], open: KpiTicket[], now: number): KpiRow {
  const since = (from: string, to: string | null) => (to === null ? null : Date.parse(to) - Date.parse(from));
  const responded = tickets.filter((t) => t.firstRespondedAt !== null || t.responseBreached);
  const resolved = tickets.filter((t) => t.resolvedAt !== null && (t.status === 'resolved' || t.status === 'closed'));
  const resolutionEnded = tickets.filter((t) => resolved.includes(t) || t.resolutionBreached);
  const everResolved = tickets.filter((t) => t.resolvedAt !== null || t.reopenCount > 0);
  const closedByDesk = tickets.filter((t) => t.status === 'closed' && !t.selfService);
  const rated = tickets.filter((t) => t.csatScore !== null);
  const reviews = tickets.filter((t) => t.reviewStatus !== null);
  const ages = open.map((t) => now - Date.parse(t.createdAt));
  return {
    key,
    volume: tickets.length,
    firstResponse: durations(tickets.map((t) => since(t.createdAt, t.firstRespondedAt))),
    resolution: durations(resolved.map((t) => since(t.createdAt, t.resolvedAt))),
    slaCompliance: {
      response: rate(responded.filter((t) => !t.responseBreached).length, responded.length),
      resolution: rate(resolutionEnded.filter((t) => !t.resolutionBreached).length, resolutionEnded.length),
    },
    escalationRate: rate(tickets.filter((t) => t.escalations > 0).length, tickets.length),
    reopenRate: rate(everResolved.filter((t) => t.reopenCount > 0).length, everResolved.length),
    // Solved by the desk in one touch: at most one public reply, never reopened, escalated or passed on.
    firstContactResolution: rate(closedByDesk.filter((t) => t.publicReplies <= 1 && t.reopenCount === 0 && t.escalations === 0 && t.transfers === 0).length, closedByDesk.length),
    deflectionRate: rate(tickets.filter((t) => t.selfService).length, tickets.length),
    csat: {
      average: rated.length ? round(rated.reduce((sum, t) => sum + t.csatScore!, 0) / rated.length, 2) : null,
      responses: rated.length,
      offered: tickets.filter((t) => t.surveyOffered).length,
      responseRate: rate(rated.length, tickets.filter((t) => t.surveyOffered).length).rate,
    },
    backlog: {
      open: open.length,
      under1d: ages.filter((a) => a < DAY).length,
      '1to3d': ages.filter((a) => a >= DAY && a < 3 * DAY).length,
      '3to7d': ages.filter((a) => a >= 3 * DAY && a < 7 * DAY).length,
      '7to30d': ages.filter((a) => a >= 7 * DAY && a < 30 * DAY).length,
      over30d: ages.filter((a) => a >= 30 * DAY).length,
    },
    reviewCompletion: rate(reviews.filter((t) => t.reviewStatus === 'filed').length, reviews.length),
  };
}

export function durations(values: Array<number | null>): Durations {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, mean: null, p50: null, p90: null };
  return { count: sorted.length, mean: Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length), p50: percentile(sorted, 50), p90: percentile(sorted, 90) };
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const rate = (count: number, of: number): Rate => ({ count, of, rate: of === 0 ? null : round(count / of, 4) });
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export const isBacklog = (status: TicketStatus) => OPEN_STATUSES.includes(status);

/** The ledger bucket of a ticket recorded before buckets were handed out (store/kpis.ts): four per creation day. */
export const legacyKpiBucketOf = (ticket: Pick<Ticket, 'id' | 'createdAt'>) => `${ticket.createdAt.slice(0, 10)}#${ticket.id.charCodeAt(ticket.id.length - 1) % 4}`;

/** What the KPIs need of a ticket, read off the ticket as it stands. */
export function factOf(ticket: Ticket): KpiTicket {
  return {
    priority: ticket.priority,
    productLine: ticket.productLine,
    channel: ticket.channel,
    group: ticket.assignment.group,
    agent: ticket.assignment.agent,
    status: ticket.status,
    createdAt: ticket.createdAt,
    firstRespondedAt: ticket.sla.firstRespondedAt,
    resolvedAt: ticket.resolution?.resolvedAt ?? null,
    responseBreached: ticket.sla.responseBreached,
    resolutionBreached: ticket.sla.resolutionBreached,
    reopenCount: ticket.reopenCount,
    publicReplies: ticket.stats.publicReplies,
    escalations: ticket.stats.escalations,
    transfers: ticket.stats.transfers,
    selfService: ticket.stats.selfService,
    csatScore: ticket.csat?.score ?? null,
    surveyOffered: ticket.closure.survey !== null,
    reviewStatus: ticket.closure.review?.status ?? null,
  };
}

// A fact travels as one short string: documents with few fields are what the local MongoDB-wire server reads fast.
const FACT_FIELDS: Array<keyof KpiTicket> = [
  'priority', 'productLine', 'channel', 'group', 'agent', 'status', 'createdAt', 'firstRespondedAt', 'resolvedAt', 'responseBreached',
  'resolutionBreached', 'reopenCount', 'publicReplies', 'escalations', 'transfers', 'selfService', 'csatScore', 'surveyOffered', 'reviewStatus',
];

export const encodeFact = (fact: KpiTicket) => JSON.stringify(FACT_FIELDS.map((f) => fact[f]));

export function decodeFact(encoded: string): KpiTicket {
  const values = JSON.parse(encoded) as unknown[];
  return Object.fromEntries(FACT_FIELDS.map((f, i) => [f, values[i]])) as unknown as KpiTicket;
}
