// Signing in and out of the console: the development form (GET/POST /dev/sign-in), a pasted token checked with
// GET /me (what production offers), deep links kept across signing in, an expired token ending the session, and
// pages a role may not open.
import { mintToken } from '../../api/http/auth';
import { settle, startConsole, type ConsoleHarness, type WatchedPage } from '../helpers/browser';
import { TEST_SECRET } from '../helpers/desk';

jest.setTimeout(120_000);

let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsole('web-sign-in');
}, 120_000);
afterAll(() => harness?.close());

const SESSION_KEY = 'support-console.session';
const storedSession = (tab: WatchedPage) => tab.page.evaluate((key) => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(key), SESSION_KEY);
const fieldError = (tab: WatchedPage, label: string) => tab.page.locator('.field', { has: tab.page.getByLabel(label) }).locator('.field-error');

it('signs an agent in through the development form, shows who it is, and signs out', async () => {
  expect(harness.devSignIn).toBe(true);
  const tab = await harness.open(null, '/sign-in');
  const { page } = tab;
  const form = page.getByRole('form', { name: 'Development sign-in' });
  await form.getByLabel('Role').selectOption('agent');
  const agents = await form.getByLabel('Agent').locator('option').allTextContents();
  expect(agents).toContain('Ann Lee (ann; network-l1)');
  await expectNoAccessibilityProblems(tab, 'sign-in, development');
  await tab.screenshot('sign-in');
  await form.getByLabel('Agent').selectOption('ann');
  expect(await form.getByLabel('Name').inputValue()).toBe('Ann Lee');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/app/desk');
  await settle(page);
  expect(await page.locator('.who span').textContent()).toBe('Signed in as Ann Lee (agent)');
  expect(await page.getByRole('main').textContent()).toContain('in network-l1');
  await expectNoAccessibilityProblems(tab, 'desk home');
  expect(JSON.parse((await storedSession(tab))!)).toMatchObject({ principal: { sub: 'ann', role: 'agent', groups: ['network-l1'] }, via: 'development' });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/app/sign-in');
  expect(await storedSession(tab)).toBeNull();
  expect(await page.locator('.who').count()).toBe(0);
  tab.expectClean();
});

it('shows the API’s refusal at the field of the form', async () => {
  const tab = await harness.open(null, '/sign-in');
  const { page } = tab;
  const form = page.getByRole('form', { name: 'Development sign-in' });
  await form.getByLabel('Email').fill('not an address');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await fieldError(tab, 'User id').waitFor();
  expect(await fieldError(tab, 'User id').textContent()).toContain('must not be empty');
  expect(await fieldError(tab, 'Email').textContent()).not.toBe('');
  await expectNoAccessibilityProblems(tab, 'sign-in with errors');
  tab.expectClean();
});

it('keeps a deep link across signing in', async () => {
  const alice = { role: 'requester' as const, sub: 'alice', name: 'Alice Martin' };
  const ticket = (await harness.desk.http('POST', '/tickets', { token: harness.token(alice), body: { title: 'Printer offline', description: 'The 3rd floor printer is offline', channel: 'portal', productLine: 'general', problemType: 'question', fields: {} } })).body;
  const tab = await harness.open(null, `/tickets/${ticket.id}`);
  const { page } = tab;
  await page.waitForURL(`**/app/sign-in?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`);
  const form = page.getByRole('form', { name: 'Development sign-in' });
  await form.getByLabel('User id').fill('alice');
  await form.getByLabel('Name').fill('Alice Martin');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**/app/tickets/${ticket.id}`);
  await page.getByRole('heading', { level: 1, name: 'Printer offline' }).waitFor();
  tab.expectClean();
});

it('accepts a token from the organisation’s sign-in, checked with GET /me, and refuses a bad one', async () => {
  const tab = await harness.open(null, '/sign-in');
  const { page } = tab;
  await page.getByText('Sign in with a token instead').click();
  const form = page.getByRole('form', { name: 'Sign in with a token' });
  await form.getByLabel('Access token').fill(mintToken({ sub: 'frank', role: 'requester', name: 'Frank' }, 'some-other-secret'));
  await form.getByRole('button', { name: 'Sign in with this token' }).click();
  await fieldError(tab, 'Access token').waitFor();
  expect(await fieldError(tab, 'Access token').textContent()).toContain('This token is not accepted');

  await form.getByLabel('Access token').fill(`Bearer ${harness.token({ role: 'requester', sub: 'frank', name: 'Frank Ocean', email: 'frank@example.com' })}`);
  await form.getByRole('button', { name: 'Sign in with this token' }).click();
  await page.waitForURL('**/app/tickets');
  await settle(page);
  expect(await page.locator('.who span').textContent()).toBe('Signed in as Frank Ocean (requester)');
  expect(JSON.parse((await storedSession(tab))!)).toMatchObject({ principal: { sub: 'frank', email: 'frank@example.com' }, via: 'token' });
  tab.expectClean();
});

it('ends the session when the token expires, and says so', async () => {
  const tab = await harness.open(null, '/sign-in');
  const { page } = tab;
  const token = mintToken({ sub: 'gina', role: 'requester', name: 'Gina' }, TEST_SECRET, '1s');
  const session = JSON.stringify({ token, principal: { sub: 'gina', role: 'requester', name: 'Gina', groups: [] }, via: 'token' });
  await page.evaluate(([key, value]) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(key!, value!), [SESSION_KEY, session]);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await tab.goto('/tickets');
  await page.waitForURL('**/app/sign-in?next=%2Ftickets');
  await page.getByText('Your sign-in has expired or is no longer valid').waitFor();
  expect(await storedSession(tab)).toBeNull();
  tab.expectClean();
});

it('tells a role about pages it may not open, and unknown addresses', async () => {
  const tab = await harness.open({ role: 'requester', sub: 'alice', name: 'Alice Martin' }, '/desk');
  const { page } = tab;
  await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
  await expectNoAccessibilityProblems(tab, 'not available');
  await tab.goto('/no/such/page');
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await page.getByRole('link', { name: 'Go to your start page' }).click();
  await page.waitForURL('**/app/tickets');
  tab.expectClean();
});

describe('in production (no development sign-in)', () => {
  let production: ConsoleHarness;
  beforeAll(async () => {
    production = await startConsole('web-sign-in-prod', { worker: false, config: { devSignIn: false } });
  }, 120_000);
  afterAll(() => production?.close());

  it('offers the token form only', async () => {
    expect(production.devSignIn).toBe(false);
    const tab = await production.open(null, '/sign-in');
    const { page } = tab;
    expect(await page.getByRole('form', { name: 'Development sign-in' }).count()).toBe(0);
    expect(await page.getByText('Paste the access token your organisation’s sign-in gave you.').isVisible()).toBe(true);
    await expectNoAccessibilityProblems(tab, 'sign-in, production');
    const form = page.getByRole('form', { name: 'Sign in with a token' });
    await form.getByLabel('Access token').fill(production.token({ role: 'supervisor', sub: 'sam', name: 'Sam Lead' }));
    await form.getByRole('button', { name: 'Sign in with this token' }).click();
    await page.waitForURL('**/app/desk');
    tab.expectClean();
  });
});

async function expectNoAccessibilityProblems(tab: WatchedPage, what: string) {
  expect([what, await tab.accessibilityProblems()]).toEqual([what, []]);
}
