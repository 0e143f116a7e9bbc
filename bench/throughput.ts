// Lifecycles per second: the two baselines, started directly with the Temporal client, then full ticket
// lifecycles through the HTTP API (open → dispatch → public reply → resolve → confirm → knowledge draft),
// all at the same concurrency for the same time on the same server.
import { WithStartWorkflowOperation } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { cpuPerUnit, cpuTimes } from './cpu';
import type { Product } from './product';
import type { Figure } from './report';
import { step } from './workflows';

export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

/** Filled by rate(): CPU per completion by server over the counted window (ms). */
export interface CpuWindow {
  perUnit?: Array<[string, number]>;
}

/** Runs `once` from `concurrency` loops for `seconds` after a short warm-up; returns completions per second. */
export async function rate(once: () => Promise<void>, concurrency = CONCURRENCY, seconds = SECONDS, cpu?: CpuWindow): Promise<number> {
  let counting = false;
  let done = 0;
  let stop = false;
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stop) {
      await once();
      if (counting) done++;
    }
  });
  await new Promise((r) => setTimeout(r, 3_000));
  counting = true;
  const cpuBefore = cpuTimes();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  const counted = done;
  if (cpu) cpu.perUnit = cpuPerUnit(cpuBefore, cpuTimes(), counted);
  stop = true;
  await Promise.all(loops);
  return counted / elapsed;
}

async function post(base: string, path: string, token: string, body: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export const ticketBody = (n: string) => ({
  title: `Printer ${n} shows error 49`,
  description: 'The printer on floor 3 shows error 49 after a firmware update',
  channel: 'portal',
  productLine: 'network',
  module: 'printing',
  problemType: 'incident',
  impact: 'moderate',
  urgency: 'medium',
  fields: { symptom: 'error 49', occurredAt: '2026-11-20' },
});

/** One full lifecycle as people would do it, over HTTP. */
export async function lifecycle(product: Product, n: number): Promise<void> {
  const requester = product.token(`customer-${n % 50}`, 'requester');
  const supervisor = product.token('sam', 'supervisor');
  const ticket = await post(product.base, '/tickets', requester, ticketBody(String(n)));
  await post(product.base, `/tickets/${ticket.id}/comments`, supervisor, { body: 'Power-cycle it, please' });
  await post(product.base, `/tickets/${ticket.id}/resolve`, supervisor, { summary: 'Firmware rolled back', rootCause: 'Bad firmware', steps: 'Roll back to 3.1', newKnowledge: true });
  await post(product.base, `/tickets/${ticket.id}/confirm`, requester, {});
}

export async function benchThroughput(product: Product): Promise<Figure[]> {
  const client = product.bareClient;
  const tq = product.baselineQueue;
  const a = await rate(() => client.workflow.execute('threeActivities', { taskQueue: tq, workflowId: `a-${randomUUID()}` }));
  const bCpu: CpuWindow = {};
  const fullCpu: CpuWindow = {};
  const b = await rate(async () => {
    const workflowId = `b-${randomUUID()}`;
    await client.workflow.executeUpdateWithStart(step, { args: ['open'], startWorkflowOperation: new WithStartWorkflowOperation('bareLifecycle', { workflowId, taskQueue: tq, workflowIdConflictPolicy: 'FAIL' }) });
    const handle = client.workflow.getHandle(workflowId);
    for (const name of ['comment', 'resolve', 'confirm'] as const) await handle.executeUpdate(step, { args: [name] });
  }, CONCURRENCY, SECONDS, bCpu);
  let n = 0;
  const writesBefore = await product.documentWrites();
  const commandsBefore = product.commandCounts();
  let lifecycles = 0;
  const full = await rate(async () => {
    await lifecycle(product, n++);
    lifecycles++;
  }, CONCURRENCY, SECONDS, fullCpu);
  // Statistics reach PostgreSQL's views within a second, the command counts their files every second, and the relay
  // works off the hot path: its share of these lifecycles is done within a few seconds.
  await new Promise((r) => setTimeout(r, 4_000));
  const writesAfter = await product.documentWrites();
  const commands = difference(product.commandCounts(), commandsBefore);
  const context = `${CONCURRENCY} concurrent, ${SECONDS} s`;
  const ratio = (value: number, baseline: number, target: number) => `${(value / baseline).toFixed(2)}× (target ≥ ${target}×: ${value / baseline >= target ? 'met' : 'MISSED'})`;
  const figures: Figure[] = [
    { section: 'throughput', name: 'baseline (a): bare workflow, 3 no-op activities', value: a, unit: 'workflows/s', context },
    { section: 'throughput', name: 'baseline (b): bare lifecycle, 4 updates, 8 local activities, timers', value: b, unit: 'lifecycles/s', context },
    { section: 'throughput', name: 'full ticket lifecycles through the HTTP API', value: full, unit: 'lifecycles/s', note: `vs (b) ${ratio(full, b, 0.7)}; vs (a) ${ratio(full, a, 0.8)}`, context },
    { section: 'throughput', name: 'full lifecycles ÷ baseline (b)', value: full / b, unit: '×', note: `target ≥ 0.7: ${full / b >= 0.7 ? 'met' : 'MISSED'}`, context, ratio: 'lifecycleVsBareLifecycle' },
    { section: 'throughput', name: 'full lifecycles ÷ baseline (a)', value: full / a, unit: '×', note: `target ≥ 0.8: ${full / a >= 0.8 ? 'met' : 'MISSED'}`, context, ratio: 'lifecycleVsBareWorkflow' },
  ];
  // What each lifecycle costs each server: where the full lifecycle's time goes beside the bare one's.
  const cpuFigure = (name: string, window: CpuWindow): Figure => {
    const parts = window.perUnit ?? [];
    const sum = parts.reduce((total, [, ms]) => total + ms, 0);
    return { section: 'throughput', name, value: sum, unit: 'ms CPU', context: parts.map(([server, ms]) => `${server} ${ms.toFixed(1)}`).join(', ') };
  };
  figures.push(cpuFigure('CPU per bare lifecycle (b), all servers', bCpu), cpuFigure('CPU per full lifecycle, all servers', fullCpu));
  const total = Object.values(commands).reduce((sum, c) => sum + c, 0);
  const top = Object.entries(commands).sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, c]) => `${k} ${(c / lifecycles).toFixed(2)}`).join(', ');
  figures.push({ section: 'throughput', name: 'MongoDB commands per lifecycle (command monitoring, worker and API)', value: total / lifecycles, unit: 'commands', note: `target ≤ 12: ${total / lifecycles <= 12 ? 'met' : 'MISSED'}`, context: `${lifecycles} lifecycles; ${top}`, ratio: 'mongoCommandsPerLifecycle' });
  if (writesBefore !== null && writesAfter !== null) {
    const rows = (writesAfter - writesBefore) / lifecycles;
    figures.push({ section: 'throughput', name: 'MongoDB documents written per lifecycle', value: rows, unit: 'documents', note: `target ≤ 15: ${rows <= 15 ? 'met' : 'MISSED'}`, context: 'rows inserted, updated or deleted in PostgreSQL under FerretDB', ratio: 'rowsWrittenPerLifecycle' });
  }
  return figures;
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)]).filter(([, n]) => (n as number) > 0));
}
