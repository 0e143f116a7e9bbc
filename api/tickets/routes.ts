// Ticket intake and reads (SPEC §16). Writes hand over to the ticket's workflow; reads come from MongoDB.
import { isStaff, type Principal } from '../../domain/roles';
import type { Person } from '../../domain/ticket';
import { allOf, type Filter } from '../../store/queues';
import { cursorOf, visibleTo, type TicketCursor, type TicketSort } from '../../store/tickets';
import type { ApiDeps } from '../deps';
import { badRequest, type FieldError } from '../http/problem';
import { defineRoute } from '../http/routes';
import { resolveAttachments } from '../attachments/routes';
import { newTicketId, ticketIdForKey } from './ids';
import { applyTemplate, rejectProblems, templateFor } from './intake';
import {
  anyTicketResource,
  createTicketBody,
  idempotencyKeyHeader,
  listQuery,
  ticketIdParam,
  ticketList,
  timelineList,
  timelineQuery,
  type CreateTicketBody,
} from './schemas';
import { queueFilter } from './queues';
import { etagOf, ifNoneMatchHeader, unchangedSince } from './versions';
import { findVisible, presenter, visibleEvents } from './view';
import type { z } from 'zod';

const ANY_ROLE = ['requester', 'agent', 'supervisor', 'admin'] as const;

