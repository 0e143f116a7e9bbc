// The agent workspace in a real browser against the real API and worker: the work queues with their counts, taking
// a ticket, a public reply made from an edited canned reply and an internal note (the requester's portal, in a tab
// of its own, shows the reply and never the note), files, the SLA clocks (paused while waiting on the customer),
// resolving with a knowledge article, transfer/escalation/collaborators, the keyboard-only path, text shown as text,
// and no serious or critical accessibility violation on any agent page. Every tab must end clean.
import { KnowledgeStore } from '../../store/knowledge';
import { demoArticles } from '../../stack/demo-desk';
import { settle, startConsole, tabTo, type ConsoleHarness, type ConsoleUser, type WatchedPage } from '../helpers/browser';
import { createTicketBody } from '../helpers/fixtures';

jest.setTimeout(180_000);

let harness: ConsoleHarness;
const ALICE: ConsoleUser = { role: 'requester', sub: 'alice', name: 'Alice Martin', email: 'alice@example.com' };
const CID: ConsoleUser = { role: 'agent', sub: 'cid', name: 'Cid Haddad', groups: ['network-l1'] };
const SAM: ConsoleUser = { role: 'supervisor', sub: 'sam', name: 'Sam Supervisor' };
const ROOT: ConsoleUser = { role: 'admin', sub: 'root', name: 'Root Admin' };

/** The API as someone beside the browser. */
const api = (user: ConsoleUser, method: string, path: string, body?: unknown) => harness.api(user, method, path, body);

async function expectAccessible(tab: WatchedPage, what: string) {
  expect([what, await tab.accessibilityProblems()]).toEqual([what, []]);
}

/** A VPN ticket of Alice's: network L1's, and nobody's yet (the VPN agents are away). */
const fileTicket = (overrides: Record<string, unknown> = {}) => api(ALICE, 'POST', '/tickets', { ...createTicketBody, ...overrides });

const comments = async (id: string) =>
  (await api(SAM, 'GET', `/tickets/${id}/timeline?limit=500`)).items.filter((e: { type: string }) => e.type === 'comment').map((e: { visibility: string; data: { body: string } }) => [e.visibility, e.data.body]);

beforeAll(async () => {
  harness = await startConsole('web-agent');
  await new KnowledgeStore(harness.desk.db.models).put(demoArticles);
  // Ann and Ben (network L1's VPN agents) are away: VPN tickets wait in network L1's queue with nobody on them.
  const agents = await api(ROOT, 'GET', '/admin/agents');
  await api(ROOT, 'PUT', '/admin/agents', agents.map((a: { id: string }) => (a.id === 'ann' || a.id === 'ben' ? { ...a, available: false } : a)));
}, 180_000);
afterAll(() => harness?.close());

const queueLink = (tab: WatchedPage, name: RegExp) => tab.page.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name });

