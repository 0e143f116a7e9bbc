// A person's data, as one JSON document (GDPR Article 15; README, "Privacy"): GET /me/export for a requester's
// own, GET /privacy/people/{id}/export for an admin. It holds what the person may see of every ticket they asked
// (the requester's allow-lists of api/tickets/view.ts, never internal records), its public conversation (their
// comments, the desk's replies, their rating) and its files as links. It is written as it is read, a page of
// tickets at a time, so a person with thousands of tickets never sits in memory at once.
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Principal } from '../../domain/roles';
import type { TimelineEvent } from '../../domain/timeline';
import { emailsOf, ticketsOfPerson } from '../../store/privacy';
import type { TicketStore } from '../../store/tickets';
import type { ApiDeps } from '../deps';
import { defineRoute, type Route } from '../http/routes';
import { text } from '../http/text';
import { requesterTicketResource, timelineEvent } from '../tickets/schemas';
import { requesterTicket, visibleEvents } from '../tickets/view';

const EVENTS_PAGE = 500;

const attachmentLink = z.object({ name: z.string(), type: z.string(), size: z.number(), url: z.string().describe('where the person downloads it, with their own token') });
const exportedTicket = z.object({
  ticket: requesterTicketResource,
  conversation: z.array(timelineEvent).describe('the public events, as the person sees them: their comments, the desk’s replies, their rating'),
  files: z.array(attachmentLink),
});
const exportDocument = z.object({
  person: z.object({ id: z.string(), emails: z.array(z.string()) }),
  exportedAt: z.string(),
  tickets: z.array(exportedTicket),
});

export const exportQuery = z.strictObject({
  email: z.email().max(320).optional().describe('an email address of the person: tickets that arrived from it are theirs too'),
});

export function exportRoutes({ tickets, db }: ApiDeps): Route[] {
  const exportOf = async (person: Principal, base: string, emails?: string[]) => {
    const filename = `personal-data-${person.sub.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}.json`;
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' },
      stream: Readable.from(exportDocumentOf(tickets, person, base, emails)),
    };
  };
  const baseOf = (req: { protocol: string; get(name: string): string | undefined }) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  return [
    defineRoute({
      method: 'get',
      path: '/me/export',
      summary: 'All the desk holds about the caller (GDPR Article 15): their tickets as they see them, the public conversations, files as links',
      tags: ['privacy'],
      roles: ['requester'],
      responses: { 200: { description: 'One JSON document, written as it is read', schema: exportDocument } },
      handle: ({ principal, req }) => exportOf(principal, baseOf(req)),
    }),
    defineRoute<undefined, z.infer<typeof exportQuery>, { id: string }>({
      method: 'get',
      path: '/privacy/people/{id}/export',
      summary: 'All the desk holds about a person (GDPR Article 15), as GET /me/export gives it to them: by their user id, and the email addresses on their tickets or given',
      tags: ['privacy'],
      roles: ['admin'],
      params: z.object({ id: text(200) }),
      query: exportQuery,
      responses: { 200: { description: 'One JSON document, written as it is read', schema: exportDocument } },
      async handle({ params, query, req }) {
        const emails = await emailsOf(db.models, params.id, query.email);
        return exportOf({ sub: params.id, role: 'requester', groups: [], ...(emails[0] ? { email: emails[0] } : {}) }, baseOf(req), emails);
      },
    }),
  ];
}

async function* exportDocumentOf(tickets: TicketStore, person: Principal, base: string, emails = person.email ? [person.email.toLowerCase()] : []): AsyncGenerator<string> {
  // Every address is a way the person is known (store/privacy.ts, shared with erasure).
  yield `{"person":${JSON.stringify({ id: person.sub, emails })},"exportedAt":${JSON.stringify(new Date().toISOString())},"tickets":[`;
  let first = true;
  for await (const ticket of ticketsOfPerson(tickets, person, emails)) {
    const conversation: TimelineEvent[] = [];
    for await (const event of eventsOf(tickets, ticket.id)) conversation.push(event);
    const seen = requesterTicket(ticket);
    const entry = {
      ticket: seen,
      conversation: visibleEvents(conversation, person),
      files: seen.attachments.map((a) => ({ name: a.name, type: a.type, size: a.size, url: a.location.startsWith('/') ? `${base}${a.location}` : a.location })),
    };
    yield `${first ? '' : ','}${JSON.stringify(entry)}`;
    first = false;
  }
  yield ']}';
}

async function* eventsOf(tickets: TicketStore, ticketId: string) {
  let afterSeq = 0;
  for (;;) {
    const page = await tickets.timeline(ticketId, { includeInternal: false, afterSeq, limit: EVENTS_PAGE });
    yield* page;
    if (page.length < EVENTS_PAGE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}
