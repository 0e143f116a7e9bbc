// Browser tests of the console: a desk with the API (which serves the console built into web/dist by the setup),
// Chromium driven by playwright-core, and tabs signed in as a given user. Every tab is watched: a console error,
// an uncaught exception, a Content-Security-Policy violation, a failed request to the API other than an expected
// refusal (4xx), or a dialog (alert, confirm) is recorded, and the test fails on any (after each test, or at
// once with `expectClean()`).
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Role } from '../../domain/roles';
import { CHROMIUM_PATH } from '../../stack/preflight';
import { startDesk, type DeskOptions, type TestDesk } from './desk';

/** Headless Chromium that reaches nothing but the desk (as root it needs --no-sandbox). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--lang=en-US', // date fields read mm/dd/yyyy, whatever the machine's locale
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

/** The session key of web/src/session.ts. */
const SESSION_KEY = 'support-console.session';

export interface ConsoleUser {
  role: Exclude<Role, 'gateway'>;
  sub: string;
  name?: string;
  email?: string;
  /** An agent's groups (with the development sign-in they come from the desk's record). */
  groups?: string[];
}

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors, CSP violations, failed requests and dialogs, in the order they happened. */
  problems: string[];
  /** Goes to a console path ('/tickets/new') and waits for the page to settle. */
  goto(consolePath: string): Promise<void>;
  /** Fails the test if anything went wrong in this tab so far. */
  expectClean(): void;
  /** axe-core's serious and critical violations on the page as it is now, as readable lines. */
  accessibilityProblems(): Promise<string[]>;
  /** A PNG of the page in docs/screenshots/<name>.png (committed; the README shows it). */
  screenshot(name: string): Promise<void>;
}

export interface ConsoleHarness {
  desk: TestDesk;
  browser: Browser;
  /** Whether the API offers the development sign-in (GET /dev/sign-in answers 200). */
  devSignIn: boolean;
  /** A new tab (own context: own sessionStorage), watched, signed in as `user` (or signed out with null). */
  open(user: ConsoleUser | null, consolePath?: string): Promise<WatchedPage>;
  /** A token for API calls the test makes beside the browser (an agent resolving, say). */
  token(user: ConsoleUser): string;
  /** An API call as `user` beside the browser, its answer's body; anything but 2xx throws. */
  api(user: ConsoleUser, method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

/** Every tab opened in this test file, with how many of its problems were already reported. */
const tabs: Array<{ problems: string[]; reported: number }> = [];

// A test fails on anything that went wrong in any tab while it ran, even without calling expectClean().
afterEach(() => {
  const fresh = tabs.flatMap((tab) => {
    const found = tab.problems.slice(tab.reported);
    tab.reported = tab.problems.length;
    return found;
  });
  if (fresh.length > 0) throw new Error(`the console went wrong in the browser:\n  ${fresh.join('\n  ')}`);
});

/** Chromium (CHROMIUM_PATH, /usr/bin/chromium by default: the test setup installs it); each launch gets a new, empty profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export async function startConsole(label: string, options: DeskOptions = {}): Promise<ConsoleHarness> {
  // The development sign-in is what `npm start` offers; the desk enables it like the start command does.
  const desk = await startDesk(label, { ...options, config: { devSignIn: true, ...options.config } });
  const browser = await launchChromium();
  const devSignIn = (await desk.http('GET', '/dev/sign-in')).status === 200;
  const contexts: BrowserContext[] = [];

  async function open(user: ConsoleUser | null, consolePath = '/'): Promise<WatchedPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: 'Europe/Paris' });
    contexts.push(context);
    const page = await context.newPage();
    const problems = await watch(page, desk.baseUrl);
    tabs.push({ problems, reported: 0 });
    const watched: WatchedPage = {
      page,
      problems,
      async goto(to) {
        await page.goto(`${desk.baseUrl}/app${to === '/' ? '' : to}`);
        await settle(page);
      },
      expectClean() {
        expect(problems).toEqual([]);
      },
      async accessibilityProblems() {
        const results = await new AxeBuilder({ page }).analyze();
        return results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      },
      async screenshot(name) {
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
      },
    };
    if (user) await signIn(watched, user);
    if (consolePath !== '/' || !user) await watched.goto(consolePath);
    return watched;
  }

  /** Through the development form when the API has it (what a person does), else a minted token in sessionStorage. */
  async function signIn(watched: WatchedPage, user: ConsoleUser): Promise<void> {
    const { page } = watched;
    await watched.goto('/sign-in');
    if (devSignIn) {
      const form = page.getByRole('form', { name: 'Development sign-in' });
      await form.getByLabel('Role').selectOption(user.role);
      if (user.role === 'agent') await form.getByLabel('Agent').selectOption(user.sub);
      else await form.getByLabel('User id').fill(user.sub);
      if (user.name) await form.getByLabel('Name').fill(user.name);
      if (user.email) await form.getByLabel('Email').fill(user.email);
      await form.getByRole('button', { name: 'Sign in' }).click();
    } else {
      const session = { token: token(user), principal: { sub: user.sub, role: user.role, name: user.name, email: user.email, groups: user.groups ?? [] }, via: 'token' };
      await page.evaluate(([key, value]) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(key!, value!), [SESSION_KEY, JSON.stringify(session)]);
      await watched.goto('/');
    }
    await page.waitForURL((url) => !url.pathname.startsWith('/app/sign-in'));
    await settle(page);
  }

  const token = (user: ConsoleUser) => desk.token({ sub: user.sub, role: user.role, ...(user.name ? { name: user.name } : {}), ...(user.email ? { email: user.email } : {}), ...(user.groups ? { groups: user.groups } : {}) });

  return {
    desk,
    browser,
    devSignIn,
    open,
    token,
    async api(user, method, path, body) {
      const res = await desk.http(method, path, { token: token(user), ...(body === undefined ? {} : { body }) });
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await desk.close();
    },
  };
}

/** Records what must never happen in a tab. */
async function watch(page: Page, baseUrl: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Chromium reports every non-2xx fetch; refusals the console shows (4xx) are part of its job, the rest are not.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return; // a fetch the console cancelled (left the page)
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500 && response.url().startsWith(baseUrl)) problems.push(`server error: ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  // CSP violations are also console errors; this names the directive even when a message would not.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code')));",
  });
  return problems;
}

/** Waits until the page has no request in flight and no "Loading…" status left. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  // (Not waitForFunction: it evaluates a string, which the console's CSP rightly refuses.)
  await page.locator('.loading, .boot').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/**
 * Moves the keyboard focus to `target` with the Tab key alone (at most `presses` times), as a keyboard user
 * would: fails if the control cannot be reached that way.
 */
export async function tabTo(page: Page, target: Locator, presses = 80): Promise<void> {
  const element = await target.elementHandle();
  if (!element) throw new Error(`tabTo: ${String(target)} is not on the page`);
  for (let i = 0; i <= presses; i++) {
    if (await element.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`tabTo: ${String(target)} was not reached with ${presses} presses of Tab`);
}
