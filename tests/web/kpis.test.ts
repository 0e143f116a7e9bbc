// The KPI page in a real browser against the real API and worker: over a range of days with real tickets (a P1
// answered, resolved and closed, a P0 answered, a P3 left untouched, a billing P3), its charts are drawn (Chart.js
// on canvas, under the strict CSP: no violation) and every number of its tables is GET /kpis's for the same
// range and grouping; regrouping by group and a range the API refuses (an error at the field) work through the
// form; over a past week of imported tickets (the hand-computed fixture of tests/fixtures/kpi-tickets.ts) it shows
// the hand-computed figures. axe-core finds no serious or critical violation. The README's screenshot is taken here.
import { KnowledgeStore } from '../../store/knowledge';
import { KpiLedger } from '../../store/kpis';
import { demoArticles } from '../../stack/demo-desk';
import { settle, startConsole, type ConsoleHarness, type ConsoleUser, type WatchedPage } from '../helpers/browser';
import { createTicketBody } from '../helpers/fixtures';
import { asTicketDocuments, backlog as pastBacklog, created as pastWeek } from '../fixtures/kpi-tickets';

jest.setTimeout(180_000);

let harness: ConsoleHarness;
const SAM: ConsoleUser = { role: 'supervisor', sub: 'sam', name: 'Sam Supervisor' };
const ALICE: ConsoleUser = { role: 'requester', sub: 'alice', name: 'Alice Martin', email: 'alice@example.com' };
const BOB: ConsoleUser = { role: 'requester', sub: 'bob', name: 'Bob Stone' };
const DAY = 86_400_000;
let first: string;
let last: string;

const api = (user: ConsoleUser, method: string, path: string, body?: unknown) => harness.api(user, method, path, body);

async function agentOf(id: string): Promise<ConsoleUser> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ticket = await api(SAM, 'GET', `/tickets/${id}`);
    if (ticket.assignment.agent) return { role: 'agent', sub: ticket.assignment.agent, groups: [ticket.assignment.group] };
    if (Date.now() > deadline) throw new Error(`ticket ${id} was not dispatched`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  harness = await startConsole('web-kpis');
  await new KnowledgeStore(harness.desk.db.models).put(demoArticles);
  // A past week, imported (1–7 November 2026): its tickets reach the KPI ledger by a rebuild.
  const stored = [...new Set([...pastWeek, ...pastBacklog])];
  await harness.desk.db.models.Ticket.collection.insertMany(asTicketDocuments(stored, 'F') as never[]);
  await new KpiLedger(harness.desk.db.models).rebuild();
  const p1 = await api(ALICE, 'POST', '/tickets', createTicketBody);
  const p0 = await api(ALICE, 'POST', '/tickets', { ...createTicketBody, title: 'Whole site offline', impact: 'extensive', urgency: 'critical' });
  const p3 = await api(BOB, 'POST', '/tickets', { ...createTicketBody, title: 'Wi-Fi slow in room 4.12', impact: 'minor', urgency: 'low', module: 'wifi' });
  const billing = await api(BOB, 'POST', '/tickets', {
    ...createTicketBody,
    title: 'Invoice charged twice',
    description: 'The November invoice was charged twice on the card.',
    productLine: 'billing',
    module: undefined,
    impact: 'minor',
    urgency: 'low',
  });
  expect([p1.priority, p0.priority, p3.priority, billing.priority]).toEqual(['P1', 'P0', 'P3', 'P3']);
  const p1Agent = await agentOf(p1.id);
  await api(p1Agent, 'POST', `/tickets/${p1.id}/comments`, { body: 'Please update your VPN client to 5.2.' });
  await api(p1Agent, 'POST', `/tickets/${p1.id}/resolve`, { summary: 'Client updated', rootCause: 'Idle timeout', steps: 'Install 5.2', kbArticleId: 'KB-DEMO-VPN' });
  await api(ALICE, 'POST', `/tickets/${p1.id}/confirm`, {});
  const p0Agent = await agentOf(p0.id);
  await api(p0Agent, 'POST', `/tickets/${p0.id}/comments`, { body: 'We are on it: the core switch rebooted.' });
  const created = [p1, p0, p3, billing].map((t) => t.createdAt as string).sort();
  first = created[0]!.slice(0, 10);
  last = created[created.length - 1]!.slice(0, 10);
}, 150_000);
afterAll(() => harness?.close());

