// The supervisor's pages in a real browser against the real API and worker: triage (a ticket no rule routes is
// assigned to a group and an agent and leaves the queue; the API's refusal shown at its field first), the SLA
// queues (a ticket due within the hour gets its priority overridden with a reason and leaves that queue; a ticket
// that really breached its SLA is listed as breached), a post-incident review filed for a closed P1 ticket (an
// error at an action's owner first), and the knowledge draft that ticket left published, another rejected with a
// reason. axe-core finds no serious or critical violation on any of these pages; every tab ends clean.
import { KnowledgeStore } from '../../store/knowledge';
import { demoArticles } from '../../stack/demo-desk';
import type { Article } from '../../domain/knowledge';
import { settle, startConsole, type ConsoleHarness, type ConsoleUser, type WatchedPage } from '../helpers/browser';
import { createTicketBody } from '../helpers/fixtures';

jest.setTimeout(180_000);

let harness: ConsoleHarness;
const SAM: ConsoleUser = { role: 'supervisor', sub: 'sam', name: 'Sam Supervisor' };
const ROOT: ConsoleUser = { role: 'admin', sub: 'root', name: 'Rita Admin' };
const ALICE: ConsoleUser = { role: 'requester', sub: 'alice', name: 'Alice Martin', email: 'alice@example.com' };

beforeAll(async () => {
  harness = await startConsole('web-supervisor');
  await new KnowledgeStore(harness.desk.db.models).put(demoArticles);
}, 120_000);
afterAll(() => harness?.close());

const api = (user: ConsoleUser, method: string, path: string, body?: unknown) => harness.api(user, method, path, body);

/** Reads `path` as the supervisor until `done` holds (workflows and timers work beside the test). */
async function until(path: string, done: (body: any) => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await api(SAM, 'GET', path);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(body).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function expectAccessible(tab: WatchedPage, what: string) {
  expect([what, await tab.accessibilityProblems()]).toEqual([what, []]);
}

const card = (tab: WatchedPage, title: string | RegExp) => tab.page.getByRole('article', { name: title });
/** The error shown at a field of `scope` (the inner locator of `has` is relative to each .field). */
const fieldError = (scope: ReturnType<typeof card>, label: string) => scope.locator('.field', { has: scope.page().getByLabel(label, { exact: true }) }).locator('.field-error');
const isFocused = (locator: ReturnType<typeof card>) => locator.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el);
const queueCount = async (id: string) => (await api(SAM, 'GET', '/queues')).items.find((q: { id: string }) => q.id === id).count as number;

describe('triage', () => {
  it('assigns a ticket no rule routes to a group and an agent: the refusal at its field first, then it leaves the queue', async () => {
    const filed = await api(ALICE, 'POST', '/tickets', {
      ...createTicketBody,
      title: 'Badge reader at the lobby refuses every card',
      description: 'Since this morning the badge reader at the main entrance shows a red light for every badge.',
      productLine: 'facilities',
      module: undefined,
    });
    await until(`/tickets/${filed.id}`, (t) => t.status === 'triage', 'the ticket reaches triage');

    const tab = await harness.open(SAM);
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' }).click();
    await page.getByRole('heading', { level: 1, name: 'Needs triage' }).waitFor();
    await settle(page);
    expect(await page.getByRole('navigation', { name: 'Supervision' }).getByRole('link', { name: /Needs triage \(1\)/ }).getAttribute('aria-current')).toBe('page');
    const ticket = card(tab, /Badge reader at the lobby/);
    expect(await ticket.textContent()).toContain('No group (triage)');
    expect(await ticket.getByRole('link', { name: 'Badge reader at the lobby refuses every card' }).getAttribute('href')).toBe(`/app/tickets/${filed.id}`);
    await expectAccessible(tab, 'triage, one ticket');
    await tab.screenshot('supervisor-triage');

    // Neither group nor agent: the API refuses, and says so at the group.
    await ticket.getByRole('button', { name: 'Assign', exact: true }).click();
    await fieldError(ticket, 'Group (required)').waitFor();
    expect(await fieldError(ticket, 'Group (required)').textContent()).toContain('name a group, an agent or both');
    expect(await ticket.getByLabel('Group (required)', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await isFocused(ticket.getByLabel('Group (required)', { exact: true }))).toBe(true);

    await ticket.getByLabel('Group (required)', { exact: true }).selectOption('service-desk');
    // The agents offered are the group's.
    expect(await ticket.getByLabel('Agent', { exact: true }).locator('option').allTextContents()).toEqual(['Whoever dispatch picks', 'Gus Silva']);
    await ticket.getByLabel('Agent', { exact: true }).selectOption('gus');
    await ticket.getByLabel('Reason (optional)').fill('Facilities requests go through the service desk');
    await ticket.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '“Badge reader at the lobby refuses every card” is assigned to Service desk, Gus Silva.' }).waitFor();
    // The queue is read again: the ticket is gone, and so is its count.
    await card(tab, /Badge reader at the lobby/).waitFor({ state: 'detached' });
    await page.getByText('Nothing to triage.').waitFor();
    await page.getByRole('navigation', { name: 'Supervision' }).getByRole('link', { name: /Needs triage \(0\)/ }).waitFor();

    const now = await api(SAM, 'GET', `/tickets/${filed.id}`);
    expect(now).toMatchObject({ status: 'assigned', assignment: { group: 'service-desk', agent: 'gus' } });
    const events = (await api(SAM, 'GET', `/tickets/${filed.id}/timeline?limit=500`)).items;
    expect(events.find((e: { type: string }) => e.type === 'assigned')).toMatchObject({ actor: { id: 'sam' }, data: { reason: 'Facilities requests go through the service desk', to: { group: 'service-desk', agent: 'gus' } } });
    expect(await queueCount('triage')).toBe(0);
    await expectAccessible(tab, 'triage, empty');
    tab.expectClean();
  });
});