describe('an agent’s ticket from the queue to its resolution', () => {
  let tab: WatchedPage;
  let id: string;

  beforeAll(async () => {
    const ticket = await fileTicket();
    id = ticket.id;
    expect(ticket.assignment).toEqual({ group: 'network-l1', agent: null });
    tab = await harness.open(CID);
  });

  it('finds it under "Unassigned in my groups", counted, next to an empty "Assigned to me"', async () => {
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
    await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
    await settle(page);
    await queueLink(tab, /^Assigned to me: 0 tickets$/).waitFor();
    await queueLink(tab, /^Unassigned in my groups: 1 ticket$/).click();
    await settle(page);
    const row = page.getByRole('row', { name: /VPN drops every hour/ });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe(id);
    expect(await row.getByRole('cell').nth(4).textContent()).toBe('Network support L1, unassigned');
    // The first response of a P1 is due within the hour: it counts down, and the ticket is in that queue too.
    expect(await row.getByRole('cell').nth(5).textContent()).toMatch(/^in \d+ min/);
    await queueLink(tab, /^SLA due within the hour: 1 ticket$/).waitFor();
    expect(await page.getByRole('columnheader', { name: /Next SLA deadline/ }).getAttribute('aria-sort')).toBe('ascending');
    await expectAccessible(tab, 'queues: unassigned');
    await tab.screenshot('agent-queues');
    // Newest first, by the other column.
    await page.getByRole('button', { name: /Opened/ }).click();
    await page.waitForURL(/sort=created/);
    await settle(page);
    expect(await page.getByRole('columnheader', { name: /Opened/ }).getAttribute('aria-sort')).toBe('descending');
    tab.expectClean();
  });

  it('opens it, takes it, and the queues count it as the agent’s own without a reload', async () => {
    const { page } = tab;
    await page.getByRole('row', { name: /VPN drops every hour/ }).getByRole('link', { name: 'VPN drops every hour' }).click();
    await page.waitForURL(`**/app/tickets/${id}`);
    await page.getByRole('heading', { level: 1, name: 'VPN drops every hour' }).waitFor();
    await settle(page);
    const stored = await api(SAM, 'GET', `/tickets/${id}`);
    expect(await page.getByRole('link', { name: /Workflow in the Temporal UI/ }).getAttribute('href')).toBe(stored.temporal.uiUrl);
    expect(await page.locator('.meta').textContent()).toContain('unassigned');
    await page.getByRole('button', { name: 'Take it' }).click();
    await page.getByRole('status').filter({ hasText: 'The ticket is assigned to you.' }).waitFor();
    expect(await page.locator('.meta').textContent()).toContain('assigned to you');
    expect((await api(SAM, 'GET', `/tickets/${id}`)).assignment).toEqual({ group: 'network-l1', agent: 'cid' });
    expect(await page.locator('.timeline').textContent()).toContain('Reassigned to Network support L1, Cid Haddad');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
    await settle(page);
    await queueLink(tab, /^Assigned to me: 1 ticket$/).waitFor();
    await queueLink(tab, /^Unassigned in my groups: 0 tickets$/).waitFor();
    await queueLink(tab, /^Assigned to me/).click();
    await page.getByRole('row', { name: /VPN drops every hour/ }).getByRole('link', { name: 'VPN drops every hour' }).click();
    await page.waitForURL(`**/app/tickets/${id}`);
    await settle(page);
    tab.expectClean();
  });

  it('replies with a canned reply edited before sending, and adds an internal note the requester never sees', async () => {
    const { page } = tab;
    const composer = page.getByRole('form', { name: 'Reply or note' });
    await composer.getByLabel('Canned reply').selectOption({ label: 'VPN: update the client to 5.2' });
    await composer.getByRole('button', { name: 'Insert' }).click();
    const message = composer.getByLabel('Message');
    const canned = await message.inputValue();
    expect(canned).toContain('Version 5.2 of the VPN client keeps the tunnel alive');
    await message.fill(`Hello Alice,\n\n${canned.replace('let us know', 'tell me here')}`);
    expect(await composer.getByText('Public reply: the requester sees it').isVisible()).toBe(true);
    await composer.getByRole('button', { name: 'Send public reply' }).click();
    await page.getByRole('status').filter({ hasText: 'Your public reply was sent.' }).waitFor();
    expect(await message.inputValue()).toBe('');
    const reply = page.locator('.timeline .message-public').last();
    expect(await reply.locator('.kind').textContent()).toBe('Public reply');
    expect(await reply.locator('.message-body').textContent()).toContain('Hello Alice,');

    await composer.getByRole('radio', { name: 'Internal note' }).check();
    expect(await composer.getAttribute('class')).toContain('composer-internal');
    expect(await composer.getByText('Internal note: only staff see it').isVisible()).toBe(true);
    await message.fill('INTERNAL: she still runs the 4.x client, the update fixes it.');
    await composer.getByRole('button', { name: 'Add internal note' }).click();
    await page.getByRole('status').filter({ hasText: 'Your internal note was added.' }).waitFor();
    const note = page.locator('.timeline .message-internal').last();
    expect(await note.locator('.kind').textContent()).toBe('Internal note');
    expect(await note.locator('.message-body').textContent()).toBe('INTERNAL: she still runs the 4.x client, the update fixes it.');
    // The first public reply met the response target.
    expect(await page.locator('.clock-met .clock-text').textContent()).toMatch(/^Met: first reply/);
    await expectAccessible(tab, 'agent ticket page with a reply and a note');
    await tab.screenshot('agent-ticket');

    expect(await comments(id)).toEqual([
      ['public', expect.stringContaining('Hello Alice,\n\nThese disconnects come from an idle timeout')],
      ['internal', 'INTERNAL: she still runs the 4.x client, the update fixes it.'],
    ]);
    expect((await comments(id))[0][1]).toContain('tell me here');

    // The requester, in her own tab: the reply, never the note.
    const portal = await harness.open(ALICE, `/tickets/${id}`);
    await portal.page.locator('.conversation').getByText('Hello Alice,', { exact: false }).waitFor();
    expect(await portal.page.locator('body').textContent()).not.toContain('INTERNAL');
    expect(await portal.page.getByRole('link', { name: /Temporal/ }).count()).toBe(0);
    portal.expectClean();
    tab.expectClean();
  });

  it('sends a file with a note and downloads it again', async () => {
    const { page } = tab;
    const composer = page.getByRole('form', { name: 'Reply or note' });
    await composer.getByRole('radio', { name: 'Internal note' }).check();
    await composer.getByLabel('Attach files').setInputFiles({ name: 'vpn-client.log', mimeType: 'text/plain', buffer: Buffer.from('12:00 tunnel up\n13:00 idle timeout\n') });
    await composer.getByText('vpn-client.log').waitFor();
    await composer.getByLabel('Message').fill('Client log attached.');
    await composer.getByRole('button', { name: 'Add internal note' }).click();
    await page.getByRole('status').filter({ hasText: 'Your internal note was added.' }).waitFor();
    const note = page.locator('.timeline .message-internal').last();
    const [download] = await Promise.all([page.waitForEvent('download'), note.getByRole('button', { name: 'Download vpn-client.log' }).click()]);
    expect(download.suggestedFilename()).toBe('vpn-client.log');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('12:00 tunnel up\n13:00 idle timeout\n');
    expect((await api(SAM, 'GET', `/tickets/${id}`)).attachments).toEqual([expect.objectContaining({ name: 'vpn-client.log', type: 'text/plain', size: 35, visibility: 'internal' })]);
    // Files of internal notes are the staff's: the requester's view of the ticket does not list it.
    expect((await api(ALICE, 'GET', `/tickets/${id}`)).attachments).toEqual([]);
    tab.expectClean();
  });

  it('waits on the customer (the resolution clock pauses), works again, and resolves with a knowledge article', async () => {
    const { page } = tab;
    const clock = page.locator('.clock', { has: page.getByText('Resolution', { exact: true }) }).locator('.clock-text');
    expect(await clock.textContent()).toMatch(/^Due in \d/);
    await page.getByRole('button', { name: 'Wait on customer' }).click();
    await page.getByRole('status').filter({ hasText: 'the resolution clock is paused' }).waitFor();
    expect(await clock.textContent()).toBe('Paused: waiting on the customer');
    expect(await clock.getAttribute('data-clock')).toBe('paused');
    await page.getByRole('button', { name: 'Set in progress' }).click();
    await page.getByRole('status').filter({ hasText: 'The ticket is in progress.' }).waitFor();
    expect(await clock.textContent()).toMatch(/^Due in \d/);

    await page.locator('summary', { hasText: 'Resolve' }).click();
    const form = page.getByRole('form', { name: 'Resolve the ticket' });
    await form.getByLabel('Summary').fill('VPN client updated to 5.2');
    await form.getByLabel('Root cause').fill('Idle timeout of 60 min on the gateway');
    await form.getByLabel('Steps taken').fill('Installed client 5.2, watched the tunnel for a day');
    // Linking needs an article: the API says so at the knowledge choice.
    await form.getByRole('button', { name: 'Resolve the ticket' }).click();
    await form.locator('.knowledge .field-error').waitFor();
    expect(await form.locator('.knowledge .field-error').textContent()).toContain('Choose an article to link, or mark the solution as new.');
    await expectAccessible(tab, 'resolve form with an error');
    await form.getByLabel('Search the knowledge base').fill('vpn disconnects');
    await form.getByRole('radio', { name: /VPN disconnects about every hour/ }).check();
    await form.getByRole('button', { name: 'Resolve the ticket' }).click();
    await page.getByRole('status').filter({ hasText: 'The ticket is resolved' }).waitFor();
    expect(await page.locator('.meta .badge').first().textContent()).toBe('resolved');
    expect(await clock.textContent()).toBe('Paused: awaiting the requester’s confirmation');
    const resolved = await api(SAM, 'GET', `/tickets/${id}`);
    expect(resolved.resolution).toMatchObject({ summary: 'VPN client updated to 5.2', kbArticleId: 'KB-DEMO-VPN', newKnowledge: false, resolvedBy: 'cid' });
    expect(await page.getByRole('form', { name: 'Resolve the ticket' }).count()).toBe(0);
    await expectAccessible(tab, 'resolved ticket');
    tab.expectClean();
  });
});