/** Every table of the page: its caption, and per row its heading and each cell's exact value (<data value>), null where it says "no data". */
async function tablesOf(tab: WatchedPage) {
  return tab.page.locator('table.kpi-table').evaluateAll((tables) =>
    tables.map((table: any) => ({
      caption: table.querySelector('caption').textContent,
      rows: [...table.querySelectorAll('tbody tr')].map((tr: any) => [
        tr.querySelector('th').textContent,
        ...[...tr.querySelectorAll('td')].map((td: any) => (td.querySelector('data') ? Number(td.querySelector('data').getAttribute('value')) : null)),
      ]),
    })),
  );
}

/** Waits until the page's tables are `expected` (a new range loads while the old one is still shown), then compares. */
async function expectTables(tab: WatchedPage, expected: unknown) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && JSON.stringify(await tablesOf(tab)) !== JSON.stringify(expected)) await new Promise((r) => setTimeout(r, 200));
  expect(await tablesOf(tab)).toEqual(expected);
}

/** The same tables, built from GET /kpis: what the page must show. */
function expectedTables(report: any, label: (key: string) => string, by: string) {
  const rows = [...report.groups, report.totals];
  const head = (r: any) => (r === report.totals ? 'All tickets' : label(r.key));
  const table = (caption: string, cells: (r: any) => Array<number | null>) => ({ caption, rows: rows.map((r) => [head(r), ...cells(r)]) });
  const durations = (d: any) => [d.count, d.mean, d.p50, d.p90];
  return [
    table(`Tickets opened ${by}`, (r) => [r.volume]),
    table(`First response time ${by}`, (r) => durations(r.firstResponse)),
    table(`Time to resolve ${by}`, (r) => durations(r.resolution)),
    table(`SLA compliance ${by}`, (r) => [r.slaCompliance.response.rate, r.slaCompliance.resolution.rate]),
    table(`Open tickets by age, ${by}`, (r) => [r.backlog.open, r.backlog.under1d, r.backlog['1to3d'], r.backlog['3to7d'], r.backlog['7to30d'], r.backlog.over30d]),
    table(`Rates ${by}`, (r) => [r.escalationRate.rate, r.reopenRate.rate, r.firstContactResolution.rate, r.deflectionRate.rate, r.csat.average, r.csat.responseRate, r.reviewCompletion.rate]),
  ];
}

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

