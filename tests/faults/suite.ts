// The fault suite: 200 tickets go through their lifecycles over HTTP while the product's processes and servers
// are killed with SIGKILL in turn and started again. Then: every ticket exists once in MongoDB and once as a
// workflow, every acknowledged change is there, no timeline event is doubled, every due SLA timer fired — and
// nobody did anything by hand. On the dev server one worker and one API run; on the full server (cluster) two
// of each, and the first worker killed stays down so the other must carry every ticket on.
import assert from 'node:assert/strict';
import { Client, Connection } from '@temporalio/client';
import { mintToken } from '../../api/http/auth';
import { suggestedPolicy } from '../../domain/sla/policy';
import { connectDatabase, syncIndexes, type Database } from '../../platform/mongo';
import { launchApp } from '../../stack/apps';
import { demoRoutingRules } from '../../stack/demo-desk';
import { delay, freePort, type ManagedProcess } from '../../stack/processes';
import { seedIfEmpty } from '../../stack/seed';
import type { RunningStack } from '../../stack/stack';
import { DeskConfigStore } from '../../store/desk-config';

const TICKETS = Number(process.env.FAULT_TICKETS ?? 200);
const CONCURRENCY = 25;
const SECRET = 'fault-suite-secret';
const RESPONSE_TARGET_MS = 20_000;
export const log = (line: string) => console.log(`[faults] ${new Date().toISOString().slice(11, 23)} ${line}`);

interface Lifecycle {
  key: string;
  requester: string;
  /** Tickets left without an answer, so their response SLA breaches during the faults. */
  unanswered: boolean;
  id?: string;
  responseDue?: string;
  acked: { created: boolean; comment: boolean; resolve: boolean; confirm: boolean };
}

export async function runFaultSuite(stack: RunningStack, mode: 'dev' | 'cluster'): Promise<void> {
  const mongodbUri = `mongodb://127.0.0.1:${stack.mongoPort}/faults`;
  const apiPorts = await Promise.all((mode === 'cluster' ? [1, 2] : [1]).map(() => freePort()));
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    MONGODB_URI: mongodbUri,
    TEMPORAL_TASK_QUEUE: 'faults',
    AUTH_JWT_SECRET: SECRET,
    LOG_LEVEL: 'info',
    UPDATE_TIMEOUT: '5s',
    RATE_LIMIT: '100000',
    RATE_BURST: '100000',
  };
  const quiet = () => undefined;
  // Every process the suite may kill, with how to start it again.
  const targets: Record<string, { process: ManagedProcess; start(): Promise<ManagedProcess> }> = {
    temporal: stack.servers.temporal!,
    ferretdb: stack.servers.ferretdb!,
  };
  const app = (name: string, port?: number) => {
    const start = async () => {
      const started = launchApp(name, { env, port, log: quiet });
      await started.ready;
      return (targets[name]!.process = started.process);
    };
    targets[name] = { process: undefined as unknown as ManagedProcess, start };
  };
  const workers = mode === 'cluster' ? ['worker-1', 'worker-2'] : ['worker'];
  const apis = mode === 'cluster' ? ['api-1', 'api-2'] : ['api'];
  workers.forEach((name) => app(name));
  apis.forEach((name, i) => app(name, apiPorts[i]));

  await seedIfEmpty(mongodbUri, quiet);
  const db = await connectDatabase(mongodbUri);
  await syncIndexes(db);
  await fastPolicy(db);
  await Promise.all([...workers, ...apis].map((name) => targets[name]!.start()));
  log(`${mode}: Temporal ${stack.temporalAddress}, FerretDB ${stack.mongoPort}, ${workers.length} worker(s), API on ${apiPorts.join(' and ')}; ${TICKETS} tickets, ${CONCURRENCY} at a time`);

  const bases = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const lifecycles: Lifecycle[] = Array.from({ length: TICKETS }, (_, i) => ({
    key: `fault-${i}`,
    requester: `customer-${i % 20}`,
    unanswered: i % 4 === 0,
    acked: { created: false, comment: false, resolve: false, confirm: false },
  }));

  // The faults, in turn, while the tickets are in flight. On the cluster the first victim, worker-1, stays down.
  let driving = true;
  const kills: string[] = [];
  const order = mode === 'cluster' ? ['worker-1', 'api-1', 'temporal', 'ferretdb', 'api-2'] : ['worker', 'api', 'temporal', 'ferretdb'];
  const faults = (async () => {
    for (let round = 0; driving || round < order.length; round++) {
      await delay(4_000);
      const name = order[round % order.length]!;
      if (mode === 'cluster' && name === 'worker-1' && round > 0) continue;
      const victim = targets[name]!.process;
      log(`kill -9 ${name}`);
      if (victim.child.pid) process.kill(-victim.child.pid, 'SIGKILL');
      await victim.exited;
      kills.push(name);
      if (mode === 'cluster' && name === 'worker-1') {
        log('worker-1 stays down: worker-2 carries every ticket on');
        continue;
      }
      await delay(1_500);
      await targets[name]!.start();
      log(`${name} restarted`);
    }
  })();

  const started = Date.now();
  await pool(lifecycles, CONCURRENCY, (l) => drive(bases, l));
  driving = false;
  await faults;
  log(`lifecycles done in ${Math.round((Date.now() - started) / 1000)} s; kills: ${kills.join(', ')}`);

  // Let the SLA timers fall due, then check everything.
  const lastDue = Math.max(...lifecycles.filter((l) => l.unanswered && l.responseDue).map((l) => Date.parse(l.responseDue!)));
  while (Date.now() < lastDue + 10_000) await delay(1_000);
  await settle(db, lifecycles);
  await verify(db, lifecycles, stack.temporalAddress!);
  log(`all checks passed: ${TICKETS} tickets, ${kills.length} kills (${[...new Set(kills)].join(', ')}), no manual step`);

  await db.close();
  await Promise.all([...workers, ...apis].map((name) => targets[name]!.process.stop()));
}

