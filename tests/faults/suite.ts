// The fault suite: 200 tickets go through their lifecycles over HTTP while the product's processes and servers
// (PostgreSQL included) are killed with SIGKILL in turn and started again by the supervisor `npm start` uses.
// Then: every ticket exists once in MongoDB and once as a workflow, every acknowledged change is there, no timeline
// event is doubled, every due SLA timer fired, no client saw a 500 or a dropped connection from a live API — and
// nobody did anything by hand; the time from each kill until the desk is ready again is reported. On the dev server one worker and one API run; on the full server (cluster) two
// of each, and the first worker killed stays down so the other must carry every ticket on.
import strict from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { Connection } from '@temporalio/client';
import { mintToken } from '../../api/http/auth';
import { suggestedPolicy } from '../../domain/sla/policy';
import { connectDatabase, syncIndexes, type Database } from '../../platform/mongo';
import { payloadCodec } from '../../platform/payload-codec';
import { masterKeysOf } from '../../platform/payload-keys';
import { temporalClient } from '../../platform/temporal';
import { restartableApp } from '../../stack/apps';
import { demoRoutingRules } from '../../stack/demo-desk';
import { delay, freePort } from '../../stack/processes';
import { seedIfEmpty } from '../../stack/seed';
import type { RunningStack } from '../../stack/stack';
import { Supervisor, type Restartable } from '../../stack/supervisor';
import { DeskConfigStore } from '../../store/desk-config';
import { TicketStore } from '../../store/tickets';
import { writeTally } from '../setup/tally';

const TICKETS = Number(process.env.FAULT_TICKETS ?? 200);
const CONCURRENCY = 25;
const SECRET = 'fault-suite-secret';
/** The workers and APIs encrypt payloads as in production: every fault below also hits the payload keys' reads. */
const MASTER_KEY = 'fa'.repeat(32);
const RESPONSE_TARGET_MS = 20_000;
export const log = (line: string) => console.log(`[faults] ${new Date().toISOString().slice(11, 23)} ${line}`);

// CI's tally: each property verify() asserts is one check (not one per ticket), keyed by the line that asserts it;
// it passed when it held every time. A suite that failed elsewhere (a request refused, a server that never came
// back) counts one failed check more.
const checks = new Map<string, boolean>();
const counted =
  <A extends unknown[]>(assertion: (...args: A) => void) =>
  (...args: A): void => {
    const site = new Error().stack?.split('\n')[2] ?? '';
    try {
      assertion(...args);
    } catch (err) {
      checks.set(site, false);
      throw err;
    }
    if (!checks.has(site)) checks.set(site, true);
  };
const assert = { equal: counted(strict.equal), deepEqual: counted(strict.deepEqual), ok: counted(strict.ok) };