it('draws the charts and shows GET /kpis’s numbers in tables, by priority then by group', async () => {
  const tab = await harness.open(SAM);
  const { page } = tab;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'KPIs' }).click();
  await page.getByRole('heading', { level: 1, name: 'KPIs' }).waitFor();
  await settle(page);
  // The default range: the last 30 days, today included.
  const today = new Date().toISOString().slice(0, 10);
  const recent = await api(SAM, 'GET', `/kpis?from=${new Date(Date.now() - 29 * DAY).toISOString().slice(0, 10)}&to=${dayAfter(today)}&groupBy=priority`);
  expect(await page.locator('.kpi-total', { hasText: 'Tickets opened' }).locator('data').getAttribute('value')).toBe(String(recent.totals.volume));
  expect(recent.totals.volume).toBeGreaterThanOrEqual(4);

  const form = page.getByRole('form', { name: 'Period and grouping' });
  await form.getByLabel('From', { exact: true }).fill(first);
  await form.getByLabel('To', { exact: true }).fill(last);
  await form.getByLabel('Group by').selectOption('priority');
  await form.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(`**/app/kpis?from=${first}&to=${last}&groupBy=priority`);
  await settle(page);

  const report = await api(SAM, 'GET', `/kpis?from=${first}&to=${dayAfter(last)}&groupBy=priority`);
  expect(report.totals.volume).toBe(4);
  expect(report.totals.firstResponse.count).toBe(2);
  expect(report.totals.resolution.count).toBe(1);
  await expectTables(tab, expectedTables(report, (key) => key, 'by priority'));
  // How people read them: the P1's resolution, the share of response deadlines met.
  const p1 = report.groups.find((g: any) => g.key === 'P1');
  const resolution = page.getByRole('table', { name: 'Time to resolve by priority' }).getByRole('row', { name: /^P1/ });
  expect(await resolution.locator('data').nth(2).textContent()).toMatch(/^\d+ (s|min)$/);
  expect(p1.resolution.p50).toBeGreaterThan(0);
  expect(await page.getByRole('table', { name: 'SLA compliance by priority' }).getByRole('row', { name: /^All tickets/ }).textContent()).toContain('100 % (2 of 2)');

  // Five charts, each drawn on its canvas (Chart.js loaded on this page only), each named for screen readers.
  const canvases = page.locator('canvas');
  expect(await canvases.count()).toBe(5);
  for (let i = 0; i < 5; i++) {
    const canvas = canvases.nth(i);
    await page.locator(`canvas[data-drawn="true"]`).nth(i).waitFor();
    expect(await canvas.getAttribute('role')).toBe('img');
    expect(await canvas.getAttribute('aria-label')).toMatch(/the numbers are in the table beside it/);
    const painted = await canvas.evaluate((el: any) => {
      const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
      let n = 0;
      for (let k = 3; k < data.length; k += 4) if (data[k] > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(500);
  }
  expect([await tab.accessibilityProblems()]).toEqual([[]]);

  // Regrouped by group through the form: the rows are the desk's groups, by name, with GET /kpis's numbers.
  await form.getByLabel('Group by').selectOption('group');
  await form.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(`**/app/kpis?from=${first}&to=${last}&groupBy=group`);
  await page.getByRole('table', { name: 'Tickets opened by group' }).waitFor();
  await settle(page);
  const byGroup = await api(SAM, 'GET', `/kpis?from=${first}&to=${dayAfter(last)}&groupBy=group`);
  const names: Record<string, string> = Object.fromEntries((await api(SAM, 'GET', '/directory')).groups.map((g: any) => [g.id, g.name]));
  await expectTables(tab, expectedTables(byGroup, (key) => (key === '(none)' ? 'No group (triage)' : names[key]!), 'by group'));
  expect(await page.getByRole('table', { name: 'Tickets opened by group' }).getByRole('row', { name: /^Network support L1/ }).locator('data').getAttribute('value')).toBe('3');
  tab.expectClean(); // no CSP violation from Chart.js, no console error
});

it('shows the hand-computed figures of an imported week', async () => {
  const tab = await harness.open(SAM, '/kpis?from=2026-11-01&to=2026-11-07&groupBy=priority');
  const { page } = tab;
  await page.getByRole('table', { name: 'Tickets opened by priority' }).waitFor();
  await settle(page);
  const report = await api(SAM, 'GET', '/kpis?from=2026-11-01&to=2026-11-08&groupBy=priority');
  await expectTables(tab, expectedTables(report, (key) => key, 'by priority'));
  // The fixture's figures, as people read them: six tickets; first response p50 30 min, p90 4 h; resolution p50 2 h, p90 24 h.
  const total = (table: string) => page.getByRole('table', { name: table }).getByRole('row', { name: /^All tickets/ }).locator('td');
  expect(await total('Tickets opened by priority').allTextContents()).toEqual(['6']);
  expect(await total('First response time by priority').allTextContents()).toEqual(['5', '1 h 21 min', '30 min', '4 h']);
  expect(await total('Time to resolve by priority').allTextContents()).toEqual(['4', '9 h 1 min', '2 h', '24 h']);
  expect(await total('SLA compliance by priority').allTextContents()).toEqual(['80 % (4 of 5)', '80 % (4 of 5)']);
  for (let i = 0; i < 5; i++) await page.locator('canvas[data-drawn="true"]').nth(i).waitFor();
  expect([await tab.accessibilityProblems()]).toEqual([[]]);
  await tab.screenshot('kpis');
  tab.expectClean();
});

it('shows the API’s refusal of a range at its field', async () => {
  const tab = await harness.open(SAM, `/kpis?from=${dayAfter(dayAfter(last))}&to=${first}&groupBy=channel`);
  const { page } = tab;
  const field = page.locator('.field', { has: page.getByLabel('From', { exact: true }) });
  await field.locator('.field-error').waitFor();
  expect(await field.locator('.field-error').textContent()).toContain('must be before to');
  expect(await page.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByLabel('Group by').inputValue()).toBe('channel');
  expect([await tab.accessibilityProblems()]).toEqual([[]]);
  tab.expectClean();
});

it('is for supervisors and admins', async () => {
  const admin = await harness.open({ role: 'admin', sub: 'root' }, '/kpis');
  await admin.page.getByRole('table', { name: 'Tickets opened by priority' }).waitFor();
  const agent = await harness.open({ role: 'agent', sub: 'ann', groups: ['network-l1'] }, '/kpis');
  await agent.page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
  expect(await agent.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'KPIs' }).count()).toBe(0);
  admin.expectClean();
  agent.expectClean();
});
