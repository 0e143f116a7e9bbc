// Who the caller is (GET /me), and the development sign-in the console offers under `npm start`: a token for any
// role but the mail gateway's, minted with the API's own secret. That route exists only when the API runs with the
// development secret (config.devSignIn, set by the start commands alone); otherwise it answers 404 like any other.
import { z } from 'zod';
import { ROLES, type Principal } from '../../domain/roles';
import type { ApiDeps } from '../deps';
import { mintToken, type TokenClaims } from '../http/auth';
import { unprocessable } from '../http/problem';
import { defineRoute, type Route } from '../http/routes';
import { text } from '../http/text';

const principalResource = z.object({
  sub: z.string(),
  role: z.enum(ROLES),
  name: z.string().optional(),
  email: z.string().optional(),
  groups: z.array(z.string()),
});

/** Every role a person signs in as; the mail gateway is a service, never signed in through a form. */
const SIGN_IN_ROLES = ['requester', 'agent', 'supervisor', 'admin'] as const;

const signInBody = z.strictObject({
  role: z.enum(SIGN_IN_ROLES),
  sub: text(200).describe('the user id; for an agent, the id of an agent of the desk'),
  name: text(200).optional().describe('default for an agent: the desk’s record'),
  email: z.email().max(320).optional().describe('default for an agent: the desk’s record'),
});

const signInOptions = z.object({
  roles: z.array(z.enum(SIGN_IN_ROLES)),
  agents: z.array(z.object({ id: z.string(), name: z.string(), groups: z.array(z.string()) })),
});

const signedIn = z.object({ token: z.string().describe('a bearer token valid for 12 hours'), principal: principalResource });

const TOKEN_LIFETIME = '12h';

export function sessionRoutes({ config, deskConfig }: ApiDeps, secret: string): Route[] {
  const routes: Route[] = [
    defineRoute({
      method: 'get',
      path: '/me',
      summary: 'The caller as the token says: id, role, name, email, groups',
      tags: ['session'],
      roles: SIGN_IN_ROLES,
      responses: { 200: { description: 'The caller', schema: principalResource } },
      handle: async ({ principal }) => ({ status: 200, body: principal }),
    }),
  ];
  if (!config.devSignIn) return routes;

  return [
    ...routes,
    defineRoute({
      method: 'get',
      path: '/dev/sign-in',
      summary: 'Development only (npm start): what the sign-in form offers',
      tags: ['session'],
      roles: 'public',
      responses: { 200: { description: 'The roles, and the desk’s agents with their groups', schema: signInOptions } },
      async handle() {
        const agents = (await deskConfig.agents()).map((a) => ({ id: a.id, name: a.name, groups: a.groups }));
        return { status: 200, body: { roles: SIGN_IN_ROLES, agents } };
      },
    }),
    defineRoute<z.infer<typeof signInBody>>({
      method: 'post',
      path: '/dev/sign-in',
      summary: 'Development only (npm start): a 12-hour token for the given role and user; an agent’s groups come from the desk',
      tags: ['session'],
      roles: 'public',
      body: signInBody,
      responses: { 200: { description: 'The token and who it says the caller is', schema: signedIn }, 422: { description: 'No agent of the desk has this id' } },
      async handle({ body }) {
        let claims: TokenClaims = { sub: body.sub, role: body.role, ...(body.name ? { name: body.name } : {}), ...(body.email ? { email: body.email } : {}) };
        if (body.role === 'agent') {
          const agent = await deskConfig.agent(body.sub);
          if (!agent) throw unprocessable(`there is no agent ${body.sub}`, [{ path: 'body.sub', message: 'is not an agent of the desk (GET /dev/sign-in lists them)' }]);
          claims = { ...claims, name: body.name ?? agent.name, groups: agent.groups, ...((body.email ?? agent.email) ? { email: body.email ?? agent.email } : {}) };
        }
        const principal: Principal = { ...claims, groups: claims.groups ?? [] };
        return { status: 200, body: { token: mintToken(claims, secret, TOKEN_LIFETIME), principal } };
      },
    }),
  ];
}
