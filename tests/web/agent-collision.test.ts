// Two agents on one ticket, in two browser contexts: each sees the other (presence, "writing a reply") and sees the
// other leave at once (another page, a closed tab: DELETE /tickets/{id}/presence); a change sent
// on a view that has moved on is refused (412), shown with what changed since, and sent anyway or revised; an open
// ticket page and the queues update live (polling with If-None-Match), and polling stops while the tab is hidden
// and when the page is left. Waits are for conditions on the page, never fixed sleeps.
import type { Page, Response } from 'playwright-core';
import { settle, startConsole, type ConsoleHarness, type ConsoleUser, type WatchedPage } from '../helpers/browser';
import { createTicketBody } from '../helpers/fixtures';

jest.setTimeout(180_000);

let harness: ConsoleHarness;
const ALICE: ConsoleUser = { role: 'requester', sub: 'alice', name: 'Alice Martin', email: 'alice@example.com' };
// Both of network L1: a VPN ticket is in both their views.
const CID: ConsoleUser = { role: 'agent', sub: 'cid', name: 'Cid Haddad', groups: ['network-l1'] };
const ANN: ConsoleUser = { role: 'agent', sub: 'ann', name: 'Ann Lee', groups: ['network-l1'] };
const SAM: ConsoleUser = { role: 'supervisor', sub: 'sam', name: 'Sam Supervisor' };

const api = (user: ConsoleUser, method: string, path: string, body?: unknown) => harness.api(user, method, path, body);

async function expectAccessible(tab: WatchedPage, what: string) {
  expect([what, await tab.accessibilityProblems()]).toEqual([what, []]);
}

const comments = async (id: string) =>
  (await api(SAM, 'GET', `/tickets/${id}/timeline?limit=500`)).items.filter((e: { type: string }) => e.type === 'comment').map((e: { actor: { id: string }; visibility: string; data: { body: string } }) => [e.actor.id, e.visibility, e.data.body]);

/** Every answer the tab got from the ticket's routes, as "METHOD path status". */
function record(page: Page, id: string): string[] {
  const seen: string[] = [];
  page.on('response', (res: Response) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith(`/tickets/${id}`)) seen.push(`${res.request().method()} ${url.pathname} ${res.status()}`);
  });
  return seen;
}

/** Requests the tab sends to the ticket's routes (polling, presence), counted from now on. */
function requests(page: Page, id: string): string[] {
  const sent: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith(`/tickets/${id}`)) sent.push(`${req.method()} ${url.pathname}`);
  });
  return sent;
}

/** Waits for a condition the test observes outside the page (answers it recorded), checking it every 100 ms. */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate((value) => {
    const doc = (globalThis as unknown as { document: { dispatchEvent(e: unknown): boolean } }).document;
    Object.defineProperty(doc, 'visibilityState', { value, configurable: true });
    doc.dispatchEvent(new (globalThis as unknown as { Event: new (type: string) => unknown }).Event('visibilitychange'));
  }, state);

beforeAll(async () => {
  harness = await startConsole('web-agents');
}, 180_000);
afterAll(() => harness?.close());

