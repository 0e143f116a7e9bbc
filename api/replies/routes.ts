// Canned replies (macros) for the console's reply box: admins keep them with the desk's configuration
// (PUT /admin/canned-replies); agents get their groups' and everyone's, supervisors and admins all of them.
import { z } from 'zod';
import type { CannedReply } from '../../domain/desk';
import type { Principal } from '../../domain/roles';
import type { ApiDeps } from '../deps';
import { cannedReplySchema } from '../admin/schemas';
import { defineRoute } from '../http/routes';

const replyList = z.object({ items: z.array(cannedReplySchema) });

const usableBy = (who: Principal) => (reply: CannedReply) => who.role !== 'agent' || reply.group === null || who.groups.includes(reply.group);

export function cannedReplyRoutes({ deskConfig }: ApiDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/canned-replies',
      summary: 'Canned replies the caller may use: an agent’s groups’ and those for every group (group null); supervisors and admins all',
      tags: ['tickets'],
      roles: ['agent', 'supervisor', 'admin'],
      responses: { 200: { description: 'The canned replies, in the order the admin gave them', schema: replyList } },
      async handle({ principal }) {
        return { status: 200, body: { items: (await deskConfig.cannedReplies()).filter(usableBy(principal)) } };
      },
    }),
  ];
}
