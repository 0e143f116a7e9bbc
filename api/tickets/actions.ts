// Changes to a ticket (SPEC §16): each route checks what the request alone decides (the role, the body), then hands
// the change to the ticket's workflow and answers once it is stored. Nothing is read first: the workflow's Update
// validator refuses a caller who may not see the ticket (404, as for an unknown one), a stale If-Match (412) and an
// illegal change (409/422). Only a refused change reads the ticket, to answer as a read would.
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { openReview, openSurvey } from '../../domain/closure';
import { Refusal } from '../../domain/errors';
import { canViewTicket, type Principal, type Role } from '../../domain/roles';
import type { Ticket } from '../../domain/ticket';
import type { Actor } from '../../domain/timeline';
import {
  acceptSuggestion,
  addCollaborator,
  addComment,
  assignTicket,
  escalateTicket,
  overridePriority,
  cancelTicket,
  changeStatus,
  confirmResolution,
  rejectResolution,
  fileReview,
  resolveTicket,
  submitCsat,
  type ChangeResult,
  type Command,
} from '../../workflows/definitions';
import type { ApiDeps } from '../deps';
import { conflict, forbidden, HttpProblem, notFound, unprocessable } from '../http/problem';
import { defineRoute } from '../http/routes';
import { resolveAttachments } from '../attachments/routes';
import {
  anyTicketResource,
  assignBody,
  changeResponse,
  collaboratorBody,
  commentBody,
  csatBody,
  emptyBody,
  escalateBody,
  idempotencyKeyHeader,
  priorityBody,
  reasonBody,
  resolveBody,
  reviewBody,
  statusBody,
  suggestionParams,
  ticketIdParam,
} from './schemas';
import { etagOf, expectedVersion, IF_MATCH } from './versions';
import { TicketEnded } from './desk';
import { actorOf, callerOf, presenter, requestKey, visibleEvents } from './view';

interface ActionSpec<B, C extends Command, P extends { id: string }> {
  path: string;
  summary: string;
  roles: readonly Role[];
  /** Path parameters beyond the ticket id, e.g. a suggested article's id. */
  params?: z.ZodType<P>;
  body: z.ZodType<B>;
  update: UpdateDefinition<ChangeResult, [C]>;
  /** Rules the request alone decides, beyond the role: transfer limits, references that must exist. Throw to refuse. */
  authorize?: (who: Principal, body: B) => void | Promise<void>;
  /** Why the change cannot apply to a ticket whose workflow has ended (its loop is done), from the stored ticket. */
  whenEnded?: (ticket: Ticket) => void;
  command(body: B, actor: Actor, params: P): C | Promise<C>;
  created?: boolean;
}

function refuseAsConflict(check: () => unknown): void {
  try {
    check();
  } catch (err) {
    throw err instanceof Refusal ? conflict(err.message) : err;
  }
}