it('adds a collaborator, and escalates with a reason: the ticket leaves the agent’s view', async () => {
  const ticket = await fileTicket({ title: 'VPN gateway refuses new tunnels' });
  const tab = await harness.open(CID, `/tickets/${ticket.id}`);
  const { page } = tab;
  await page.locator('summary', { hasText: 'Add a collaborator' }).click();
  const collab = page.getByRole('form', { name: 'Add a collaborator' });
  await collab.getByLabel('Agent').selectOption({ label: 'Dina Kowalski (Network architects L3)' });
  await collab.getByRole('button', { name: 'Add collaborator' }).click();
  await page.getByRole('status').filter({ hasText: 'Dina Kowalski is a collaborator now.' }).waitFor();
  expect(await page.locator('.timeline').textContent()).toContain('Dina Kowalski was added as a collaborator.');

  await page.locator('summary', { hasText: 'Escalate' }).click();
  const escalation = page.getByRole('form', { name: 'Escalate' });
  await escalation.getByRole('button', { name: 'Escalate' }).click();
  await escalation.locator('.field-error').first().waitFor();
  expect(await escalation.getByLabel('Why escalate?').getAttribute('aria-invalid')).toBe('true');
  expect(await escalation.getByLabel('To group').locator('option').first().textContent()).toBe('The escalation target: Network engineering L2');
  await expectAccessible(tab, 'escalate form with an error');
  await escalation.getByLabel('Why escalate?').fill('The gateway logs need L2 access');
  await escalation.getByRole('button', { name: 'Escalate' }).click();
  await page.getByRole('status').filter({ hasText: 'The ticket is escalated.' }).waitFor();
  const stored = await api(SAM, 'GET', `/tickets/${ticket.id}`);
  expect(stored).toMatchObject({ tier: 2, assignment: { group: 'network-l2' }, collaborators: ['dina'] });
  // Cid is in neither network L2 nor a collaborator: the page says so at its next look.
  await page.getByRole('alert').filter({ hasText: 'This ticket is no longer in your view' }).waitFor();
  tab.expectClean();
});

