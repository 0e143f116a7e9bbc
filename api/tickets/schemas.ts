// Request and response shapes of the ticket routes (SPEC §16). They validate input and document the API.
import { z } from 'zod';
import { CHANNELS, IMPACTS, PRIORITIES, STATUSES, TIERS, URGENCIES, type Ticket } from '../../domain/ticket';
import { QUEUE_IDS } from '../../store/queues';
import { anyText, attachmentInput, attachmentResource, fieldKey, text } from '../http/text';


export const ticketIdParam = z.object({ id: z.string().regex(/^[0-9A-Z]{10}$/, 'must be a ticket id such as 7K2XQ9MPA4') });

const fieldValue = z.union([anyText(5000), z.number(), z.boolean()]);

const person = z.object({
  id: text(200),
  name: text(200).optional(),
  email: z.email().max(320).optional(),
});

export const createTicketBody = z.strictObject({
  title: text(200),
  description: text(20_000),
  channel: z.enum(['portal', 'chat', 'phone', 'api']),
  productLine: text(100),
  module: text(100).optional(),
  problemType: text(100),
  impact: z.enum(IMPACTS).optional(),
  urgency: z.enum(URGENCIES).optional(),
  fields: z.record(fieldKey, fieldValue).default({}),
  attachments: z.array(attachmentInput).max(20).default([]).describe('uploads ({ uploadId }) or metadata of files kept elsewhere'),
  /** Agents and supervisors taking a ticket on someone's behalf (phone, chat) name the requester. */
  requester: person.optional(),
});
export type CreateTicketBody = z.infer<typeof createTicketBody>;

export const assignBody = z
  .strictObject({ group: text(100).optional(), agent: text(200).optional(), reason: text(2000).optional() })
  .refine((b) => b.group !== undefined || b.agent !== undefined, { message: 'name a group, an agent or both', path: ['group'] });

export const commentBody = z.strictObject({
  body: text(20_000),
  visibility: z.enum(['public', 'internal']).default('public'),
  attachments: z.array(attachmentInput).max(20).default([]).describe('uploads ({ uploadId }); those of an internal note are for staff only'),
});

export const statusBody = z.strictObject({
  status: z.enum(['in_progress', 'waiting_on_customer']),
  reason: text(2000).optional(),
});

export const resolveBody = z
  .strictObject({
    summary: text(5000),
    rootCause: text(5000),
    steps: text(20_000),
    kbArticleId: text(100).optional(),
    newKnowledge: z.boolean().optional(),
  })
  .refine((b) => (b.kbArticleId !== undefined) !== (b.newKnowledge === true), {
    message: 'give either kbArticleId (a known solution) or newKnowledge: true (a new one), not both',
    path: ['kbArticleId'],
  });

export const reasonBody = z.strictObject({ reason: text(2000) });

export const escalateBody = z.strictObject({ reason: text(2000), toGroup: text(100).optional() });

export const priorityBody = z
  .strictObject({ impact: z.enum(IMPACTS).optional(), urgency: z.enum(URGENCIES).optional(), priority: z.enum(PRIORITIES).optional(), reason: text(2000) })
  .refine((b) => b.impact !== undefined || b.urgency !== undefined || b.priority !== undefined, { message: 'give impact, urgency or priority', path: ['priority'] });

export const collaboratorBody = z.strictObject({ agent: text(200) });

export const suggestionParams = ticketIdParam.extend({ articleId: text(100) });

export const csatBody = z.strictObject({ score: z.number().int().min(1).max(5), comment: text(5000).optional() });

export const reviewBody = z.strictObject({
  rootCause: text(10_000),
  timelineSummary: text(20_000),
  actions: z.array(z.strictObject({ description: text(2000), owner: text(200), dueDate: z.iso.date() })).min(1).max(50),
  lessons: text(10_000),
});

export const emptyBody = z.strictObject({}).optional();

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(values)));