/** A product line whose P1 tickets must be answered within 20 s, so breaches happen while things are killed. */
async function fastPolicy(db: Database): Promise<void> {
  const config = new DeskConfigStore(db.models);
  const policy = suggestedPolicy('faults', 'Fault suite', 'faults', 'paris-office');
  policy.targets.P1 = { responseMs: RESPONSE_TARGET_MS, resolutionMs: 3_600_000, calendarId: null };
  policy.progressCadenceMs = {};
  await config.replaceSlaPolicies([...(await config.slaPolicies()).filter((p) => p.id !== 'faults'), policy]);
  await config.replaceRoutingRules([{ id: 'faults', name: 'Fault suite', match: { productLines: ['faults'] }, target: 'network-l1', skills: [] }, ...demoRoutingRules]);
}

async function drive(bases: string[], l: Lifecycle): Promise<void> {
  const requester = mintToken({ sub: l.requester, role: 'requester' }, SECRET);
  const supervisor = mintToken({ sub: 'sam', role: 'supervisor' }, SECRET);
  const created = await send(bases, 'POST', '/tickets', requester, `${l.key}-open`, {
    title: `Fault suite ticket ${l.key}`,
    description: 'Opened while servers are being killed',
    channel: 'api',
    productLine: 'faults',
    problemType: 'incident',
    impact: 'significant',
    urgency: 'high',
    fields: { symptom: 'it fails', occurredAt: '2026-11-26' },
  });
  l.id = created.id;
  l.responseDue = created.sla.responseDue;
  l.acked.created = true;
  if (l.unanswered) return;
  await send(bases, 'POST', `/tickets/${l.id}/comments`, supervisor, `${l.key}-comment`, { body: `Looking at ${l.key}` });
  l.acked.comment = true;
  await send(bases, 'POST', `/tickets/${l.id}/resolve`, supervisor, `${l.key}-resolve`, { summary: 'Fixed', rootCause: 'Chaos', steps: 'Restarted', newKnowledge: true });
  l.acked.resolve = true;
  await send(bases, 'POST', `/tickets/${l.id}/confirm`, requester, `${l.key}-confirm`, {});
  l.acked.confirm = true;
}

let nextApi = 0;

