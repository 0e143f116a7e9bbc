// GET /kpis over tickets stored in MongoDB, checked against the hand-computed fixture.
import { KpiLedger } from '../../store/kpis';
import { startDesk, type TestDesk } from '../helpers/desk';
import { asTicketDocuments, backlog, created, HOUR, MIN } from '../fixtures/kpi-tickets';

let desk: TestDesk;
let sam: string;
beforeAll(async () => {
  desk = await startDesk('api-kpis', { worker: false });
  sam = desk.token({ sub: 'sam', role: 'supervisor' });
  const stored = [...new Set([...created, ...backlog])];
  await desk.db.models.Ticket.collection.insertMany(asTicketDocuments(stored, 'F') as never[]);
  // Imported tickets reach the KPI ledger by a rebuild; tickets the workflows change update it themselves.
  expect(await new KpiLedger(desk.db.models).rebuild()).toBe(stored.length);
});
afterAll(() => desk.close());

const kpis = (query: string, token = sam) => desk.http('GET', `/kpis?${query}`, { token });

it('serves every figure for the period, grouped, with empty groups', async () => {
  const res = await kpis('from=2026-11-01&to=2026-11-08&groupBy=priority');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z', groupBy: 'priority' });
  const { totals, groups } = res.body;
  expect(totals).toMatchObject({
    volume: 6,
    firstResponse: { count: 5, mean: 4_860_000, p50: 30 * MIN, p90: 4 * HOUR },
    resolution: { count: 4, p50: 2 * HOUR, p90: 24 * HOUR },
    slaCompliance: { response: { rate: 0.8 }, resolution: { rate: 0.8 } },
    escalationRate: { rate: 0.3333 },
    reopenRate: { rate: 0.25 },
    firstContactResolution: { rate: 0.5 },
    deflectionRate: { rate: 0.1667 },
    csat: { average: 4, responseRate: 0.6667 },
    reviewCompletion: { rate: 0.5 },
  });
  expect(totals.backlog.open).toBe(5);
  expect(groups.map((g: any) => [g.key, g.volume])).toEqual([
    ['P0', 0],
    ['P1', 2],
    ['P2', 2],
    ['P3', 2],
  ]);
});

it('groups by agent and group with every configured one, and by channel', async () => {
  const byAgent = (await kpis('from=2026-11-01&to=2026-11-08&groupBy=agent')).body.groups;
  expect(byAgent.find((g: any) => g.key === 'eve').volume).toBe(2);
  expect(byAgent.find((g: any) => g.key === 'ida')).toMatchObject({ volume: 0, firstResponse: { mean: null } });
  const byGroup = (await kpis('from=2026-11-01&to=2026-11-08&groupBy=group')).body.groups.map((g: any) => g.key);
  expect(byGroup).toEqual(expect.arrayContaining(['service-desk', 'network-l3', '(none)']));
  const byChannel = (await kpis('from=2026-11-01&to=2026-11-08&groupBy=channel')).body.groups.map((g: any) => [g.key, g.volume]);
  expect(byChannel).toEqual([
    ['portal', 3],
    ['email', 1],
    ['chat', 1],
    ['phone', 1],
    ['api', 0],
  ]);
});

it('refuses bad periods and other roles', async () => {
  expect((await kpis('from=2026-11-08&to=2026-11-01')).status).toBe(400);
  expect((await kpis('from=2025-01-01&to=2026-11-01')).status).toBe(400);
  expect((await kpis('groupBy=mood')).status).toBe(400);
  expect((await kpis('', desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] }))).status).toBe(403);
  expect((await kpis('', desk.token({ sub: 'root', role: 'admin' }))).status).toBe(200);
});
