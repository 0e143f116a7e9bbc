// Erasure of a person (GDPR Article 17) and the desk's retention policy (Article 5(1)(e)); README, "Privacy". The
// erase route records the request (who asked, why) and hands it to its durable workflow (workflows/privacy.ts),
// answering 202 with where to follow it; asking again for the same person is a no-op that answers the same record,
// unless the person came back after it finished and has tickets again: those are a new round.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { checkRetentionPolicy, MAX_RETENTION_DAYS } from '../../domain/privacy';
import { emailsOf, erasureIdOf, PrivacyStore, ticketsOfPerson, type ErasureRecord } from '../../store/privacy';
import { ERASURE_WORKFLOW } from '../../workflows/definitions';
import type { erasureWorkflow } from '../../workflows/privacy';
import type { ApiDeps } from '../deps';
import { badRequest, notFound } from '../http/problem';
import { defineRoute, type Route } from '../http/routes';
import { text } from '../http/text';

export const eraseBody = z
  .strictObject({
    reason: text(1000).describe('why the person is erased (their request, a legal obligation): kept in the audit log, with any mention of them replaced'),
    email: z.email().max(320).optional().describe('an email address of the person beyond those on their tickets'),
  })
  // A request without a body is told which field it lacks.
  .prefault({} as never);

const erasureResource = z.object({
  id: z.string().describe('the erasure’s id: follows from the person’s id, so it names no one'),
  kind: z.enum(['erasure', 'retention']),
  status: z.enum(['running', 'done', 'failed']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  reason: z.string(),
  tickets: z.array(z.string()).describe('ids of the tickets anonymised (known once planned)'),
  completedAt: z.string().nullable(),
  error: z.string().nullable(),
});

const retentionPolicy = z.strictObject({
  anonymiseClosedAfterDays: z.number().int().min(0).max(MAX_RETENTION_DAYS).nullable().describe('closed tickets are anonymised this many days after closing; null: never'),
});

const present = ({ _id, kind, status, requestedBy, requestedAt, reason, tickets, completedAt, error }: ErasureRecord) => ({ id: _id, kind, status, requestedBy, requestedAt, reason, tickets, completedAt, error });
const answer = (record: ErasureRecord) => ({
  status: record.status === 'done' ? 200 : 202,
  headers: { Location: `/privacy/erasures/${record._id}` },
  body: present(record),
});

export function privacyRoutes({ db, temporal, config, deskConfig, tickets }: ApiDeps): Route[] {
  const store = new PrivacyStore(db.models, db.connection.db!);

  const hasTickets = async (personId: string, email: string | undefined) => {
    const person = { sub: personId, role: 'requester' as const, groups: [] };
    for await (const _ticket of ticketsOfPerson(tickets, person, await emailsOf(db.models, personId, email))) return true;
    return false;
  };

  /** The person's erasure to answer or start: the latest round, or a new one when a finished round left new tickets behind. */
  const roundFor = async (personId: string, email: string | undefined): Promise<{ id: string; record: ErasureRecord | null }> => {
    const base = erasureIdOf(personId);
    const idOf = (round: number) => (round === 1 ? base : `${base}-${round}`);
    for (let round = 1; ; round++) {
      const record = await store.erasure(idOf(round));
      if (!record || record.status !== 'done') return { id: idOf(round), record };
      if (await store.erasure(idOf(round + 1))) continue;
      // The latest round is done: asking again changes nothing, unless the person has tickets again since.
      return (await hasTickets(personId, email)) ? { id: idOf(round + 1), record: null } : { id: idOf(round), record };
    }
  };

  const start = async (erasureId: string) => {
    try {
      await temporal.workflow.start<typeof erasureWorkflow>(ERASURE_WORKFLOW, {
        workflowId: erasureId,
        taskQueue: config.taskQueue,
        args: [{ erasureId }],
        // A repeat joins the running one; a finished one is not run again, a failed one may be.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };

  return [
    defineRoute<z.infer<typeof eraseBody>, undefined, { id: string }>({
      method: 'post',
      path: '/privacy/people/{id}/erase',
      summary: 'Erase a person (GDPR Article 17): cancel their open tickets, anonymise every record of their tickets, destroy the tickets’ payload keys',
      tags: ['privacy'],
      roles: ['admin'],
      params: z.object({ id: text(200) }),
      body: eraseBody,
      responses: {
        200: { description: 'Erased already: the finished erasure (asking again changes nothing)', schema: erasureResource },
        202: { description: 'Under way (Location: where to follow it); asking again answers the same erasure, or a new round once the person has tickets again after one finished', schema: erasureResource },
      },
      async handle({ params, body, principal }) {
        const { id, record: found } = await roundFor(params.id, body.email);
        let record = found;
        if (!record || record.status === 'failed') {
          const subject = { personId: params.id, emails: body.email ? [body.email.toLowerCase()] : [], names: [] };
          record = await store.request({ _id: id, kind: 'erasure', requestedBy: principal.sub, requestedAt: new Date().toISOString(), reason: body.reason, subject });
        }
        if (record.status === 'running') await start(id);
        return answer(record);
      },
    }),
    defineRoute<undefined, undefined, { id: string }>({
      method: 'get',
      path: '/privacy/erasures/{id}',
      summary: 'An erasure or retention run as the audit log keeps it: who asked, when, why, which tickets (ids), where it stands',
      tags: ['privacy'],
      roles: ['admin'],
      params: z.object({ id: text(200) }),
      responses: { 200: { description: 'The erasure', schema: erasureResource }, 404: { description: 'No erasure or retention run has this id' } },
      async handle({ params }) {
        const record = await store.erasure(params.id);
        if (!record) throw notFound('erasure');
        return { status: 200, body: present(record) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/retention',
      summary: 'The retention policy: how long closed tickets keep their personal data',
      tags: ['admin'],
      roles: ['admin'],
      responses: { 200: { description: 'The policy', schema: retentionPolicy } },
      handle: async () => ({ status: 200, body: await deskConfig.retention() }),
    }),
    defineRoute<z.infer<typeof retentionPolicy>>({
      method: 'put',
      path: '/admin/retention',
      summary: 'Replace the retention policy; the daily schedule applies it (README, "Privacy")',
      tags: ['admin'],
      roles: ['admin'],
      body: retentionPolicy,
      responses: { 200: { description: 'The policy now', schema: retentionPolicy } },
      async handle({ body }) {
        const problems = checkRetentionPolicy(body);
        if (problems.length) throw badRequest(`the retention policy is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems.map((p) => ({ path: `body.${p.path}`, message: p.message })));
        await deskConfig.replaceRetention(body);
        return { status: 200, body: await deskConfig.retention() };
      },
    }),
  ];
}