/** Sends a request until it is acknowledged; every retry carries the same Idempotency-Key and goes to the next API. */
async function send(bases: string[], method: string, route: string, token: string, key: string, body: unknown): Promise<any> {
  const deadline = Date.now() + 180_000;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${bases[nextApi++ % bases.length]}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (res.ok) return JSON.parse(text).ticket ?? JSON.parse(text);
      // Only "not now" answers are retried; anything else is a bug the suite must report.
      if (![429, 502, 503, 504].includes(res.status)) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
    } catch (err) {
      if (err instanceof Error && err.message.includes(' answered ')) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${method} ${route} was never acknowledged (${attempt} attempts)`);
    await delay(Math.min(2_000, 200 * attempt));
  }
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Waits until every ticket's stored state has caught up with what was acknowledged. */
async function settle(db: Database, lifecycles: Lifecycle[]): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const closed = await db.models.Ticket.countDocuments({ status: 'closed' });
    const breached = await db.models.Timeline.countDocuments({ type: 'sla_breached', 'data.clock': 'response' });
    if (closed >= lifecycles.filter((l) => l.acked.confirm).length && breached >= lifecycles.filter((l) => l.unanswered).length) return;
    await delay(1_000);
  }
}

async function verify(db: Database, lifecycles: Lifecycle[], temporalAddress: string): Promise<void> {
  const ids = lifecycles.map((l) => l.id!);
  assert.equal(lifecycles.filter((l) => !l.acked.created).length, 0, 'every ticket was eventually acknowledged');
  assert.equal(new Set(ids).size, lifecycles.length, 'each lifecycle has its own ticket');

  // Once in MongoDB: no ticket but these, none twice (a retried intake maps to the same id).
  const stored = await db.models.Ticket.find({ productLine: 'faults' }).lean();
  assert.equal(stored.length, lifecycles.length, `MongoDB holds exactly ${lifecycles.length} tickets of the suite`);
  assert.deepEqual(new Set(stored.map((t) => t._id)), new Set(ids));

  // Once as a workflow.
  const connection = await Connection.connect({ address: temporalAddress });
  const runs = new Map<string, number>();
  for await (const wf of new Client({ connection }).workflow.list({ query: `WorkflowType = 'ticketWorkflow' AND ProductLine = 'faults'` })) {
    runs.set(wf.workflowId, (runs.get(wf.workflowId) ?? 0) + 1);
  }
  await connection.close();
  assert.deepEqual([...runs.keys()].sort(), ids.map((id) => `ticket-${id}`).sort(), 'one workflow per ticket');
  assert.ok([...runs.values()].every((n) => n === 1), 'no ticket has two workflow runs');

  const byId = new Map(stored.map((t) => [t._id, t]));
  for (const l of lifecycles) {
    const ticket = byId.get(l.id!)!;
    const events = await db.models.Timeline.find({ ticketId: l.id }).sort({ seq: 1 }).lean();
    const count = (type: string, match: (e: (typeof events)[number]) => boolean = () => true) => events.filter((e) => e.type === type && match(e)).length;
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), `${l.id}: the timeline is gapless and has no repeated sequence number`);
    assert.equal(count('created'), 1, `${l.id}: one created event`);
    if (l.acked.comment) assert.equal(count('comment'), 1, `${l.id}: the acknowledged comment is there once`);
    if (l.acked.resolve) assert.equal(count('resolved'), 1, `${l.id}: the acknowledged resolution is there once`);
    if (l.acked.confirm) {
      assert.equal(ticket.status, 'closed', `${l.id}: the acknowledged confirmation closed it`);
      assert.equal(count('status_changed', (e) => e.data.to === 'closed'), 1, `${l.id}: closed once`);
      assert.equal(count('knowledge_drafted'), 1, `${l.id}: its knowledge was captured once`);
    }
    if (l.unanswered) {
      assert.ok(Date.parse(l.responseDue!) < Date.now(), `${l.id}: its response target is past`);
      assert.equal(count('sla_breached', (e) => e.data.clock === 'response'), 1, `${l.id}: the due response SLA timer fired, once`);
      assert.equal(ticket.sla.responseBreached, true, `${l.id}: marked breached`);
    }
  }
}
