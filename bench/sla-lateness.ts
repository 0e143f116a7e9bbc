// SLA timer lateness: 2,000 open tickets whose response deadlines fall due in the same minute. A business
// calendar that opens at one minute (all tickets arrive while it is closed) makes every deadline the same
// instant: the worst case for timers. Lateness is how long after its deadline each breach is recorded. The burst's
// rate (breaches recorded per second from the deadline to the last one) is set against 2,000 bare workflows waking
// at one instant and running one no-op local activity, on the same servers just before.
import { randomUUID } from 'node:crypto';
import { suggestedPolicy } from '../domain/sla/policy';
import { DeskConfigStore } from '../store/desk-config';
import { demoRoutingRules } from '../stack/demo-desk';
import type { Product } from './product';
import { percentileOf, type Figure } from './report';

const TICKETS = Number(process.env.BENCH_SLA_TICKETS ?? 2000);
const TARGET_MS = 30_000;

/** Workflows per second that 2,000 bare workflows woken at one instant get through (one local activity each). */
async function bareTimerRate(product: Product, count: number): Promise<{ rate: number; spanMs: number }> {
  const at = Date.now() + 30_000 + count * 10;
  const ids = Array.from({ length: count }, () => `wake-${randomUUID()}`);
  const pool = async (work: (id: string) => Promise<void>) => {
    let next = 0;
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < ids.length) await work(ids[next++]!);
    }));
  };
  await pool(async (workflowId) => void (await product.bareClient.workflow.start('wakeAt', { taskQueue: product.baselineQueue, workflowId, args: [at] })));
  await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
  // Twenty results at a time: thousands of waiting long polls would crowd the client's connection.
  const done: number[] = [];
  await pool(async (workflowId) => void done.push((await product.bareClient.workflow.getHandle(workflowId).result()) as number));
  const spanMs = Math.max(...done) - at;
  return { rate: count / (spanMs / 1000), spanMs };
}

export async function benchSlaLateness(product: Product): Promise<Figure[]> {
  const bare = await bareTimerRate(product, TICKETS);
  const config = new DeskConfigStore(product.db.models);
  // The calendar opens at a whole minute far enough ahead for every ticket to arrive before it.
  const opens = Math.ceil((Date.now() + 60_000 + TICKETS * 150) / 60_000) * 60_000;
  const hhmm = new Date(opens).toISOString().slice(11, 16);
  const end = Number(hhmm.slice(0, 2)) >= 23 ? '24:00' : `${String(Number(hhmm.slice(0, 2)) + 1).padStart(2, '0')}:${hhmm.slice(3)}`;
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  await config.replaceCalendars([...(await config.calendars()), { id: 'bench-opening', name: 'Opens once, for the benchmark', timeZone: 'UTC', weeklyHours: days.map((day) => ({ day, start: hhmm, end })), holidays: [] }]);
  const policy = suggestedPolicy('bench-sla', 'Benchmark: one shared deadline', 'bench-sla', 'bench-opening');
  policy.targets.P3 = { responseMs: TARGET_MS, resolutionMs: 24 * 3600_000, calendarId: 'bench-opening' };
  await config.replaceSlaPolicies([...(await config.slaPolicies()).filter((p) => p.id !== 'bench-sla'), policy]);
  await config.replaceRoutingRules([{ id: 'bench-sla', name: 'Benchmark', match: { productLines: ['bench-sla'] }, target: 'service-desk', skills: [] }, ...demoRoutingRules]);

  const requester = product.token('sla-customer', 'requester');
  const ids: string[] = [];
  let next = 0;
  const createdBy = Date.now();
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < TICKETS && Date.now() < opens - 5_000) {
        const n = next++;
        const res = await fetch(`${product.base}/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${requester}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `Deadline ${n}`, description: 'Waits for the shared deadline', channel: 'api', productLine: 'bench-sla', problemType: 'question', impact: 'minor', urgency: 'low', fields: {} }),
        });
        if (res.ok) ids.push(((await res.json()) as { id: string }).id);
      }
    }),
  );
  const creation = (Date.now() - createdBy) / 1000;
  const due = opens + TARGET_MS;
  // Wait for the breaches, or at most two minutes past the deadline.
  while (Date.now() < due + 120_000) {
    await new Promise((r) => setTimeout(r, 2_000));
    // Open tickets with a recorded breach carry the queue flag, which FerretDB finds without reading the others.
    if (Date.now() > due && (await product.db.models.Ticket.countDocuments({ queueFlags: 'breached', productLine: 'bench-sla' })) >= ids.length) break;
  }
  // Filtered here rather than with a $in of every id: in one run here such a query found nothing (not reproduced since).
  const mine = new Set(ids);
  // Once, at the end: every change document, its events read here (FerretDB's $elemMatch takes no field queries).
  const changes = await product.db.models.Change.find({}, { events: 1 }).lean();
  const breaches = changes.flatMap((c) => c.events).filter((e) => e.type === 'sla_breached' && mine.has(e.ticketId));
  const lateness = breaches.map((b) => Date.parse(b.at) - due);
  const context = `${ids.length} tickets (created in ${Math.round(creation)} s), all due ${new Date(due).toISOString()}; ${breaches.length} breaches recorded`;
  const spanMs = Math.max(...lateness);
  const rate = breaches.length / (spanMs / 1000);
  return [
    { section: 'sla', name: 'breach lateness p50', value: percentileOf(lateness, 50), unit: 'ms', context },
    { section: 'sla', name: 'breach lateness p99', value: percentileOf(lateness, 99), unit: 'ms', context },
    { section: 'sla', name: 'breaches recorded', value: breaches.length, unit: `of ${ids.length}`, context, ratio: 'breachesRecorded' },
    { section: 'sla', name: 'breaches recorded per second', value: rate, unit: 'breaches/s', context: `the last ${Math.round(spanMs)} ms after the deadline` },
    { section: 'sla', name: 'baseline: bare workflows woken at one instant, one local activity', value: bare.rate, unit: 'workflows/s', context: `${TICKETS} workflows, the last ${Math.round(bare.spanMs)} ms after the instant` },
    { section: 'sla', name: 'breach rate ÷ bare timer rate', value: rate / bare.rate, unit: '×', note: `target ≥ 0.6: ${rate / bare.rate >= 0.6 ? 'met' : 'MISSED'}`, ratio: 'breachRateVsBareTimers' },
  ];
}