it('transfers a ticket to another group', async () => {
  const ticket = await fileTicket({ title: 'Invoice portal slow over VPN' });
  const tab = await harness.open(CID, `/tickets/${ticket.id}`);
  const { page } = tab;
  await page.locator('summary', { hasText: 'Transfer to another group' }).click();
  const form = page.getByRole('form', { name: 'Transfer to another group' });
  await form.getByLabel('Group').selectOption({ label: 'Billing support L1 (tier 1)' });
  await form.getByLabel('Reason (optional)').fill('An invoicing question after all');
  await form.getByRole('button', { name: 'Transfer' }).click();
  await page.getByRole('status').filter({ hasText: 'The ticket is transferred to Billing support L1.' }).waitFor();
  expect((await api(SAM, 'GET', `/tickets/${ticket.id}`)).assignment.group).toBe('billing-l1');
  tab.expectClean();
});

it('works with the keyboard alone: open a queue item, reply publicly, add an internal note, resolve', async () => {
  const ticket = await fileTicket({ title: 'VPN client crashes at start' });
  const tab = await harness.open(CID);
  const { page } = tab;
  const { keyboard } = page;
  await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }));
  await keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
  await settle(page);
  await tabTo(page, queueLink(tab, /^Unassigned in my groups/));
  await keyboard.press('Enter');
  await page.waitForURL(/queue=unassigned/);
  await settle(page);
  await tabTo(page, page.getByRole('link', { name: 'VPN client crashes at start' }));
  await keyboard.press('Enter');
  await page.waitForURL(`**/app/tickets/${ticket.id}`);
  await settle(page);

  await tabTo(page, page.getByLabel('Message'), 120);
  await keyboard.type('We are on it: please send the crash report.');
  await tabTo(page, page.getByRole('button', { name: 'Send public reply' }));
  await keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Your public reply was sent.' }).waitFor();

  await tabTo(page, page.getByRole('radio', { name: 'Public reply' }), 120);
  await keyboard.press('ArrowRight'); // the next radio of the group: Internal note
  expect(await page.getByRole('radio', { name: 'Internal note' }).isChecked()).toBe(true);
  await tabTo(page, page.getByLabel('Message'));
  await keyboard.type('Crash dump points at the 4.x driver.');
  await tabTo(page, page.getByRole('button', { name: 'Add internal note' }));
  await keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Your internal note was added.' }).waitFor();

  await tabTo(page, page.locator('summary', { hasText: 'Resolve' }), 120);
  await keyboard.press('Enter');
  await tabTo(page, page.getByLabel('Summary'));
  await keyboard.type('Driver reinstalled');
  await keyboard.press('Tab');
  await keyboard.type('Corrupt 4.x driver');
  await keyboard.press('Tab');
  await keyboard.type('Removed the 4.x driver, installed 5.2');
  await tabTo(page, page.getByRole('radio', { name: 'Link a knowledge article' }));
  await keyboard.press('ArrowRight'); // "The solution is new"
  expect(await page.getByRole('radio', { name: /The solution is new/ }).isChecked()).toBe(true);
  await tabTo(page, page.getByRole('button', { name: 'Resolve the ticket' }));
  await keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'The ticket is resolved' }).waitFor();
  expect(await comments(ticket.id)).toEqual([
    ['public', 'We are on it: please send the crash report.'],
    ['internal', 'Crash dump points at the 4.x driver.'],
  ]);
  expect((await api(SAM, 'GET', `/tickets/${ticket.id}`)).resolution).toMatchObject({ summary: 'Driver reinstalled', newKnowledge: true, kbArticleId: null });
  tab.expectClean();
});