export function ticketRoutes({ desk, tickets, deskConfig, config, files }: ApiDeps) {
  const present = presenter(config);

  return [
    defineRoute<CreateTicketBody>({
      method: 'post',
      path: '/tickets',
      summary: 'Open a ticket (portal, chat, phone, api)',
      tags: ['tickets'],
      roles: ANY_ROLE,
      body: createTicketBody,
      headers: { 'Idempotency-Key': { description: 'Repeat a request safely: the same key returns the original ticket', schema: idempotencyKeyHeader } },
      responses: {
        201: { description: 'The ticket was opened and dispatched', schema: anyTicketResource },
        200: { description: 'A repeat of an earlier request: the original ticket', schema: anyTicketResource },
        422: { description: 'The Idempotency-Key was used for a different request' },
      },
      async handle({ body, principal, headers }) {
        const key = headers['Idempotency-Key'];
        const { requester: onBehalfOf, ...draft } = body;
        const id = key ? ticketIdForKey(principal.sub, key) : newTicketId();
        const { intake, problems } = applyTemplate(
          { ...draft, id, attachments: await resolveAttachments(files, body.attachments, principal.sub, id), requester: requesterOf(principal, onBehalfOf) },
          await templateFor(deskConfig, body.problemType),
        );
        rejectProblems(problems);
        const opened = await desk.open(intake, body);
        return {
          status: opened.created ? 201 : 200,
          body: present(opened.ticket, principal),
          headers: { Location: `/tickets/${opened.ticket.id}`, ...(opened.created ? {} : { 'Idempotent-Replayed': 'true' }) },
        };
      },
    }),

    defineRoute<undefined, z.infer<typeof listQuery>>({
      method: 'get',
      path: '/tickets',
      summary: 'Tickets the caller may see, newest first or nearest SLA deadline first; optionally one work queue',
      tags: ['tickets'],
      roles: ANY_ROLE,
      query: listQuery,
      responses: { 200: { description: 'A page of tickets', schema: ticketList }, 403: { description: 'The queue is not one of the caller’s (GET /queues)' } },
      async handle({ query, principal }) {
        const filter: Filter[] = [visibleTo(principal)];
        if (query.queue) filter.push(queueFilter(query.queue, principal, Date.now()));
        // Alternatives as $or of equalities: the store runs one pushed-down query per value (store/tickets.ts).
        if (query.status) filter.push({ $or: query.status.map((status) => ({ status })) });
        if (query.priority) filter.push({ $or: query.priority.map((priority) => ({ priority })) });
        if (query.productLine) filter.push({ productLine: query.productLine });
        if (query.group) filter.push({ 'assignment.group': query.group });
        if (query.assignee) filter.push({ 'assignment.agent': query.assignee });
        if (query.breached) {
          const breached = [{ 'sla.responseBreached': true }, { 'sla.resolutionBreached': true }];
          filter.push(query.breached === 'true' ? { $or: breached } : { 'sla.responseBreached': false, 'sla.resolutionBreached': false });
        }
        if (query.q) {
          const pattern = { $regex: query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
          filter.push({ $or: [{ title: pattern }, { description: pattern }] });
        }
        const items = await tickets.list(allOf(...filter), { limit: query.limit, sort: query.sort, after: decodeCursor(query.cursor, query.sort) });
        const last = items[query.limit - 1];
        return { status: 200, body: { items: items.map((t) => present(t, principal)), nextCursor: last ? encodeCursor(cursorOf(last, query.sort)) : null } };
      },
    }),

    defineRoute<undefined, undefined, { id: string }>({
      method: 'get',
      path: '/tickets/{id}',
      summary: 'A ticket as it stands now; its ETag is its version, to poll with If-None-Match and change with If-Match',
      tags: ['tickets'],
      roles: ANY_ROLE,
      params: ticketIdParam,
      headers: { 'If-None-Match': { description: 'The ETag last seen ("12"): 304 without a body while the ticket is still at that version', schema: ifNoneMatchHeader } },
      responses: {
        200: { description: 'The ticket (header ETag: "<version>")', schema: anyTicketResource },
        304: { description: 'Not modified since the If-None-Match version' },
        404: { description: 'Unknown or not visible' },
      },
      async handle({ params, principal, headers }) {
        const ticket = await findVisible(tickets, params.id, principal);
        const etag = { ETag: etagOf(ticket), 'Cache-Control': 'private, no-cache' };
        if (unchangedSince(headers['If-None-Match'], ticket)) return { status: 304, headers: etag };
        return { status: 200, body: present(ticket, principal), headers: etag };
      },
    }),

    defineRoute<undefined, z.infer<typeof timelineQuery>, { id: string }>({
      method: 'get',
      path: '/tickets/{id}/timeline',
      summary: 'The ticket’s event log, oldest first (requesters see public events only)',
      tags: ['tickets'],
      roles: ANY_ROLE,
      params: ticketIdParam,
      query: timelineQuery,
      responses: { 200: { description: 'A page of events; nextCursor is the seq to pass as `after`', schema: timelineList }, 404: { description: 'Unknown or not visible' } },
      async handle({ params, query, principal }) {
        await findVisible(tickets, params.id, principal);
        const items = await tickets.timeline(params.id, { includeInternal: isStaff(principal), afterSeq: query.after, limit: query.limit });
        const last = items[query.limit - 1];
        return { status: 200, body: { items: visibleEvents(items, principal), nextCursor: last ? String(last.seq) : null } };
      },
    }),
  ];
}

/**
 * Staff may name the person they are helping. Requesters are who their token says (SPEC §16): a requester field
 * that differs from the token's is refused by name (someone else's id: 403, as acting for another person).
 */
function requesterOf(principal: Principal, named: Person | undefined): Person {
  if (isStaff(principal) && named) return named;
  const own: Person = { id: principal.sub, ...(principal.name ? { name: principal.name } : {}), ...(principal.email ? { email: principal.email } : {}) };
  const errors: FieldError[] = [];
  if (named && named.id !== own.id) errors.push({ path: 'body.requester.id', message: 'must be your own user id, or left out' });
  if (named?.email !== undefined && named.email.toLowerCase() !== own.email?.toLowerCase()) errors.push({ path: 'body.requester.email', message: 'must be the email of your sign-in, or left out' });
  if (named?.name !== undefined && named.name !== own.name) errors.push({ path: 'body.requester.name', message: 'must be the name of your sign-in, or left out' });
  if (errors.length > 0) {
    throw badRequest(`requesters open tickets for themselves only: ${errors.map((e) => e.path).join(', ')} ${errors.length > 1 ? 'differ' : 'differs'} from your sign-in`, errors);
  }
  return own;
}

// A cursor names its order, so a page of one order never continues another.
const encodeCursor = (c: TicketCursor) => Buffer.from(JSON.stringify(c.sort === 'due' ? ['due', c.dueAt, c.id] : [c.createdAt, c.id])).toString('base64url');

function decodeCursor(cursor: string | undefined, sort: TicketSort): TicketCursor | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (!parts.every((p) => typeof p === 'string')) throw new Error('not a cursor');
    const [a, b, c] = parts as string[];
    if (sort === 'due' && parts.length === 3 && a === 'due') return { sort, dueAt: b!, id: c! };
    if (sort === 'created' && parts.length === 2) return { sort, createdAt: a!, id: b! };
  } catch {
    // fall through
  }
  throw badRequest(`the cursor is not one this API gave out for sort=${sort}`, [{ path: 'query.cursor', message: 'is not valid for this sort' }]);
}
