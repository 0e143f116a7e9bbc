// The retention policy (GDPR Article 5(1)(e); README, "Privacy") against real servers: the worker's daily Temporal
// Schedule runs the retention workflow, which anonymises the tickets closed longer than the policy allows (with
// erasure's steps) and shreds their keys; a ticket not yet due is untouched and the KPIs answer the same. Time is
// not waited for: the due ticket's close is backdated in MongoDB and the schedule is triggered at once.
import { PLACEHOLDER } from '../../domain/privacy';
import { PAYLOAD_KEYS_COLLECTION } from '../../store/keys';
import { ensureRetentionSchedule } from '../../worker/retention-schedule';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
let root: string;
const ids = {} as Record<'due' | 'recent', string>;
const PERIOD = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;

async function ok(method: string, url: string, token: string, body?: unknown) {
  const res = await desk.http(method, url, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
  }
}

const keyOf = (id: string) => desk.db.connection.db!.collection(PAYLOAD_KEYS_COLLECTION).findOne({ _id: `ticket:${id}` as never });

beforeAll(async () => {
  desk = await startDesk('e2e-retention');
  root = desk.token({ sub: 'root', role: 'admin' });
  const rita = desk.token({ sub: 'rita', role: 'requester', name: 'Rita Retained', email: 'rita@example.net' });
  const ann = desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] });
  for (const which of ['due', 'recent'] as const) {
    const id = (await ok('POST', '/tickets', rita, { ...createTicketBody, title: `Rita’s ${which} ticket` })).id;
    await ok('POST', `/tickets/${id}/comments`, rita, { body: `Rita writes about the ${which} one` });
    await ok('POST', `/tickets/${id}/resolve`, ann, { summary: 'fixed', rootCause: 'r', steps: 's', newKnowledge: true });
    await ok('POST', `/tickets/${id}/confirm`, rita, {});
    ids[which] = id;
  }
  // Closed three days ago, as far as the policy can tell.
  await desk.db.models.Ticket.collection.updateOne({ _id: ids.due as never }, { $set: { closedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() } });
  await desk.relayed();
}, 120_000);
afterAll(async () => {
  await desk.client.schedule.getHandle(`retention-${desk.config.taskQueue}`).delete().catch(() => undefined);
  await desk.close();
});

describe('the retention policy', () => {
  it('is none by default, set and read by admins, validated naming the field', async () => {
    expect(await ok('GET', '/admin/retention', root)).toEqual({ anonymiseClosedAfterDays: null });
    for (const bad of [-1, 2.5, 'ten', 40_000]) {
      const res = await desk.http('PUT', '/admin/retention', { token: root, body: { anonymiseClosedAfterDays: bad } });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.path)).toEqual(['body.anonymiseClosedAfterDays']);
    }
    expect(await ok('PUT', '/admin/retention', root, { anonymiseClosedAfterDays: 1 })).toEqual({ anonymiseClosedAfterDays: 1 });
    expect(await ok('GET', '/admin/retention', root)).toEqual({ anonymiseClosedAfterDays: 1 });
  });

  it('is applied daily by one Temporal Schedule, created or updated idempotently at every worker start', async () => {
    const first = await ensureRetentionSchedule(desk.client, desk.config.taskQueue);
    expect(await ensureRetentionSchedule(desk.client, desk.config.taskQueue)).toBe(first);
    const schedule = await desk.client.schedule.getHandle(first).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow', taskQueue: desk.config.taskQueue });
    expect(schedule.spec.calendars).toHaveLength(1);
    expect(schedule.policies.overlap).toBe('SKIP');
  });

  it('anonymises the ticket closed longer ago than the policy says and shreds its key; the one not yet due is untouched', async () => {
    const kpisBefore = await ok('GET', `/kpis?${PERIOD}`, root);
    const recentBefore = await desk.tickets.findById(ids.recent);
    await desk.client.schedule.getHandle(`retention-${desk.config.taskQueue}`).trigger();

    const due = await until(async () => {
      const t = await desk.tickets.findById(ids.due);
      return t?.title === PLACEHOLDER && (await keyOf(ids.due))?.keys.length === 0 ? t : null;
    });
    expect(due).toMatchObject({ status: 'closed', requester: { id: PLACEHOLDER }, description: PLACEHOLDER });
    const events = await desk.timeline(ids.due);
    expect(JSON.stringify(events)).not.toMatch(/rita/i);
    expect((await desk.client.workflow.getHandle(`ticket-${ids.due}`).describe()).status.name).not.toBe('RUNNING');

    // The audit log says the policy anonymised it, naming no one.
    await until(async () => (await desk.db.connection.db!.collection('erasures').findOne({ kind: 'retention', status: 'done' })) !== null);
    const runs = await desk.db.connection.db!.collection('erasures').find({ kind: 'retention' }).toArray();
    expect(runs.flatMap((r) => r.tickets)).toEqual([ids.due]);
    expect(JSON.stringify(runs)).not.toMatch(/rita/i);

    expect(await desk.tickets.findById(ids.recent)).toEqual(recentBefore);
    expect((await keyOf(ids.recent))?.keys).toHaveLength(1);
    const { generatedAt: _a, ...after } = await ok('GET', `/kpis?${PERIOD}`, root);
    const { generatedAt: _b, ...before } = kpisBefore;
    expect(after).toEqual(before);
  });
});
