// Opening a ticket from what a channel handed over (SPEC §4, §5): classify, prioritise, start the record.
import { DEFAULT_IMPACT, DEFAULT_URGENCY, priorityOf } from './priority';
import type { Ticket, TicketIntake } from './ticket';

export function openTicket(intake: TicketIntake, at: string): Ticket {
  const impact = intake.impact ?? DEFAULT_IMPACT;
  const urgency = intake.urgency ?? DEFAULT_URGENCY;
  return {
    id: intake.id,
    title: intake.title,
    description: intake.description,
    status: 'new',
    priority: priorityOf(impact, urgency),
    impact,
    urgency,
    channel: intake.channel,
    productLine: intake.productLine,
    module: intake.module ?? null,
    problemType: intake.problemType,
    fields: intake.fields,
    attachments: intake.attachments,
    requester: intake.requester,
    assignment: { group: null, agent: null },
    tier: 1,
    collaborators: [],
    sla: {
      policyId: null,
      responseDue: null,
      resolutionDue: null,
      firstRespondedAt: null,
      responseBreached: false,
      resolutionBreached: false,
      paused: false,
      pausedMs: 0,
    },
    suggestions: [],
    reopenCount: 0,
    resolution: null,
    csat: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    requiredSkills: [],
    closure: { knowledge: null, survey: null, review: null },
    stats: { publicReplies: 0, escalations: 0, transfers: 0, selfService: false },
    version: 0,
  };
}