describe('SLA queues', () => {
  it('overrides the priority of a ticket due within the hour, with a reason: it leaves the queue', async () => {
    // A P1 VPN incident: its first response is due within the hour (P1: 1 h, around the clock).
    const filed = await api(ALICE, 'POST', '/tickets', { ...createTicketBody, title: 'VPN down for the Lyon office' });
    expect(filed.priority).toBe('P1');
    const tab = await harness.open(SAM, '/supervisor/sla/breaching');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'SLA due within the hour' }).waitFor();
    const ticket = card(tab, /VPN down for the Lyon office/);
    await ticket.waitFor();
    await ticket.locator('summary', { hasText: 'Change the priority' }).click();
    await expectAccessible(tab, 'due within the hour, priority form open');

    await ticket.getByLabel('Priority', { exact: true }).selectOption('P3');
    await ticket.getByRole('button', { name: 'Change the priority', exact: true }).click();
    await fieldError(ticket, 'Reason (required)').waitFor();
    expect(await fieldError(ticket, 'Reason (required)').textContent()).toContain('must not be empty');
    await ticket.getByLabel('Reason (required)', { exact: true }).fill('One user affected, the office works over 4G meanwhile');
    await ticket.getByRole('button', { name: 'Change the priority', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '“VPN down for the Lyon office” is now P3' }).waitFor();
    await card(tab, /VPN down for the Lyon office/).waitFor({ state: 'detached' });

    const now = await api(SAM, 'GET', `/tickets/${filed.id}`);
    expect(now.priority).toBe('P3');
    expect(Date.parse(now.sla.responseDue)).toBeGreaterThan(Date.parse(filed.sla.responseDue));
    const events = (await api(SAM, 'GET', `/tickets/${filed.id}/timeline?limit=500`)).items;
    expect(JSON.stringify(events)).toContain('One user affected, the office works over 4G meanwhile');
    tab.expectClean();
  });

  it('lists a ticket that breached its SLA, with the breach marked', async () => {
    // A product line whose policy wants a first response within a second: its ticket breaches for real.
    const policies = await api(ROOT, 'GET', '/admin/sla-policies');
    const fast = { responseMs: 1_000, resolutionMs: 3_600_000, calendarId: null };
    await api(ROOT, 'PUT', '/admin/sla-policies', [
      ...policies,
      { id: 'lab', name: 'Lab (fast)', productLine: 'lab', targets: { P0: fast, P1: fast, P2: fast, P3: fast }, warnAtPercent: 80, progressCadenceMs: {}, triage: { targetMs: 3_600_000, escalateTo: null } },
    ]);
    const rules = await api(ROOT, 'GET', '/admin/routing-rules');
    await api(ROOT, 'PUT', '/admin/routing-rules', [...rules, { id: 'lab', name: 'Lab to platform L2', match: { productLines: ['lab'] }, target: 'platform-l2', skills: [] }]);
    const filed = await api(ALICE, 'POST', '/tickets', { ...createTicketBody, title: 'Lab cluster unreachable', productLine: 'lab', module: undefined });
    await until(`/tickets/${filed.id}`, (t) => t.sla.responseBreached === true, 'the response deadline breaches');

    const tab = await harness.open(SAM, '/supervisor/sla/breached');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'SLA breached' }).waitFor();
    const ticket = card(tab, /Lab cluster unreachable/);
    await ticket.waitFor();
    expect(await ticket.locator('.badge-breached').first().textContent()).toBe('Breached');
    expect(await page.getByRole('navigation', { name: 'Supervision' }).getByRole('link', { name: /SLA breached \(1\)/ }).getAttribute('aria-current')).toBe('page');
    await expectAccessible(tab, 'SLA breached');
    await tab.screenshot('supervisor-sla-breached');
    tab.expectClean();
  });
});