describe('two agents on one ticket', () => {
  let id: string;
  let a: WatchedPage;
  let b: WatchedPage;

  beforeAll(async () => {
    id = (await api(ALICE, 'POST', '/tickets', createTicketBody)).id;
    a = await harness.open(CID, `/tickets/${id}`);
    b = await harness.open(ANN, `/tickets/${id}`);
  });

  it('each sees the other, and sees when the other is writing', async () => {
    const presenceOf = (tab: WatchedPage) => tab.page.locator('.presence');
    await presenceOf(a).getByText('Ann Lee (agent, viewing)').waitFor();
    await presenceOf(b).getByText('Cid Haddad (agent, viewing)').waitFor();
    await b.page.getByRole('form', { name: 'Reply or note' }).getByLabel('Message').fill('Looking at the gateway logs…');
    await presenceOf(a).getByText('Ann Lee (agent, writing a reply)').waitFor();
    await b.page.getByRole('form', { name: 'Reply or note' }).getByLabel('Message').fill('');
    await presenceOf(a).getByText('Ann Lee (agent, viewing)').waitFor();
    a.expectClean();
    b.expectClean();
  });

  it('refuses a reply written while the other changed the ticket, shows the change, and sends it anyway', async () => {
    const answers = record(a.page, id);
    const composerA = a.page.getByRole('form', { name: 'Reply or note' });
    await composerA.getByLabel('Message').fill('Please restart the VPN client and try again.');

    // Agent B adds an internal note meanwhile, through her page.
    const composerB = b.page.getByRole('form', { name: 'Reply or note' });
    await composerB.getByRole('radio', { name: 'Internal note' }).check();
    await composerB.getByLabel('Message').fill('Called Alice: a restart did not help, she is on client 4.x.');
    await composerB.getByRole('button', { name: 'Add internal note' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Your internal note was added.' }).waitFor();

    // A's page shows it live, marked New, and says the ticket changed while A was writing.
    const liveNote = a.page.locator('.timeline .message-internal.message-new');
    await liveNote.getByText('Called Alice: a restart did not help').waitFor();
    await a.page.getByText('The ticket changed while you were writing (1 new event, marked New)').waitFor();

    await composerA.getByRole('button', { name: 'Send public reply' }).click();
    const panel = a.page.getByRole('alert').filter({ has: a.page.getByRole('heading', { name: 'The ticket changed since you looked at it' }) });
    await panel.waitFor();
    expect(answers).toContain(`POST /tickets/${id}/comments 412`);
    expect(await panel.textContent()).toContain('Nothing was sent: your public reply was made on an older view of this ticket.');
    expect(await panel.locator('.message-internal .message-body').textContent()).toBe('Called Alice: a restart did not help, she is on client 4.x.');
    expect(await panel.locator('.message-internal .kind').textContent()).toBe('Internal note');
    // The heading takes the keyboard focus, so the choice is announced and reached next.
    expect(await a.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('stale-heading');
    expect(await comments(id)).toEqual([['ann', 'internal', 'Called Alice: a restart did not help, she is on client 4.x.']]);
    await expectAccessible(a, 'ticket page with a refused change');
    await a.screenshot('agent-ticket-changed');

    await panel.getByRole('button', { name: 'Send anyway' }).click();
    await a.page.getByRole('status').filter({ hasText: 'Your public reply was sent.' }).waitFor();
    expect(answers.filter((x) => x.startsWith('POST') && x.includes('/comments'))).toEqual([`POST /tickets/${id}/comments 412`, `POST /tickets/${id}/comments 201`]);
    expect(await comments(id)).toEqual([
      ['ann', 'internal', 'Called Alice: a restart did not help, she is on client 4.x.'],
      ['cid', 'public', 'Please restart the VPN client and try again.'],
    ]);
    // B sees A's reply arrive without a reload.
    await b.page.locator('.timeline .message-public.message-new').getByText('Please restart the VPN client and try again.').waitFor();
    a.expectClean();
    b.expectClean();
  });

  it('lets the agent revise instead: nothing is sent, the draft stays, and the next send applies', async () => {
    const composerA = a.page.getByRole('form', { name: 'Reply or note' });
    await composerA.getByLabel('Message').fill('The fix is rolling out tonight.');
    // Meanwhile B puts the ticket on hold.
    await b.page.getByRole('button', { name: 'Wait on customer' }).click();
    await b.page.getByRole('status').filter({ hasText: 'waits on the customer' }).waitFor();
    await a.page.getByText('The ticket changed while you were writing').waitFor();

    await composerA.getByRole('button', { name: 'Send public reply' }).click();
    const panel = a.page.getByRole('alert').filter({ has: a.page.getByRole('heading', { name: 'The ticket changed since you looked at it' }) });
    await panel.getByText('Status: in progress → waiting on customer').waitFor();
    await panel.getByRole('button', { name: 'Revise' }).click();
    await panel.waitFor({ state: 'detached' });
    expect(await composerA.getByLabel('Message').inputValue()).toBe('The fix is rolling out tonight.');
    expect((await comments(id)).length).toBe(2);

    await composerA.getByLabel('Message').fill('The fix is rolling out tonight; the ticket waits for your confirmation.');
    await composerA.getByRole('button', { name: 'Send public reply' }).click();
    await a.page.getByRole('status').filter({ hasText: 'Your public reply was sent.' }).waitFor();
    expect((await comments(id))[2]).toEqual(['cid', 'public', 'The fix is rolling out tonight; the ticket waits for your confirmation.']);
    a.expectClean();
    b.expectClean();
  });

  it('sees the other leave at once, not after PRESENCE_TTL: when she goes to another page, and when she closes the tab', async () => {
    const presenceOfA = a.page.locator('.presence');
    const viewers = async () => (await api(SAM, 'GET', `/tickets/${id}/presence`)).viewers.map((v: { sub: string }) => v.sub).sort();
    // Well within the 30 s an entry lasts without heartbeats: A's next heartbeat (every 5 s) must already know.
    const soon = { timeout: 12_000 };
    expect(harness.desk.config.presenceTtlMs).toBeGreaterThanOrEqual(30_000);
    await presenceOfA.getByText('Ann Lee (agent, viewing)').waitFor();
    const answers = record(b.page, id);

    // B leaves the ticket for her queues (the page unmounts).
    await b.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
    await until(() => answers.includes(`DELETE /tickets/${id}/presence 204`), 'B said she left');
    expect(await viewers()).toEqual(['cid']);
    await presenceOfA.getByText('Nobody else has this ticket open.').waitFor(soon);

    // Back on the ticket, A sees her again; then she closes the tab: `pagehide` sends the leave as a keepalive request.
    await b.page.goBack();
    await b.page.getByRole('heading', { level: 1, name: createTicketBody.title }).waitFor();
    await presenceOfA.getByText('Ann Lee (agent, viewing)').waitFor(soon);
    expect(await viewers()).toEqual(['ann', 'cid']);
    await b.page.close({ runBeforeUnload: true });
    for (const end = Date.now() + soon.timeout; (await viewers()).includes('ann'); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > end) throw new Error('the closed tab is still on the ticket');
    }
    await presenceOfA.getByText('Nobody else has this ticket open.').waitFor(soon);
    expect(await presenceOfA.textContent()).not.toContain('Ann Lee');
    a.expectClean();
  });
});

it('updates an open ticket page and the queues live, and stops polling while the tab is hidden or the page is left', async () => {
  const ticket = await api(ALICE, 'POST', '/tickets', { ...createTicketBody, title: 'VPN certificate expired' });
  const tab = await harness.open(CID, `/tickets/${ticket.id}`);
  const { page } = tab;
  const answers = record(page, ticket.id);
  const sent = requests(page, ticket.id);

  // Nothing changed: the page asks with If-None-Match and gets 304s.
  await until(() => answers.includes(`GET /tickets/${ticket.id} 304`), 'a poll answered 304');

  // A change made through the API appears without a reload, announced to screen readers.
  await api(SAM, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Supervisor here: the certificate renewal is tracked in CHG-88.', visibility: 'internal' });
  await page.locator('.timeline .message-internal.message-new').getByText('the certificate renewal is tracked in CHG-88').waitFor();
  await page.getByRole('status').filter({ hasText: 'New on this ticket: Internal note from Sam Supervisor.' }).waitFor();
  await api(SAM, 'POST', `/tickets/${ticket.id}/status`, { status: 'waiting_on_customer', reason: 'Waiting for the new certificate' });
  await page.locator('.meta .badge', { hasText: 'waiting on customer' }).waitFor();
  await page.locator('.clock-paused').getByText('Paused: waiting on the customer').waitFor();
  expect(answers).toContain(`GET /tickets/${ticket.id} 200`);
  expect(answers.some((x) => x.startsWith(`GET /tickets/${ticket.id}/timeline`))).toBe(true);

  // Hidden tab: no polling (the ticket, its timeline, presence); shown again: it catches up at once.
  await setVisibility(page, 'hidden');
  const whileHidden = sent.length;
  await api(SAM, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Certificate renewed.', visibility: 'internal' });
  await page.waitForTimeout(8000); // longer than both polling intervals (3 s, 5 s): proving that nothing is asked takes time
  expect(sent.slice(whileHidden)).toEqual([]);
  await setVisibility(page, 'visible');
  await page.locator('.timeline').getByText('Certificate renewed.').waitFor();

  // The queues: a new ticket counts and lists without a reload.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
  await page.getByRole('heading', { level: 1, name: 'Work queues' }).waitFor();
  await settle(page);
  const left = sent.length;
  const waitingLink = (n: number) => page.getByRole('navigation', { name: 'Queues' }).getByRole('link', { name: new RegExp(`^Waiting on the customer: ${n} tickets?$`) });
  const waiting = (await api(CID, 'GET', '/queues')).items.find((q: { id: string }) => q.id === 'waiting').count as number;
  await waitingLink(waiting).click();
  await settle(page);
  await page.getByRole('row', { name: /VPN certificate expired/ }).waitFor();
  const another = await api(ALICE, 'POST', '/tickets', { ...createTicketBody, title: 'VPN asks for a new certificate' });
  await api(SAM, 'POST', `/tickets/${another.id}/status`, { status: 'waiting_on_customer' });
  await waitingLink(waiting + 1).waitFor();
  await page.getByRole('row', { name: /VPN asks for a new certificate/ }).waitFor();
  await expectAccessible(tab, 'queues: waiting on the customer');
  // The ticket page was left: it asks nothing more about that ticket.
  expect(sent.slice(left)).toEqual([]);
  tab.expectClean();
});
