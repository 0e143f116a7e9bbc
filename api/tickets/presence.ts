// "Who else has this ticket open" for the console (store/presence.ts): each console posts a heartbeat while the
// ticket is open and learns who else is viewing or replying, and says when it leaves the ticket's page. Staff only;
// the ticket must be visible to them.
import { z } from 'zod';
import type { Principal } from '../../domain/roles';
import type { ApiDeps } from '../deps';
import { defineRoute } from '../http/routes';
import { ticketIdParam } from './schemas';
import { findVisible } from './view';

const presenceBody = z.strictObject({ state: z.enum(['viewing', 'replying']).describe('replying: writing a comment, so others hold theirs') });

const viewers = z.object({
  viewers: z.array(z.object({ sub: z.string(), name: z.string().nullable(), role: z.string(), state: z.enum(['viewing', 'replying']), since: z.string().describe('ISO 8601 UTC: when they entered this state') })),
});

const STAFF = ['agent', 'supervisor', 'admin'] as const;

export function presenceRoutes({ tickets, presence, deskConfig, config }: ApiDeps) {
  const ttl = `${Math.round(config.presenceTtlMs / 1000)} s`;

  /** The name others see: the token's, else the desk's agent record's. */
  const nameOf = async (who: Principal) => who.name ?? (who.role === 'agent' ? (await deskConfig.agent(who.sub))?.name : undefined) ?? null;

  return [
    defineRoute<z.infer<typeof presenceBody>, undefined, { id: string }>({
      method: 'post',
      path: '/tickets/{id}/presence',
      summary: `Say the caller has the ticket open (a heartbeat: it lasts ${ttl}), and learn who else has`,
      tags: ['tickets'],
      roles: STAFF,
      params: ticketIdParam,
      body: presenceBody,
      responses: { 200: { description: 'The other people who have the ticket open, earliest first', schema: viewers }, 404: { description: 'Unknown or not visible' } },
      async handle({ params, body, principal }) {
        await findVisible(tickets, params.id, principal);
        const others = await presence.mark(params.id, { sub: principal.sub, name: await nameOf(principal), role: principal.role, state: body.state });
        return { status: 200, body: { viewers: others } };
      },
    }),
    defineRoute<undefined, undefined, { id: string }>({
      method: 'get',
      path: '/tickets/{id}/presence',
      summary: 'Who else has the ticket open, without saying the caller has',
      tags: ['tickets'],
      roles: STAFF,
      params: ticketIdParam,
      responses: { 200: { description: 'The other people who have the ticket open, earliest first', schema: viewers }, 404: { description: 'Unknown or not visible' } },
      async handle({ params, principal }) {
        await findVisible(tickets, params.id, principal);
        return { status: 200, body: { viewers: await presence.present(params.id, principal.sub) } };
      },
    }),
    defineRoute<undefined, undefined, { id: string }>({
      method: 'delete',
      path: '/tickets/{id}/presence',
      summary: `Say the caller has left the ticket (the page was closed): others stop seeing them now, not after ${ttl}`,
      tags: ['tickets'],
      roles: STAFF,
      params: ticketIdParam,
      responses: { 204: { description: 'The caller is not on the ticket any more (also when they were not)' }, 404: { description: 'Unknown or not visible' } },
      async handle({ params, principal }) {
        await findVisible(tickets, params.id, principal);
        await presence.leave(params.id, principal.sub);
        return { status: 204 };
      },
    }),
  ];
}
