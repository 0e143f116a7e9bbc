// The requester portal in a real browser against the real API and worker: filing a ticket from its template
// (an error shown at its field, then success), "my tickets", the public conversation (never an internal note),
// replying, confirming a resolution and rating it, self-service, the keyboard-only path, and no serious or
// critical accessibility violation on any page. Every tab must end clean: no console error, CSP violation or dialog.
import { KnowledgeStore } from '../../store/knowledge';
import { demoArticles } from '../../stack/demo-desk';
import { settle, startConsole, tabTo, type ConsoleHarness, type ConsoleUser, type WatchedPage } from '../helpers/browser';
import { createTicketBody } from '../helpers/fixtures';

jest.setTimeout(120_000);

let harness: ConsoleHarness;
const ALICE: ConsoleUser = { role: 'requester', sub: 'alice', name: 'Alice Martin', email: 'alice@example.com' };

beforeAll(async () => {
  harness = await startConsole('web-portal');
  await new KnowledgeStore(harness.desk.db.models).put(demoArticles);
}, 120_000);
afterAll(() => harness?.close());

/** The API as someone beside the browser: an agent answering, resolving. */
const api = (user: ConsoleUser, method: string, path: string, body?: unknown) => harness.api(user, method, path, body);

/** The agent the ticket went to, as a console user with their groups. */
async function assignee(id: string): Promise<ConsoleUser> {
  const staff: ConsoleUser = { role: 'supervisor', sub: 'sam', name: 'Sam Supervisor' };
  const ticket = await api(staff, 'GET', `/tickets/${id}`);
  return { role: 'agent', sub: ticket.assignment.agent, groups: [ticket.assignment.group] };
}

async function expectAccessible(tab: WatchedPage, what: string) {
  expect([what, await tab.accessibilityProblems()]).toEqual([what, []]);
}

const fieldError = (tab: WatchedPage, label: string) => tab.page.locator('.field', { has: tab.page.getByLabel(label) }).locator('.field-error');

