// Work queues on 2,000 tickets: what one queue count costs (countDocuments, as GET /queues runs it), what GET /queues
// and a queue page sorted by deadline cost through the real API, against the baseline of reading every ticket.
import type { AddressInfo } from 'node:net';
import { Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../api/app';
import { apiDeps } from '../api/deps-factory';
import { mintToken } from '../api/http/auth';
import type { Principal } from '../domain/roles';
import { loadConfig } from '../platform/config';
import { connectDatabase, syncIndexes } from '../platform/mongo';
import { temporalClient } from '../platform/temporal';
import { benchCodec } from './product';
import { seedDemoDesk } from '../stack/seed';
import { allOf, QUEUES, queuesOf } from '../store/queues';
import { documentOf, TicketStore, visibleTo } from '../store/tickets';
import { syntheticTickets } from './kpis';
import { percentileOf, type Figure } from './report';
import type { BenchServers } from './stack';

const SECRET = 'bench-secret';
const HOUR = 3_600_000;

export async function benchQueues(servers: BenchServers, count = 2_000): Promise<Figure[]> {
  const db = await connectDatabase(`${servers.mongoBase}/bench_queues_${Date.now()}`);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  try {
    await syncIndexes(db);
    await seedDemoDesk(db);
    const now = Date.now();
    // The KPI benchmark's tickets (half of them open), given running deadlines around now (some passed, some within
    // the hour), some without an agent, some with a review pending.
    const tickets = syntheticTickets(count, now).map((t, i) => {
      if (t.closure.review?.status === 'overdue' && i % 2 === 0) t.closure.review.status = 'pending';
      if (t.status === 'closed' || t.status === 'cancelled' || t.status === 'resolved') return t;
      if (t.status !== 'triage' && i % 9 === 0) t.assignment.agent = null;
      const responded = i % 3 !== 0;
      t.sla = {
        ...t.sla,
        responseDue: new Date(now + ((i % 7) - 2) * HOUR).toISOString(),
        firstRespondedAt: responded ? t.sla.firstRespondedAt : null,
        resolutionDue: t.status === 'waiting_on_customer' ? null : new Date(now + ((i % 11) - 3) * 4 * HOUR).toISOString(),
        paused: t.status === 'waiting_on_customer',
      };
      return t;
    });
    for (let i = 0; i < tickets.length; i += 500) await db.models.Ticket.collection.insertMany(tickets.slice(i, i + 500).map(documentOf) as never[]);
    const unsolved = await db.models.Ticket.countDocuments({ queueFlags: 'unsolved' });
    const bytes = JSON.stringify(tickets[0]).length;
    const context = `${count} tickets of ~${Math.round(bytes / 100) / 10} kB, ${unsolved} of them unsolved`;

    const config = { ...loadConfig({}), jwtSecret: SECRET, temporalAddress: servers.temporalAddress, rateLimit: 100_000, rateBurst: 100_000 };
    const app = createApp(apiDeps(config, pino({ level: 'silent' }), temporalClient(connection, benchCodec(db)), db, benchCodec(db)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const people: Record<string, Principal> = {
      supervisor: { sub: 'sam', role: 'supervisor', groups: [] },
      'agent (network-l1)': { sub: 'ann', role: 'agent', groups: ['network-l1'] },
    };

    const time = async (work: () => Promise<unknown>, runs = 7) => {
      await work(); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await work();
        ms.push(performance.now() - started);
      }
      return ms;
    };
    const figure = (name: string, ms: number[], note?: string): Figure => ({ section: 'queues', name, value: percentileOf(ms, 50), unit: 'ms p50', note: `max ${Math.round(Math.max(...ms))} ms${note ? `; ${note}` : ''}`, context });
    const get = async (path: string, who: Principal) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${mintToken(who, SECRET)}` } });
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
      return res.json() as Promise<{ items: unknown[] }>;
    };

    const figures: Figure[] = [figure('baseline: read all ticket documents', await time(() => db.models.Ticket.collection.find({}).toArray(), 3))];
    const store = new TicketStore(db.models);
    for (const [label, who] of Object.entries(people)) {
      for (const id of queuesOf(who)) {
        const filter = allOf(visibleTo(who), QUEUES[id].filter(who, Date.now()));
        const n = await store.count(filter);
        figures.push(figure(`count ${id} (${label})`, await time(() => store.count(filter)), `${n} tickets`));
      }
      const queues = await get('/queues', who);
      figures.push(figure(`GET /queues (${label})`, await time(() => get('/queues', who)), `${queues.items.length} queues`));
      figures.push(figure(`GET /tickets?queue=breaching&sort=due (${label})`, await time(() => get('/tickets?queue=breaching&sort=due&limit=20', who))));
      figures.push(figure(`GET /tickets?sort=due (${label})`, await time(() => get('/tickets?sort=due&limit=20', who))));
      figures.push(figure(`GET /tickets, newest first (${label})`, await time(() => get('/tickets?limit=20', who))));
    }
    server.close();
    return figures;
  } finally {
    await db.connection.dropDatabase().catch(() => undefined);
    await db.close();
    await connection.close();
  }
}