it('shows what people type as text on the agent’s pages: a ticket, names, a comment and a note written as HTML run nothing', async () => {
  const PROBE = '<img src=x onerror=alert(1)>';
  const mallory: ConsoleUser = { role: 'requester', sub: 'mallory', name: `Mal ${PROBE}` };
  const ticket = await api(mallory, 'POST', '/tickets', { ...createTicketBody, title: `VPN ${PROBE}`, description: `${PROBE} in the description`, fields: { ...createTicketBody.fields, symptom: PROBE } });
  await api(mallory, 'POST', `/tickets/${ticket.id}/comments`, { body: `<script>alert(2)</script>` });
  await api(SAM, 'POST', `/tickets/${ticket.id}/comments`, { body: PROBE, visibility: 'internal' });
  const tab = await harness.open(CID, '/queues?queue=unassigned');
  const { page } = tab;
  await page.getByRole('link', { name: `VPN ${PROBE}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `VPN ${PROBE}` }).waitFor();
  await settle(page);
  expect(await page.getByText(`${PROBE} in the description`).isVisible()).toBe(true);
  expect(await page.locator('.message-requester .message-body').last().textContent()).toBe('<script>alert(2)</script>');
  expect(await page.locator('.message-internal .message-body').last().textContent()).toBe(PROBE);
  expect(await page.locator('.facts').first().textContent()).toContain(`Mal ${PROBE}`);
  expect(await page.locator('main img, main script').count()).toBe(0);
  tab.expectClean(); // an alert would be recorded as a dialog
});

it('opens the same pages for supervisors and, read-only, for admins', async () => {
  const ticket = await fileTicket({ title: 'VPN slow from the Lyon office' });
  const sam = await harness.open(SAM, `/tickets/${ticket.id}`);
  await sam.page.getByRole('form', { name: 'Reply or note' }).waitFor();
  expect(await sam.page.getByRole('button', { name: 'Take it' }).count()).toBe(0); // supervisors assign from their own pages
  await expectAccessible(sam, 'ticket page, supervisor');
  await sam.goto('/queues');
  await queueLink(sam, /^Needs triage/).waitFor();
  await expectAccessible(sam, 'queues, supervisor');
  sam.expectClean();

  const root = await harness.open(ROOT, `/tickets/${ticket.id}`);
  await root.page.getByText('Admins read tickets here').waitFor();
  expect(await root.page.getByRole('form', { name: 'Reply or note' }).count()).toBe(0);
  await expectAccessible(root, 'ticket page, admin');
  root.expectClean();
});
