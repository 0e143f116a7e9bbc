// KPIs over 10,000 tickets (SPEC §13 asks for under a second): GET /kpis through the real API, against the
// baseline of merely reading the same tickets from MongoDB in the same process.
import type { AddressInfo } from 'node:net';
import { Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../api/app';
import { apiDeps } from '../api/deps-factory';
import { mintToken } from '../api/http/auth';
import { KPI_DIMENSIONS } from '../domain/kpis';
import { openTicket } from '../domain/intake';
import { CHANNELS, PRIORITIES, type Ticket } from '../domain/ticket';
import { loadConfig } from '../platform/config';
import { connectDatabase, syncIndexes } from '../platform/mongo';
import { temporalClient } from '../platform/temporal';
import { benchCodec } from './product';
import { demoAgents } from '../stack/demo-desk';
import { KpiLedger } from '../store/kpis';
import { seedDemoDesk } from '../stack/seed';
import type { BenchServers } from './stack';
import { percentileOf, type Figure } from './report';

const SECRET = 'bench-secret';
const DAY = 86_400_000;

/** A year of realistic tickets: every status, priority, channel, group and agent, with times and outcomes. */
export function syntheticTickets(count: number, end: number): Array<Ticket & { _id?: string }> {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const statuses = ['assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed', 'closed', 'closed', 'closed', 'cancelled', 'triage'] as const;
  return Array.from({ length: count }, (_, i) => {
    const createdAt = end - Math.floor(random() * 365 * DAY);
    const agent = pick(demoAgents);
    const t = openTicket(
      {
        id: `B${String(i).padStart(9, '0')}`,
        title: `Synthetic ticket ${i}`,
        description: 'Generated for the KPI benchmark, sized like a real ticket with a few sentences of description.',
        channel: pick(CHANNELS),
        productLine: pick(['network', 'billing', 'general']),
        problemType: 'incident',
        fields: { symptom: 'it fails', occurredAt: '2026-01-01' },
        attachments: [],
        requester: { id: `user${i % 500}`, email: `user${i % 500}@example.com` },
      },
      new Date(createdAt).toISOString(),
    );
    t.priority = pick(PRIORITIES);
    t.status = pick(statuses);
    t.assignment = t.status === 'triage' ? { group: null, agent: null } : { group: agent.groups[0]!, agent: agent.id };
    const responded = createdAt + Math.floor(random() * 8 * 3600_000);
    t.sla = { ...t.sla, policyId: 'standard', firstRespondedAt: new Date(responded).toISOString(), responseBreached: random() < 0.1, resolutionBreached: random() < 0.15 };
    if (t.status === 'resolved' || t.status === 'closed') {
      t.resolution = { summary: 'done', rootCause: 'cause', steps: 'steps', kbArticleId: null, newKnowledge: false, resolvedBy: agent.id, resolvedAt: new Date(responded + Math.floor(random() * 5 * DAY)).toISOString() };
    }
    t.reopenCount = random() < 0.08 ? 1 : 0;
    t.stats = { publicReplies: 1 + Math.floor(random() * 4), escalations: random() < 0.12 ? 1 : 0, transfers: random() < 0.1 ? 1 : 0, selfService: random() < 0.05 };
    if (t.status === 'closed') {
      t.closure = { knowledge: null, survey: { status: random() < 0.4 ? 'answered' : 'expired', closesAt: t.createdAt }, review: t.priority === 'P0' || t.priority === 'P1' ? { status: random() < 0.7 ? 'filed' : 'overdue', dueAt: t.createdAt, filed: null } : null };
      if (t.closure.survey!.status === 'answered') t.csat = { score: 1 + Math.floor(random() * 5), comment: null, at: t.createdAt };
    }
    t.version = 3;
    return t;
  });
}

export async function benchKpis(servers: BenchServers, count = 10_000): Promise<Figure[]> {
  const db = await connectDatabase(`${servers.mongoBase}/bench_kpis_${Date.now()}`);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  try {
    await syncIndexes(db);
    await seedDemoDesk(db);
    const now = Date.now();
    const tickets = syntheticTickets(count, now);
    for (let i = 0; i < tickets.length; i += 1000) {
      await db.models.Ticket.collection.insertMany(tickets.slice(i, i + 1000).map(({ id, ...t }) => ({ _id: id, ...t })) as never[]);
    }
    const bytes = JSON.stringify(tickets[0]).length;
    await new KpiLedger(db.models).rebuild();

    const config = { ...loadConfig({}), jwtSecret: SECRET, temporalAddress: servers.temporalAddress };
    const app = createApp(apiDeps(config, pino({ level: 'silent' }), temporalClient(connection, benchCodec(db)), db, benchCodec(db)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const token = mintToken({ sub: 'bench', role: 'supervisor' }, SECRET);
    const from = new Date(now - 365 * DAY).toISOString();
    const to = new Date(now + 1000).toISOString();

    const time = async (work: () => Promise<unknown>, runs: number) => {
      await work(); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await work();
        ms.push(performance.now() - started);
      }
      return ms;
    };
    // Baseline: what reading the tickets themselves costs on this server, the floor of any direct aggregation.
    const baseline = await time(() => db.models.Ticket.collection.find({}).toArray(), 3);
    const figures: Figure[] = [];
    const context = `${count} tickets of ~${Math.round(bytes / 100) / 10} kB over one year`;
    figures.push({ section: 'kpis', name: 'baseline: read all ticket documents', value: percentileOf(baseline, 50), unit: 'ms p50', context });
    for (const groupBy of KPI_DIMENSIONS) {
      const ms = await time(async () => {
        const res = await fetch(`${base}/kpis?from=${from}&to=${to}&groupBy=${groupBy}`, { headers: { authorization: `Bearer ${token}` } });
        if (!res.ok) throw new Error(`GET /kpis answered ${res.status}`);
        await res.json();
      }, 5);
      const p50 = percentileOf(ms, 50);
      figures.push({
        section: 'kpis',
        name: `GET /kpis groupBy=${groupBy}`,
        value: p50,
        unit: 'ms p50',
        note: `${(p50 / percentileOf(baseline, 50)).toFixed(2)}× baseline; max ${Math.round(Math.max(...ms))} ms; target < 1000 ms: ${Math.max(...ms) < 1000 ? 'met' : 'MISSED'}`,
        context,
      });
    }
    server.close();
    return figures;
  } finally {
    await db.connection.dropDatabase().catch(() => undefined);
    await db.close();
    await connection.close();
  }
}