describe('closing the loop', () => {
  let closedId: string;

  beforeAll(async () => {
    // A P1 incident resolved with a new solution and confirmed: it owes a review and leaves a knowledge draft.
    const filed = await api(ALICE, 'POST', '/tickets', { ...createTicketBody, title: 'VPN concentrator drops every tunnel at noon' });
    closedId = filed.id;
    const placed = await until(`/tickets/${filed.id}`, (t) => t.assignment.agent !== null, 'the ticket is dispatched');
    const agent: ConsoleUser = { role: 'agent', sub: placed.assignment.agent, groups: [placed.assignment.group] };
    await api(agent, 'POST', `/tickets/${filed.id}/comments`, { body: 'Looking into it now.' });
    await api(agent, 'POST', `/tickets/${filed.id}/resolve`, {
      summary: 'Concentrator idle timeout raised to 8 hours',
      rootCause: 'The concentrator closed tunnels idle for 60 minutes after a firmware update reset its settings',
      steps: 'Raised the idle timeout; restarted the tunnels',
      newKnowledge: true,
    });
    await api(ALICE, 'POST', `/tickets/${filed.id}/confirm`, {});
    await until(`/tickets/${filed.id}`, (t) => t.closure.review?.status === 'pending' && t.closure.knowledge?.kind === 'drafted', 'the closing loop owes a review and left a draft');
  });

  it('files the post-incident review: an action without an owner is refused at its field, then it is filed', async () => {
    const tab = await harness.open(SAM, '/supervisor/reviews');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'Post-incident reviews' }).waitFor();
    const ticket = card(tab, /VPN concentrator drops every tunnel at noon/);
    await ticket.waitFor();
    await ticket.locator('summary', { hasText: 'File the review' }).click();
    const form = ticket.getByRole('form', { name: /Post-incident review of/ });
    // The agent's root cause is where the review starts.
    expect(await form.getByLabel('Root cause').inputValue()).toContain('firmware update reset its settings');
    await form.getByLabel('Timeline summary').fill('11:58 tunnels drop; 12:10 ticket filed; 12:40 timeout found; 13:05 raised and tunnels back.');
    const first = form.getByRole('group', { name: 'Action 1' });
    await first.getByLabel('What is to be done').fill('Check the idle timeout after every firmware update');
    await first.getByLabel('Due date').fill('2026-12-15');
    await form.getByRole('button', { name: 'Add an action' }).click();
    const second = form.getByRole('group', { name: 'Action 2' });
    expect(await isFocused(second.getByLabel('What is to be done'))).toBe(true);
    await second.getByLabel('What is to be done').fill('Alert on mass tunnel drops');
    await second.getByLabel('Owner').fill('dina');
    await second.getByLabel('Due date').fill('2027-01-15');
    await form.getByLabel('Lessons learned').fill('Firmware updates can reset settings: compare the configuration before and after.');
    await expectAccessible(tab, 'reviews, form open');

    await form.getByRole('button', { name: 'File the review', exact: true }).click();
    await fieldError(first, 'Owner (required)').waitFor();
    expect(await fieldError(first, 'Owner (required)').textContent()).toContain('must not be empty');
    expect(await isFocused(first.getByLabel('Owner'))).toBe(true);
    await expectAccessible(tab, 'reviews, an error at an action');
    await tab.screenshot('supervisor-review');

    await first.getByLabel('Owner').fill('carl');
    await form.getByRole('button', { name: 'File the review', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'The review of “VPN concentrator drops every tunnel at noon” is filed.' }).waitFor();
    await page.getByText('No review is due.').waitFor();

    const review = (await api(SAM, 'GET', `/tickets/${closedId}`)).closure.review;
    expect(review.status).toBe('filed');
    expect(review.filed).toMatchObject({
      filedBy: 'sam',
      timelineSummary: '11:58 tunnels drop; 12:10 ticket filed; 12:40 timeout found; 13:05 raised and tunnels back.',
      actions: [
        { description: 'Check the idle timeout after every firmware update', owner: 'carl', dueDate: '2026-12-15' },
        { description: 'Alert on mass tunnel drops', owner: 'dina', dueDate: '2027-01-15' },
      ],
      lessons: 'Firmware updates can reset settings: compare the configuration before and after.',
    });
    expect(await queueCount('reviews')).toBe(0);
    tab.expectClean();
  });

  it('publishes the draft the ticket left, and rejects another with a reason (an error at the reason first)', async () => {
    const draftId = (await api(SAM, 'GET', `/tickets/${closedId}`)).closure.knowledge.articleId;
    const printer: Article = {
      ...demoArticles[0]!,
      id: 'KB-DRAFT-PRINTER',
      title: 'Printer prints blank pages',
      problem: 'Every page comes out blank.',
      symptoms: 'Blank pages, no error on the printer.',
      cause: 'Unknown',
      solution: 'Turn it off and on again.',
      tags: ['printer'],
      module: null,
      status: 'draft',
      reviewer: null,
      publishedAt: null,
    };
    await new KnowledgeStore(harness.desk.db.models).put([printer]);

    const tab = await harness.open(SAM);
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge drafts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Knowledge drafts' }).waitFor();
    await settle(page);
    const draft = card(tab, /VPN concentrator drops every tunnel at noon/);
    expect(await draft.textContent()).toContain('Concentrator idle timeout raised to 8 hours');
    expect(await draft.getByRole('link', { name: closedId }).getAttribute('href')).toBe(`/app/tickets/${closedId}`);
    await expectAccessible(tab, 'knowledge drafts');
    await tab.screenshot('supervisor-knowledge-drafts');

    await draft.getByRole('button', { name: /^Publish/ }).click();
    await page.getByRole('status').filter({ hasText: '“VPN concentrator drops every tunnel at noon” is published.' }).waitFor();
    await draft.waitFor({ state: 'detached' });
    expect(await api(SAM, 'GET', `/kb/articles/${draftId}`)).toMatchObject({ status: 'published', reviewer: 'sam' });

    const other = card(tab, /Printer prints blank pages/);
    await other.locator('summary', { hasText: 'Reject' }).click();
    await other.getByRole('button', { name: 'Reject the draft' }).click();
    await fieldError(other, 'Why is it rejected? (required)').waitFor();
    expect(await fieldError(other, 'Why is it rejected? (required)').textContent()).toContain('must not be empty');
    await other.getByLabel('Why is it rejected?').fill('No cause found: this is a workaround, not a solution.');
    await other.getByRole('button', { name: 'Reject the draft' }).click();
    await page.getByRole('status').filter({ hasText: '“Printer prints blank pages” is rejected.' }).waitFor();
    await page.getByText('No draft waits for review.').waitFor();
    expect(await api(SAM, 'GET', '/kb/articles/KB-DRAFT-PRINTER')).toMatchObject({ status: 'rejected', rejectReason: 'No cause found: this is a workaround, not a solution.' });
    tab.expectClean();
  });
});

it('keeps the supervision pages to supervisors; admins review knowledge drafts too', async () => {
  const agent = await harness.open({ role: 'agent', sub: 'ann', groups: ['network-l1'] }, '/supervisor/triage');
  await agent.page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
  expect(await agent.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' }).count()).toBe(0);
  const admin = await harness.open(ROOT, '/knowledge/drafts');
  await admin.page.getByRole('heading', { level: 1, name: 'Knowledge drafts' }).waitFor();
  expect(await admin.page.getByRole('navigation', { name: 'Supervision' }).count()).toBe(0);
  await expectAccessible(admin, 'knowledge drafts, as an admin');
  agent.expectClean();
  admin.expectClean();
});