export function ticketActions({ desk, tickets, config, deskConfig, knowledge, files }: ApiDeps) {
  const present = presenter(config);

  function action<B, C extends Command, P extends { id: string } = { id: string }>(spec: ActionSpec<B, C, P>) {
    return defineRoute<B, undefined, P>({
      method: 'post',
      path: `/tickets/{id}/${spec.path}`,
      summary: spec.summary,
      tags: ['tickets'],
      roles: spec.roles,
      params: spec.params ?? (ticketIdParam as unknown as z.ZodType<P>),
      body: spec.body,
      headers: { 'Idempotency-Key': { description: 'Repeat the request safely: the same key gets the first answer', schema: idempotencyKeyHeader }, ...IF_MATCH },
      responses: {
        [spec.created ? 201 : 200]: { description: 'The change is stored: the ticket now and the events it added', schema: changeResponse },
        404: { description: 'Unknown or not visible' },
        409: { description: 'Not allowed in the ticket’s current status' },
        412: { description: 'The ticket has moved on since the If-Match version; nothing changed; `ticket` is the ticket now', problem: { ticket: anyTicketResource } },
        422: { description: 'Refused by a rule' },
      },
      async handle({ body, params, principal, headers }) {
        await spec.authorize?.(principal, body);
        const command = { ...(await spec.command(body, actorOf(principal), params)), caller: callerOf(principal), expectedVersion: expectedVersion(headers['If-Match']) };
        let result: ChangeResult;
        try {
          result = await desk.change(params.id, spec.update, [command], requestKey(principal, headers['Idempotency-Key']));
        } catch (err) {
          throw await refusalAsRead(err, params.id, principal, spec.whenEnded);
        }
        return {
          status: spec.created ? 201 : 200,
          body: { ticket: present(result.ticket, principal), events: visibleEvents(result.events, principal) },
          headers: { ETag: etagOf(result.ticket) },
        };
      },
    });
  }

  /**
   * A refused change, answered from the stored ticket as a read would see it: unknown and invisible alike are 404;
   * a stale If-Match is 412 with the ticket now; a ended workflow says why, when the ticket tells.
   */
  async function refusalAsRead(err: unknown, id: string, who: Principal, whenEnded?: (ticket: Ticket) => void): Promise<unknown> {
    if (!(err instanceof HttpProblem) || ![404, 409, 412].includes(err.status) || (err.status === 409 && !(err instanceof TicketEnded))) return err;
    const ticket = await tickets.findById(id);
    if (!ticket || !canViewTicket(who, ticket)) return notFound('ticket');
    // The workflow refused it while idle or under its lock, so the stored ticket is the one it compared with.
    if (err.status === 412) return new HttpProblem(412, err.detail, undefined, { ETag: etagOf(ticket) }, { ticket: present(ticket, who) });
    if (err instanceof TicketEnded) {
      try {
        refuseAsConflict(() => whenEnded?.(ticket));
      } catch (why) {
        return why;
      }
    }
    return err;
  }

  return [
    action({
      path: 'assign',
      summary: 'Assign to a group and/or agent (supervisor); transfer to another group or take a ticket of one’s group (agent)',
      roles: ['agent', 'supervisor'],
      body: assignBody,
      update: assignTicket,
      authorize(who, body) {
        if (who.role !== 'agent') return;
        const takesIt = body.agent === who.sub && (body.group === undefined || who.groups.includes(body.group));
        const transfers = body.agent === undefined && body.group !== undefined;
        if (!takesIt && !transfers) throw forbidden('agents may transfer to a group or take a ticket themselves; assigning others is for supervisors');
      },
      command: (body, actor) => ({ actor, ...body }),
    }),
    action({
      path: 'escalate',
      summary: 'Escalate (SPEC §8): to the named group, or the escalation target of the ticket’s group; the tier rises',
      roles: ['agent', 'supervisor'],
      body: escalateBody,
      update: escalateTicket,
      command: (body, actor) => ({ actor, ...body }),
    }),
    action({
      path: 'priority',
      summary: 'Override the priority with a reason; SLA deadlines are recomputed from the ticket’s creation',
      roles: ['supervisor'],
      body: priorityBody,
      update: overridePriority,
      command: (body, actor) => ({ actor, ...body }),
    }),
    action({
      path: 'collaborators',
      summary: 'Add an agent from another group as collaborator, without giving up ownership',
      roles: ['agent', 'supervisor'],
      body: collaboratorBody,
      update: addCollaborator,
      async authorize(_who, body) {
        if (!(await deskConfig.agent(body.agent))) throw unprocessable(`there is no agent ${body.agent}`, [{ path: 'body.agent', message: 'is not an agent of the desk' }]);
      },
      command: (body, actor) => ({ actor, agent: body.agent }),
    }),
    action({
      path: 'comments',
      summary: 'Add a public reply or an internal note',
      roles: ['requester', 'agent', 'supervisor'],
      body: commentBody,
      update: addComment,
      created: true,
      authorize(who, body) {
        if (who.role === 'requester' && body.visibility !== 'public') throw forbidden('requesters can only add public comments');
      },
      command: async (body, actor, params) => ({
        actor,
        body: body.body,
        visibility: body.visibility,
        ...(body.attachments.length ? { attachments: await resolveAttachments(files, body.attachments, actor.id, params.id) } : {}),
      }),
    }),
    action({
      path: 'status',
      summary: 'Move between in_progress and waiting_on_customer',
      roles: ['agent', 'supervisor'],
      body: statusBody,
      update: changeStatus,
      command: (body, actor) => ({ actor, ...body }),
    }),
    action({
      path: 'resolve',
      summary: 'Resolve with summary, root cause and steps, and a knowledge article or newKnowledge',
      roles: ['agent', 'supervisor'],
      body: resolveBody,
      update: resolveTicket,
      async authorize(_who, body) {
        if (!body.kbArticleId) return;
        const article = await knowledge.get(body.kbArticleId);
        if (!article || article.status === 'rejected') throw unprocessable(`there is no usable article ${body.kbArticleId}`, [{ path: 'body.kbArticleId', message: 'is not a draft or published article' }]);
      },
      command: (body, actor) => ({ actor, ...body }),
    }),
    action({
      path: 'confirm',
      summary: 'The requester confirms the solution: the ticket closes',
      roles: ['requester'],
      body: emptyBody,
      update: confirmResolution,
      command: (_body, actor) => ({ actor }),
    }),
    action({
      path: 'reject',
      summary: 'The requester says it is not solved: the ticket reopens',
      roles: ['requester'],
      body: reasonBody,
      update: rejectResolution,
      command: (body, actor) => ({ actor, reason: body.reason }),
    }),
    action({
      path: 'suggestions/{articleId}/accept',
      summary: 'The requester accepts a suggested article: solved by self-service (a deflection)',
      roles: ['requester'],
      params: suggestionParams,
      body: emptyBody,
      update: acceptSuggestion,
      command: (_body, actor, params) => ({ actor, articleId: params.articleId }),
    }),
    action({
      path: 'csat',
      summary: 'The requester rates the closed ticket, once, within the survey window',
      roles: ['requester'],
      body: csatBody,
      update: submitCsat,
      // Once the loop is done the workflow has ended; the stored ticket tells why no rating is taken.
      whenEnded: (ticket) => openSurvey(ticket),
      command: (body, actor) => ({ actor, ...body }),
    }),
    action({
      path: 'review',
      summary: 'File the post-incident review (P0/P1 and breached tickets)',
      roles: ['supervisor'],
      body: reviewBody,
      update: fileReview,
      whenEnded: (ticket) => openReview(ticket),
      command: (body, actor) => ({ actor, ...body }),
    }),
    action({
      path: 'cancel',
      summary: 'Withdraw the ticket (its requester) or cancel it (supervisor), with a reason',
      roles: ['requester', 'supervisor'],
      body: reasonBody,
      update: cancelTicket,
      command: (body, actor) => ({ actor, reason: body.reason }),
    }),
  ];
}
