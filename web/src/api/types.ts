// The API's resources as the console receives them. Ticket, event and intake shapes come straight from the
// server's zod declarations (type-only imports: nothing of the server is bundled), so a change there that the
// console does not follow fails `npm run typecheck`.
import type { z } from 'zod';
import type { RequesterArticleResource } from '../../../api/knowledge/routes';
import type { Principal, Role } from '../../../domain/roles';
import type { changeResponse, RequesterTicketResource, TicketResource, timelineEvent } from '../../../api/tickets/schemas';

export type { Principal, Role };
export type { IntakeCatalogue, IntakeField, IntakeTemplate } from '../../../api/tickets/template-schemas';
export type { TicketStatus, Priority, Impact, Urgency, FieldValue } from '../../../domain/ticket';

/** A ticket as its requester sees it. Staff receive a superset (StaffTicket), so staff tickets fit this type too. */
export type RequesterTicket = RequesterTicketResource;
/** The whole ticket, as agents, supervisors and admins receive it. */
export type StaffTicket = TicketResource;
export type TimelineEvent = z.infer<typeof timelineEvent>;
/** What every change answers: the ticket now, and the events the change added. */
export type ChangeResult<T extends RequesterTicket = RequesterTicket> = Omit<z.infer<typeof changeResponse>, 'ticket'> & { ticket: T };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A knowledge article as requesters read it (GET /kb/articles); staff get more fields (StaffArticle). */
export type Article = RequesterArticleResource;

/** GET /dev/sign-in: who one may sign in as under development. */
export interface DevSignInOptions {
  roles: Role[];
  agents: Array<{ id: string; name: string; groups: string[] }>;
}

/** POST /dev/sign-in. */
export interface DevSignInResult {
  token: string;
  principal: Principal;
}