export const listQuery = z.strictObject({
  status: csv(STATUSES).optional(),
  priority: csv(PRIORITIES).optional(),
  productLine: text(100).optional(),
  group: text(100).optional(),
  assignee: text(200).optional(),
  breached: z.enum(['true', 'false']).optional(),
  q: text(200).optional(),
  queue: z.enum(QUEUE_IDS).optional().describe('a work queue of GET /queues (staff; triage and reviews: supervisors and admins)'),
  sort: z.enum(['created', 'due']).default('created').describe('created: newest first; due: the nearest running SLA deadline first, tickets without one last'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: anyText(500).optional(),
});

export const timelineQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const idempotencyKeyHeader = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const iso = z.string().describe('ISO 8601 UTC timestamp');

const resolutionResource = z.object({
  summary: z.string(),
  rootCause: z.string(),
  steps: z.string(),
  kbArticleId: z.string().nullable(),
  newKnowledge: z.boolean(),
  resolvedBy: z.string(),
  resolvedAt: iso,
});
/** What a requester sees of a resolution: what was done, not why nor by whom. */
const requesterResolution = resolutionResource.pick({ summary: true, steps: true, kbArticleId: true, resolvedAt: true });

export const ticketResource = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  impact: z.enum(IMPACTS),
  urgency: z.enum(URGENCIES),
  channel: z.enum(CHANNELS),
  productLine: z.string(),
  module: z.string().nullable(),
  problemType: z.string(),
  fields: z.record(z.string(), fieldValue),
  attachments: z.array(attachmentResource),
  requester: z.object({ id: z.string(), name: z.string().optional(), email: z.string().optional() }),
  assignment: z.object({ group: z.string().nullable(), agent: z.string().nullable() }),
  tier: z.union(TIERS.map((t) => z.literal(t))),
  collaborators: z.array(z.string()),
  sla: z.object({
    policyId: z.string().nullable(),
    responseDue: iso.nullable(),
    resolutionDue: iso.nullable(),
    firstRespondedAt: iso.nullable(),
    responseBreached: z.boolean(),
    resolutionBreached: z.boolean(),
    paused: z.boolean(),
    pausedMs: z.number().int(),
  }),
  suggestions: z.array(z.object({ articleId: z.string(), title: z.string(), score: z.number() })),
  reopenCount: z.number().int(),
  resolution: resolutionResource.nullable(),
  csat: z.object({ score: z.number().int(), comment: z.string().nullable(), at: iso }).nullable(),
  createdAt: iso,
  updatedAt: iso,
  closedAt: iso.nullable(),
  requiredSkills: z.array(z.string()),
  closure: z.object({
    knowledge: z.object({ articleId: z.string(), kind: z.enum(['drafted', 'used']) }).nullable(),
    survey: z.object({ status: z.enum(['open', 'answered', 'expired']), closesAt: iso }).nullable(),
    review: z
      .object({
        status: z.enum(['pending', 'filed', 'overdue']),
        dueAt: iso,
        filed: z
          .object({
            rootCause: z.string(),
            timelineSummary: z.string(),
            actions: z.array(z.object({ description: z.string(), owner: z.string(), dueDate: z.string() })),
            lessons: z.string(),
            filedBy: z.string(),
            filedAt: iso,
          })
          .nullable(),
      })
      .nullable(),
  }),
  stats: z.object({ publicReplies: z.number().int(), escalations: z.number().int(), transfers: z.number().int(), selfService: z.boolean() }),
  version: z.number().int(),
  temporal: z.object({ workflowId: z.string(), uiUrl: z.string() }),
});

export const timelineEvent = z.object({
  ticketId: z.string(),
  seq: z.number().int(),
  at: iso,
  type: z.string(),
  actor: z.object({ id: z.string(), role: z.string(), name: z.string().optional() }),
  visibility: z.enum(['public', 'internal']),
  data: z.record(z.string(), z.unknown()),
});

/** The ticket as requesters (and the mail gateway) see it: no routing, escalation, review or knowledge-capture detail (SPEC §16). */
export const requesterTicketResource = ticketResource
  .pick({
    id: true,
    title: true,
    description: true,
    status: true,
    priority: true,
    impact: true,
    urgency: true,
    channel: true,
    productLine: true,
    module: true,
    problemType: true,
    fields: true,
    attachments: true,
    requester: true,
    assignment: true,
    suggestions: true,
    reopenCount: true,
    csat: true,
    createdAt: true,
    updatedAt: true,
    closedAt: true,
    version: true,
  })
  .extend({
    sla: ticketResource.shape.sla.pick({ responseDue: true, resolutionDue: true, firstRespondedAt: true }),
    resolution: requesterResolution.nullable(),
    closure: ticketResource.shape.closure.pick({ survey: true }),
  });

/** Staff get the whole ticket, requesters their view of it. */
export const anyTicketResource = z.union([ticketResource.describe('the ticket, for staff'), requesterTicketResource.describe('the ticket as its requester sees it')]);

export const changeResponse = z.object({ ticket: anyTicketResource, events: z.array(timelineEvent) });
export const ticketList = z.object({ items: z.array(anyTicketResource), nextCursor: z.string().nullable() });
export const timelineList = z.object({ items: z.array(timelineEvent), nextCursor: z.string().nullable() });

export type RequesterTicketResource = z.infer<typeof requesterTicketResource>;
export type RequesterResolution = z.infer<typeof requesterResolution>;

// Fails to compile if the resource and the domain's Ticket drift apart.
export type TicketResource = z.infer<typeof ticketResource>;
const _sameShape: (t: Ticket) => Omit<TicketResource, 'temporal'> = (t) => t;
void _sameShape;
