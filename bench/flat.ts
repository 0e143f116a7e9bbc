// Flat in volume (issue 14, item 4): a KPI write and a dispatch must cost the same late in a busy day as early.
// Opens FLAT_TICKETS tickets of one day in one group through the store's own write paths (what a ticket's intake
// writes and the relay folds in), timing a KPI write (folding one change's fact into the ledger) and a dispatch (a
// fresh dispatcher each time, so it reads the agents' loads) over a sample at the start and again at the end.
import { openTicket } from '../domain/intake';
import type { Ticket } from '../domain/ticket';
import { connectDatabase, syncIndexes } from '../platform/mongo';
import { seedDemoDesk } from '../stack/seed';
import { AgentLoadStore } from '../store/agent-load';
import { DeskConfigStore } from '../store/desk-config';
import { Dispatcher } from '../store/dispatcher';
import { BUCKET_SIZE, KpiBuckets, KpiLedger, kpiEntryOf } from '../store/kpis';
import { percentileOf, type Figure } from './report';
import type { BenchServers } from './stack';

const TICKETS = Number(process.env.BENCH_FLAT_TICKETS ?? 2_500);
// A whole bucket's worth at each end: its first fact and its hundredth cost a little apart, every bucket alike.
const SAMPLE = BUCKET_SIZE;

export async function benchFlat(servers: BenchServers): Promise<Figure[]> {
  const db = await connectDatabase(`${servers.mongoBase}/bench_flat_${Date.now()}`);
  try {
    await syncIndexes(db);
    await seedDemoDesk(db);
    const ledger = new KpiLedger(db.models);
    const buckets = new KpiBuckets();
    const config = new DeskConfigStore(db.models);
    const loads = new AgentLoadStore(db.models);
    let batch = 0;
    const day = new Date().toISOString().slice(0, 10);
    let n = 0;
    const newTicket = (): Ticket => {
      const id = `F${String(n++).padStart(9, '0')}`;
      return openTicket({ id, title: `Switch port ${id} flaps`, description: 'Goes up and down', channel: 'portal', productLine: 'network', problemType: 'incident', fields: {}, attachments: [], requester: { id: 'flat' } }, `${day}T10:00:00.000Z`);
    };
    // One ticket's intake as the store sees it: dispatch into network L1, then its KPI fact.
    const intake = async (timings?: { dispatch: number[]; kpi: number[] }) => {
      const ticket = newTicket();
      let started = performance.now();
      const outcome = await new Dispatcher(config, loads).dispatch({ ticket, at: ticket.createdAt });
      timings?.dispatch.push(performance.now() - started);
      if (outcome.kind === 'assigned') ticket.assignment = { group: outcome.group, agent: outcome.agent };
      ticket.status = 'assigned';
      // The relay folds the intake change in: its claim, then its fact.
      if (outcome.kind === 'assigned' && outcome.agent) await loads.fold(++batch, [{ at: ticket.createdAt, load: { claim: [outcome.agent], release: [] } }]);
      started = performance.now();
      await ledger.fold([{ ticketId: ticket.id, ...kpiEntryOf(ticket, buckets.next(ticket.createdAt), true) }]);
      timings?.kpi.push(performance.now() - started);
    };
    const sample = async () => {
      const timings = { dispatch: [] as number[], kpi: [] as number[] };
      for (let i = 0; i < SAMPLE; i++) await intake(timings);
      return { dispatch: percentileOf(timings.dispatch, 50), kpi: percentileOf(timings.kpi, 50) };
    };
    const early = await sample();
    for (let i = 0; i < TICKETS; i++) await intake();
    const late = await sample();
    const context = `${TICKETS + 2 * SAMPLE} tickets opened on one day into network L1; medians of ${SAMPLE} at the start and at the end`;
    return [
      { section: 'flat', name: 'KPI write at the start of the day', value: early.kpi, unit: 'ms p50', context },
      { section: 'flat', name: 'KPI write at the end of the day', value: late.kpi, unit: 'ms p50', context },
      { section: 'flat', name: 'KPI write, end ÷ start', value: late.kpi / early.kpi, unit: '×', note: `target ≤ 1.2: ${late.kpi / early.kpi <= 1.2 ? 'met' : 'MISSED'}`, ratio: 'kpiWriteCostLateVsEarly' },
      { section: 'flat', name: 'dispatch at the start of the day', value: early.dispatch, unit: 'ms p50', context },
      { section: 'flat', name: 'dispatch at the end of the day', value: late.dispatch, unit: 'ms p50', context },
      { section: 'flat', name: 'dispatch, end ÷ start', value: late.dispatch / early.dispatch, unit: '×', note: `target ≤ 1.2: ${late.dispatch / early.dispatch <= 1.2 ? 'met' : 'MISSED'}`, ratio: 'dispatchCostLateVsEarly' },
    ];
  } finally {
    await db.connection.dropDatabase().catch(() => undefined);
    await db.close();
  }
}
