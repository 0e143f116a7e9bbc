// How tickets and their events look from the outside, and which ones a caller may reach.
// Requesters get allow-lists (SPEC §16: internal records never reach them): a field added to the ticket or to
// an event stays hidden from them until it is added here.
import type { Config } from '../../platform/config';
import { canViewTicket, isStaff, type Principal } from '../../domain/roles';
import { ticketWorkflowId, type Attachment, type Person, type Resolution, type Ticket } from '../../domain/ticket';
import type { Actor, TimelineEvent } from '../../domain/timeline';
import type { TicketStore } from '../../store/tickets';
import type { Caller } from '../../workflows/definitions';
import { notFound } from '../http/problem';
import type { RequesterResolution, RequesterTicketResource, TicketResource } from './schemas';

/** Staff see the whole ticket and a link to its workflow; everyone else the requester's view. */
export function presenter(config: Pick<Config, 'temporalUiUrl' | 'temporalNamespace'>) {
  return (ticket: Ticket, who: Principal): TicketResource | RequesterTicketResource => {
    if (!isStaff(who)) return requesterTicket(ticket);
    const workflowId = ticketWorkflowId(ticket.id);
    const uiUrl = `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
    return { ...ticket, temporal: { workflowId, uiUrl } };
  };
}

/** Staff see every event; requesters public events only, each with the data its type allows them. */
export function visibleEvents(events: TimelineEvent[], who: Principal): TimelineEvent[] {
  return isStaff(who) ? events : events.filter((e) => e.visibility === 'public').map(requesterEvent);
}

/** The requester's view of a ticket: status, priority, who has it, deadlines, suggestions, the resolution, the survey. */
export function requesterTicket(t: Ticket): RequesterTicketResource {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    channel: t.channel,
    productLine: t.productLine,
    module: t.module,
    problemType: t.problemType,
    fields: { ...t.fields },
    attachments: t.attachments.filter((a) => a.visibility !== 'internal').map(requesterAttachment),
    requester: person(t.requester),
    assignment: { group: t.assignment.group, agent: t.assignment.agent },
    // The promised deadlines; breach flags, the policy and paused time are the desk's own measures.
    sla: { responseDue: t.sla.responseDue, resolutionDue: t.sla.resolutionDue, firstRespondedAt: t.sla.firstRespondedAt },
    suggestions: t.suggestions.map((s) => ({ articleId: s.articleId, title: s.title, score: s.score })),
    reopenCount: t.reopenCount,
    resolution: t.resolution && requesterResolution(t.resolution),
    csat: t.csat && { score: t.csat.score, comment: t.csat.comment, at: t.csat.at },
    closure: { survey: t.closure.survey && { status: t.closure.survey.status, closesAt: t.closure.survey.closesAt } },
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    closedAt: t.closedAt,
    version: t.version,
  };
}

/** What was done, not the root cause nor who did it. */
function requesterResolution(r: Resolution): RequesterResolution {
  return { summary: r.summary, steps: r.steps, kbArticleId: r.kbArticleId, resolvedAt: r.resolvedAt };
}

/** Where a file is and what it is; which stored file it is stays the desk's. */
const requesterAttachment = (a: Attachment) => ({ name: a.name, type: a.type, size: a.size, location: a.location });

const person = (p: Person): Person => ({ id: p.id, ...(p.name !== undefined ? { name: p.name } : {}), ...(p.email !== undefined ? { email: p.email } : {}) });

const pick = (data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** The data a requester sees per public event type; a type not listed shows no data. */
const REQUESTER_EVENT_DATA: Record<string, (data: Record<string, unknown>) => Record<string, unknown>> = {
  created: (d) => pick(d, ['channel', 'priority', 'missingFacts']),
  knowledge_suggested: (d) => ({ suggestions: Array.isArray(d.suggestions) ? d.suggestions.map((s) => pick(record(s), ['articleId', 'title', 'score'])) : [] }),
  status_changed: (d) => pick(d, ['from', 'to', 'reason']),
  comment: (d) => ({
    ...pick(d, ['body']),
    ...(d.source ? { source: pick(record(d.source), ['channel']) } : {}),
    ...(Array.isArray(d.attachments) ? { attachments: (d.attachments as Attachment[]).map(requesterAttachment) } : {}),
  }),
  // Both carry a whole resolution (the one given, the one rejected): the requester sees it as on the ticket.
  resolved: (d) => requesterResolution(d as unknown as Resolution),
  reopened: (d) => ({ ...pick(d, ['reason', 'reopenCount']), rejected: d.rejected ? requesterResolution(d.rejected as Resolution) : null }),
  self_service: (d) => pick(d, ['articleId', 'title', 'score']),
  csat: (d) => pick(d, ['score', 'comment', 'at']),
  survey_offered: (d) => pick(d, ['closesAt']),
  confirmation_reminder: () => ({}),
};

function requesterEvent(e: TimelineEvent): TimelineEvent {
  const actor: Actor = { id: e.actor.id, role: e.actor.role, ...(e.actor.name !== undefined ? { name: e.actor.name } : {}) };
  const data = Object.hasOwn(REQUESTER_EVENT_DATA, e.type) ? REQUESTER_EVENT_DATA[e.type]!(e.data) : {};
  return { ticketId: e.ticketId, seq: e.seq, at: e.at, type: e.type, actor, visibility: e.visibility, data };
}

export const actorOf = (who: Principal): Actor => ({ id: who.sub, role: who.role, ...(who.name ? { name: who.name } : {}) });

/** What the ticket's workflow needs of the caller to decide whether they may see the ticket (domain/roles.ts). */
export const callerOf = (who: Principal): Caller => ({ sub: who.sub, role: who.role, groups: who.groups, ...(who.email ? { email: who.email } : {}) });

/** Unknown and invisible look the same (404), so ticket ids cannot be probed. */
export async function findVisible(tickets: TicketStore, id: string, who: Principal): Promise<Ticket> {
  const ticket = await tickets.findById(id);
  if (!ticket || !canViewTicket(who, ticket)) throw notFound('ticket');
  return ticket;
}

/** Idempotency keys are scoped to the caller, so two callers never collide. */
export const requestKey = (who: Principal, key: string | undefined) => (key ? `${who.sub}:${key}` : undefined);