describe('a requester’s ticket from filing to rating', () => {
  let tab: WatchedPage;
  let id: string;

  beforeAll(async () => {
    tab = await harness.open(ALICE);
  });

  it('starts on an empty "My tickets"', async () => {
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    expect(await page.getByText('You have no open tickets.').isVisible()).toBe(true);
    expect(await page.locator('.who').textContent()).toContain('Alice Martin');
    await expectAccessible(tab, 'my tickets, empty');
    tab.expectClean();
  });

  it('files a ticket from its template: knowledge suggestions while typing, an error at its field, then success', async () => {
    const { page } = tab;
    await page.getByRole('main').getByRole('link', { name: 'New ticket' }).click();
    await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
    await settle(page);
    await page.getByLabel('What kind of request is it?').selectOption('incident');
    expect(await page.getByLabel('What kind of request is it?').getAttribute('aria-describedby')).toBeTruthy(); // the template's description
    await page.getByLabel('Which area is it about?').selectOption('network');
    await page.getByLabel('Title').fill('VPN drops every hour');
    await page.getByLabel('Description').fill('Since Monday the VPN client disconnects about every hour and needs a restart.');
    // The incident template's facts; "When it started" (required) is left out on purpose.
    await page.getByLabel('What you see').fill('Tunnel drops, the client says "peer unreachable"');
    await page.getByLabel('Users affected').fill('3');
    const suggestions = page.getByRole('complementary', { name: 'Articles that may solve it' });
    await suggestions.getByRole('heading', { name: 'VPN disconnects about every hour' }).waitFor();

    await page.getByRole('button', { name: 'File the ticket' }).click();
    await fieldError(tab, 'When it started').waitFor();
    expect(await fieldError(tab, 'When it started').textContent()).toContain('When it started is required for Incident');
    expect(await page.getByLabel('When it started').getAttribute('aria-invalid')).toBe('true');
    // The keyboard is taken to the field to correct.
    expect(await page.getByLabel('When it started').evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)).toBe(true);
    expect(await page.getByRole('alert').first().textContent()).toContain('Please correct the field marked below');
    await expectAccessible(tab, 'new ticket, with an error and suggestions');
    await tab.screenshot('portal-new-ticket');

    await page.getByLabel('When it started').fill('2026-11-23');
    await page.getByRole('button', { name: 'File the ticket' }).click();
    await page.waitForURL(/\/app\/tickets\/[0-9A-Z]{10}\?filed=1$/);
    id = /tickets\/([0-9A-Z]{10})/.exec(page.url())![1]!;
    await page.getByRole('heading', { level: 1, name: 'VPN drops every hour' }).waitFor();
    await settle(page);
    expect(await page.getByRole('status').filter({ hasText: 'Your ticket was filed' }).textContent()).toContain(id);
    const stored = await api(ALICE, 'GET', `/tickets/${id}`);
    expect(stored).toMatchObject({ channel: 'portal', productLine: 'network', problemType: 'incident', fields: { occurredAt: '2026-11-23', usersAffected: 3 }, requester: { id: 'alice', name: 'Alice Martin' } });
    tab.expectClean();
  });

  it('lists it under "My tickets" and opens it from there', async () => {
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My tickets' }).click();
    await settle(page);
    const row = page.getByRole('row', { name: /VPN drops every hour/ });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe(id);
    await expectAccessible(tab, 'my tickets, one ticket');
    await tab.screenshot('portal-my-tickets');
    await row.getByRole('link', { name: 'VPN drops every hour' }).click();
    await page.waitForURL(`**/app/tickets/${id}`);
    await settle(page);
    tab.expectClean();
  });

  it('shows the public conversation only and takes a reply', async () => {
    const { page } = tab;
    const agent = await assignee(id);
    await api(agent, 'POST', `/tickets/${id}/comments`, { body: 'INTERNAL NOTE: she runs the old 4.x client', visibility: 'internal' });
    await api(agent, 'POST', `/tickets/${id}/comments`, { body: 'Please update your VPN client to 5.2.' });
    await tab.goto(`/tickets/${id}`);
    const conversation = page.locator('.conversation');
    await conversation.getByText('Please update your VPN client to 5.2.').waitFor();
    expect(await page.locator('body').textContent()).not.toContain('INTERNAL NOTE');

    await page.getByLabel('Your reply').fill('Updated to 5.2, I will watch it today.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('status').filter({ hasText: 'Your reply was sent.' }).waitFor();
    expect(await conversation.locator('.message-mine').last().textContent()).toContain('Updated to 5.2, I will watch it today.');
    expect(await page.getByLabel('Your reply').inputValue()).toBe('');
    const timeline = await api(ALICE, 'GET', `/tickets/${id}/timeline`);
    expect(timeline.items.filter((e: { type: string }) => e.type === 'comment').map((e: { data: { body: string } }) => e.data.body)).toEqual([
      'Please update your VPN client to 5.2.',
      'Updated to 5.2, I will watch it today.',
    ]);
    await expectAccessible(tab, 'ticket page, in progress');
    tab.expectClean();
  });

  it('confirms the resolution the agent gave, and rates it while the survey is open', async () => {
    const { page } = tab;
    const agent = await assignee(id);
    await api(agent, 'POST', `/tickets/${id}/resolve`, { summary: 'VPN client updated to 5.2', rootCause: 'X-ROOT-CAUSE idle timeout', steps: 'Install the 5.2 client', kbArticleId: 'KB-DEMO-VPN' });
    await tab.goto(`/tickets/${id}`);
    const panel = page.getByRole('region', { name: 'Is your problem solved?' });
    await panel.waitFor();
    expect(await panel.textContent()).toContain('VPN client updated to 5.2');
    expect(await page.locator('body').textContent()).not.toContain('X-ROOT-CAUSE');
    await expectAccessible(tab, 'ticket page, resolved');
    await tab.screenshot('portal-ticket-resolved');

    await panel.getByRole('button', { name: 'Yes, it is solved' }).click();
    await page.getByRole('status').filter({ hasText: 'the ticket is closed' }).waitFor();
    expect(await page.locator('.meta .badge').textContent()).toBe('Closed');

    const rating = page.getByRole('region', { name: 'How did we do?' });
    await rating.getByRole('button', { name: 'Send rating' }).click();
    expect(await rating.locator('.field-error').textContent()).toContain('Choose a rating from 1 to 5');
    await rating.getByRole('radio', { name: '4' }).check();
    await rating.getByLabel('Anything to add? (optional)').fill('Quick and clear.');
    await expectAccessible(tab, 'ticket page, closed with the survey open');
    await rating.getByRole('button', { name: 'Send rating' }).click();
    await page.getByText('You rated this ticket 4 out of 5: “Quick and clear.”').waitFor();
    expect((await api(ALICE, 'GET', `/tickets/${id}`)).csat).toMatchObject({ score: 4, comment: 'Quick and clear.' });
    expect(await page.getByLabel('Your reply').count()).toBe(0);
    await tab.screenshot('portal-ticket-closed');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My tickets' }).click();
    await settle(page);
    expect(await page.getByText('You have no open tickets.').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Closed', exact: true }).click();
    await settle(page);
    expect(await page.getByRole('row', { name: /VPN drops every hour/ }).getByText('Closed').isVisible()).toBe(true);
    tab.expectClean();
  });
});

describe('what else a requester can do on a ticket', () => {
  it('rejects a resolution with a reason (an error at the reason first), and withdraws a ticket', async () => {
    const bob: ConsoleUser = { role: 'requester', sub: 'bob', name: 'Bob Stone' };
    const ticket = await api(bob, 'POST', '/tickets', createTicketBody);
    const agent = await assignee(ticket.id);
    await api(agent, 'POST', `/tickets/${ticket.id}/resolve`, { summary: 'Restarted the concentrator', rootCause: 'r', steps: 'restart', newKnowledge: true });
    const tab = await harness.open(bob, `/tickets/${ticket.id}`);
    const { page } = tab;
    const panel = page.getByRole('region', { name: 'Is your problem solved?' });
    await panel.getByRole('button', { name: 'No, it is not solved' }).click();
    await panel.getByRole('button', { name: 'Reopen the ticket' }).click();
    await fieldError(tab, 'What is still wrong?').waitFor();
    expect(await fieldError(tab, 'What is still wrong?').textContent()).toContain('must not be empty');
    await panel.getByLabel('What is still wrong?').fill('It dropped again at 14:00.');
    await panel.getByRole('button', { name: 'Reopen the ticket' }).click();
    await page.getByRole('status').filter({ hasText: 'The ticket is open again' }).waitFor();
    expect(await page.locator('.meta .badge').textContent()).toBe('In progress');
    expect(await page.locator('.conversation').textContent()).toContain('Reopened: It dropped again at 14:00.');

    await page.getByText('Withdraw this ticket', { exact: true }).click();
    await page.getByLabel('Why do you withdraw it?').fill('Our network team fixed it.');
    await page.getByRole('button', { name: 'Withdraw the ticket' }).click();
    await page.getByRole('status').filter({ hasText: 'The ticket is withdrawn.' }).waitFor();
    expect(await page.locator('.meta .badge').textContent()).toBe('Cancelled');
    expect((await api(bob, 'GET', `/tickets/${ticket.id}`)).status).toBe('cancelled');
    tab.expectClean();
  });

  it('solves a filed ticket by self-service with an article its intake suggested', async () => {
    const carol: ConsoleUser = { role: 'requester', sub: 'carol', name: 'Carol Diaz' };
    const ticket = await api(carol, 'POST', '/tickets', createTicketBody);
    expect(ticket.suggestions.map((s: { articleId: string }) => s.articleId)).toContain('KB-DEMO-VPN');
    const tab = await harness.open(carol, `/tickets/${ticket.id}`);
    const { page } = tab;
    const offered = page.getByRole('region', { name: 'Did one of these solve it?' });
    await offered.getByRole('link', { name: 'VPN disconnects about every hour' }).click();
    await page.getByRole('heading', { level: 1, name: 'VPN disconnects about every hour' }).waitFor();
    await settle(page);
    expect(await page.getByText('Update the VPN client to 5.2 or later').isVisible()).toBe(true);
    await expectAccessible(tab, 'knowledge article');
    await page.getByRole('button', { name: 'Back' }).click();
    await offered.getByRole('button', { name: /This solved it \(“VPN disconnects about every hour”\)/ }).click();
    await page.getByRole('status').filter({ hasText: 'helped: the ticket is closed' }).waitFor();
    const closed = await api(carol, 'GET', `/tickets/${ticket.id}`);
    expect(closed.status).toBe('closed');
    expect(await page.locator('.conversation').textContent()).toContain('Solved with the article “VPN disconnects about every hour”.');
    tab.expectClean();
  });

  it('files nothing when a suggestion solves it before filing', async () => {
    const dave: ConsoleUser = { role: 'requester', sub: 'dave', name: 'Dave Moss' };
    const tab = await harness.open(dave, '/tickets/new');
    const { page } = tab;
    await page.getByLabel('Title').fill('VPN disconnects every hour');
    const suggestions = page.getByRole('complementary', { name: 'Articles that may solve it' });
    await suggestions.getByRole('button', { name: /This solved it: I need no ticket \(“VPN disconnects about every hour”\)/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Glad it helped' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('no ticket was filed');
    expect((await api(dave, 'GET', '/tickets')).items).toEqual([]);
    tab.expectClean();
  });
});

it('works with the keyboard alone: file, open, reply, confirm', async () => {
  const erin: ConsoleUser = { role: 'requester', sub: 'erin', name: 'Erin Keys' };
  const tab = await harness.open(erin);
  const { page } = tab;
  const { keyboard } = page;
  await tabTo(page, page.getByRole('main').getByRole('link', { name: 'New ticket' }));
  await keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
  await settle(page);
  await tabTo(page, page.getByLabel('What kind of request is it?'));
  await keyboard.type('Inc'); // type-ahead in a closed select picks "Incident"
  await keyboard.press('Tab'); // the area
  await keyboard.type('Bil');
  await keyboard.press('Tab');
  await keyboard.type('Invoice total is wrong');
  await keyboard.press('Tab');
  await keyboard.type('The November invoice counts 12 seats, we have 10.');
  await keyboard.press('Tab');
  await keyboard.type('Invoice total does not match the seats');
  await keyboard.press('Tab');
  await keyboard.type('11232026'); // "When it started", a date field: mm/dd/yyyy (the browser runs with --lang=en-US)
  await tabTo(page, page.getByRole('button', { name: 'File the ticket' }));
  await keyboard.press('Enter');
  await page.waitForURL(/\/app\/tickets\/[0-9A-Z]{10}\?filed=1$/);
  const id = /tickets\/([0-9A-Z]{10})/.exec(page.url())![1]!;
  expect(await api(erin, 'GET', `/tickets/${id}`)).toMatchObject({ productLine: 'billing', fields: { occurredAt: '2026-11-23' } });

  await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My tickets' }));
  await keyboard.press('Enter');
  await settle(page);
  await tabTo(page, page.getByRole('link', { name: 'Invoice total is wrong' }));
  await keyboard.press('Enter');
  await page.waitForURL(`**/app/tickets/${id}`);
  await settle(page);
  await tabTo(page, page.getByLabel('Your reply'));
  await keyboard.type('Attaching nothing, the invoice number is 2026-11-0042.');
  await tabTo(page, page.getByRole('button', { name: 'Send reply' })); // past the file field
  await keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Your reply was sent.' }).waitFor();

  const agent = await assignee(id);
  await api(agent, 'POST', `/tickets/${id}/resolve`, { summary: 'Credit note issued for 2 seats', rootCause: 'r', steps: 'credit note', newKnowledge: true });
  await page.reload();
  await settle(page);
  await tabTo(page, page.getByRole('button', { name: 'Yes, it is solved' }));
  await keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'the ticket is closed' }).waitFor();
  expect((await api(erin, 'GET', `/tickets/${id}`)).status).toBe('closed');
  tab.expectClean();
});

it('shows what people type as text: a ticket, a comment and an article written as HTML run nothing', async () => {
  const PROBE = '<img src=x onerror=alert(1)>';
  await new KnowledgeStore(harness.desk.db.models).put([
    { ...demoArticles[0]!, id: 'KB-XSS', title: `Printer jam ${PROBE}`, problem: `Paper jams ${PROBE}`, solution: `Open tray 2 <script>alert(2)</script>`, tags: ['printer'], module: null },
  ]);
  const mallory: ConsoleUser = { role: 'requester', sub: 'mallory', name: `Mal ${PROBE}` };
  const ticket = await api(mallory, 'POST', '/tickets', { ...createTicketBody, title: PROBE, description: `${PROBE} in the description` });
  await api(mallory, 'POST', `/tickets/${ticket.id}/comments`, { body: PROBE });
  const tab = await harness.open(mallory);
  const { page } = tab;
  await page.getByRole('link', { name: PROBE, exact: true }).waitFor();
  expect(await page.locator('.who').textContent()).toContain(`Mal ${PROBE}`);
  await page.getByRole('link', { name: PROBE, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: PROBE }).waitFor();
  await settle(page);
  expect(await page.locator('.message-body').first().textContent()).toBe(PROBE);
  expect(await page.getByText(`${PROBE} in the description`).isVisible()).toBe(true);

  await tab.goto('/tickets/new');
  await page.getByLabel('Title').fill('printer paper jam');
  const suggestions = page.getByRole('complementary', { name: 'Articles that may solve it' });
  await suggestions.getByRole('heading', { name: `Printer jam ${PROBE}` }).waitFor();
  await suggestions.getByText('Read the solution').click();
  expect(await suggestions.getByText('Open tray 2 <script>alert(2)</script>').isVisible()).toBe(true);

  expect(await page.locator('img, script:not([src])').count()).toBe(0);
  tab.expectClean(); // a dialog (alert) would be recorded here
});