/** Runs the suite and writes its tally as `name` (see tests/setup/tally.ts), whether it passes or fails. */
export async function tallyFaults(name: string, run: () => Promise<void>): Promise<void> {
  const tally = (extraFailure: boolean) => {
    const failed = [...checks.values()].filter((ok) => !ok).length;
    writeTally(name, { passed: checks.size - failed, failed: failed || Number(extraFailure) });
  };
  try {
    await run();
  } catch (err) {
    tally(true);
    throw err;
  }
  tally(false);
}

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
    PAYLOAD_MASTER_KEY: MASTER_KEY,
    LOG_LEVEL: 'info',
    UPDATE_TIMEOUT: '5s',
    RATE_LIMIT: '100000',
    RATE_BURST: '100000',
  };
  const quiet = () => undefined;
  // The workers' and APIs' own lines go to FAULT_APP_LOG (the runners point it into their kept folder).
  const appLog = process.env.FAULT_APP_LOG ? createWriteStream(process.env.FAULT_APP_LOG, { flags: 'a' }) : null;
  const keep = (source: string, line: string) => appLog?.write(`[${source}] ${line}\n`);
  // Every process the suite kills, supervised as `npm start` supervises them: the suite never starts one by hand.
  const targets: Record<string, Restartable> = { postgres: stack.servers.postgres!, temporal: stack.servers.temporal!, ferretdb: stack.servers.ferretdb! };
  const workers = mode === 'cluster' ? ['worker-1', 'worker-2'] : ['worker'];
  const apis = mode === 'cluster' ? ['api-1', 'api-2'] : ['api'];
  apiNames = apis;
  workers.forEach((name) => (targets[name] = restartableApp(name, { env, log: keep })));
  apis.forEach((name, i) => (targets[name] = restartableApp(name, { env, port: apiPorts[i], log: keep })));

  await seedIfEmpty(mongodbUri, quiet);
  const db = await connectDatabase(mongodbUri);
  await syncIndexes(db);
  await fastPolicy(db);
  await Promise.all([...workers, ...apis].map((name) => targets[name]!.start()));
  const bases = apiPorts.map((port) => `http://127.0.0.1:${port}`);

  // Each restart ends a "down" period: the time from the kill until the server runs and every API is ready again.
  const backAgain = new Map<string, () => void>();
  let gaveUp: string | null = null;
  const supervisor = new Supervisor({
    log: (line) => log(line),
    logFileOf: () => '(the suite keeps no server logs)',
    giveUp: (reason) => (gaveUp = reason),
    onRunning: (name) => backAgain.get(name)?.(),
  });
  // On the cluster worker-1 is a machine lost for good: nothing brings it back.
  for (const [name, target] of Object.entries(targets)) if (!(mode === 'cluster' && name === 'worker-1')) supervisor.watch(name, target);
  log(`${mode}: Temporal ${stack.temporalAddress}, FerretDB ${stack.mongoPort}, ${workers.length} worker(s), API on ${apiPorts.join(' and ')}; ${TICKETS} tickets, ${CONCURRENCY} at a time`);

  const lifecycles: Lifecycle[] = Array.from({ length: TICKETS }, (_, i) => ({
    key: `fault-${i}`,
    requester: `customer-${i % 20}`,
    unanswered: i % 4 === 0,
    acked: { created: false, comment: false, resolve: false, confirm: false },
  }));

  // The faults, in turn, while the tickets are in flight.
  let driving = true;
  const kills: string[] = [];
  const recovery: Record<string, number[]> = {};
  const order = mode === 'cluster' ? ['worker-1', 'api-1', 'postgres', 'temporal', 'ferretdb', 'api-2'] : ['worker', 'api', 'postgres', 'temporal', 'ferretdb'];
  const faults = (async () => {
    for (let round = 0; driving || round < order.length; round++) {
      await delay(4_000);
      const name = order[round % order.length]!;
      if (mode === 'cluster' && name === 'worker-1' && round > 0) continue;
      const victim = targets[name]!.process;
      const running = new Promise<void>((resolve) => backAgain.set(name, resolve));
      if (apis.includes(name)) apisDown.add(name);
      log(`kill -9 ${name}`);
      const killedAt = Date.now();
      if (victim.child.pid) process.kill(victim.child.pid, 'SIGKILL');
      await victim.exited;
      kills.push(name);
      if (mode === 'cluster' && name === 'worker-1') {
        log('worker-1 stays down: worker-2 carries every ticket on');
        continue;
      }
      await Promise.race([running, delay(120_000).then(() => Promise.reject(new Error(`${name} was not running again within 2 minutes of its kill${gaveUp ? `: ${gaveUp}` : ''}`)))]);
      await allReady(bases);
      apisDown.delete(name);
      (recovery[name] ??= []).push(Date.now() - killedAt);
      log(`${name} killed → desk ready again in ${((Date.now() - killedAt) / 1000).toFixed(1)} s, restarted by the supervisor`);
    }
  })();

  const started = Date.now();
  await pool(lifecycles, CONCURRENCY, (l) => drive(bases, l));
  driving = false;
  await faults;
  supervisor.stop();
  log(`lifecycles done in ${Math.round((Date.now() - started) / 1000)} s; kills: ${kills.join(', ')}`);
  for (const [name, times] of Object.entries(recovery)) log(`recovery after kill -9 of ${name}: ${times.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} (kill until every API is ready)`);

  // Let the SLA timers fall due, then check everything.
  const lastDue = Math.max(...lifecycles.filter((l) => l.unanswered && l.responseDue).map((l) => Date.parse(l.responseDue!)));
  while (Date.now() < lastDue + 10_000) await delay(1_000);
  await settle(db, lifecycles);
  await verify(db, lifecycles, stack.temporalAddress!);
  assert.deepEqual(violations, [], 'no client saw a 500, a malformed 503 or a dropped connection from an API that was up');
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
/** The APIs killed and not ready again yet: only their connections may drop. */
const apisDown = new Set<string>();
let apiNames: string[] = [];
/** What clients saw that they never should: a 500, a 503 that is not problem+json with Retry-After, a dropped connection. */
const violations: string[] = [];

