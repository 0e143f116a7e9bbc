// Work queues for agents and supervisors (store/queues.ts): GET /queues counts them, GET /tickets?queue= lists one.
import { z } from 'zod';
import type { Principal } from '../../domain/roles';
import { allOf, QUEUE_IDS, QUEUES, queuesOf, type Filter, type QueueId } from '../../store/queues';
import { visibleTo } from '../../store/tickets';
import type { ApiDeps } from '../deps';
import { forbidden } from '../http/problem';
import { defineRoute } from '../http/routes';

const queueList = z.object({
  items: z.array(z.object({ id: z.enum(QUEUE_IDS), title: z.string(), count: z.number().int() })),
});

/** The queue's filter, for a caller whose role has that queue. */
export function queueFilter(queue: QueueId, who: Principal, now: number): Filter {
  if (!QUEUES[queue].roles.includes(who.role)) throw forbidden(`the ${queue} queue is for ${QUEUES[queue].roles.join(', ')}`);
  return QUEUES[queue].filter(who, now);
}

export function queueRoutes({ tickets }: ApiDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/queues',
      summary: 'The caller’s work queues with the number of tickets in each (as many as GET /tickets?queue=<id> lists)',
      tags: ['tickets'],
      roles: ['agent', 'supervisor', 'admin'],
      responses: { 200: { description: 'The queues, in the order to show them', schema: queueList } },
      async handle({ principal }) {
        const now = Date.now();
        const visible = visibleTo(principal);
        const items = await Promise.all(
          queuesOf(principal).map(async (id) => ({ id, title: QUEUES[id].title(principal), count: await tickets.count(allOf(visible, queueFilter(id, principal, now))) })),
        );
        return { status: 200, body: { items } };
      },
    }),
  ];
}