/** Sends a request until it is acknowledged; every retry carries the same Idempotency-Key and goes to the next API. */
async function send(bases: string[], method: string, route: string, token: string, key: string, body: unknown): Promise<any> {
  const deadline = Date.now() + 180_000;
  for (let attempt = 1; ; attempt++) {
    const index = nextApi++ % bases.length;
    const api = apiNames[index]!;
    const wasDown = apisDown.has(api);
    try {
      const res = await fetch(`${bases[index]}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (res.ok) return JSON.parse(text).ticket ?? JSON.parse(text);
      if (res.status === 503 && !(res.headers.get('content-type')?.startsWith('application/problem+json') && Number(res.headers.get('retry-after')) > 0)) {
        violations.push(`${method} ${route} → 503 without problem+json and Retry-After`);
      }
      // Only "not now" answers are retried; anything else (a 500 above all) is a bug the suite must report.
      if (![429, 503].includes(res.status)) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
    } catch (err) {
      if (err instanceof Error && err.message.includes(' answered ')) throw err;
      // A killed API drops its connections; one that is up must answer, 503 at worst.
      if (!wasDown && !apisDown.has(api)) violations.push(`${method} ${route} on ${api}: ${(err as Error).name}: ${(err as Error).message}`);
    }
    if (Date.now() > deadline) throw new Error(`${method} ${route} was never acknowledged (${attempt} attempts)`);
    await delay(Math.min(2_000, 200 * attempt));
  }
}

/** Every API answers /readyz with 200: Temporal and MongoDB (and PostgreSQL under it) serve again. */
async function allReady(bases: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const base of bases) {
    while (!(await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error(`${base} was not ready again within 2 minutes`);
      await delay(100);
    }
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
    // Open tickets with a recorded breach carry the queue flag (store/queues.ts); verify() reads each timeline.
    const breached = await db.models.Ticket.countDocuments({ queueFlags: 'breached', productLine: 'faults' });
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
  for await (const wf of temporalClient(connection, payloadCodec(masterKeysOf(MASTER_KEY), db.connection.db!)).workflow.list({ query: `WorkflowType = 'ticketWorkflow' AND ProductLine = 'faults'` })) {
    runs.set(wf.workflowId, (runs.get(wf.workflowId) ?? 0) + 1);
  }
  await connection.close();
  assert.deepEqual([...runs.keys()].sort(), ids.map((id) => `ticket-${id}`).sort(), 'one workflow per ticket');
  assert.ok([...runs.values()].every((n) => n === 1), 'no ticket has two workflow runs');

  const byId = new Map(stored.map((t) => [t._id, t]));
  for (const l of lifecycles) {
    const ticket = byId.get(l.id!)!;
    const events = await new TicketStore(db.models).timeline(l.id!, { includeInternal: true, afterSeq: 0, limit: 100_000 });
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
