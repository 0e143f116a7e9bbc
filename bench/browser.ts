// The console in Chromium: how long the agent's queue page (500 open tickets in the agent's queue) and a ticket page
// (200 timeline events) take to become usable, next to the API calls each page makes, recorded in the browser and
// replayed directly from here with the same token in the page's order. page ÷ API is what the page costs beyond its data.
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';
import { CHROMIUM_PATH } from '../stack/preflight';
import type { Product } from './product';
import { percentileOf, type Figure } from './report';
import { ticketBody } from './throughput';

const TICKETS = Number(process.env.BENCH_BROWSER_TICKETS ?? 500);
const EVENTS = Number(process.env.BENCH_BROWSER_EVENTS ?? 200);
const RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 7);
const CONCURRENCY = 10;
const TOGETHER_MS = 20;
/** The queue page's page size (web/src/pages/agent/queues.tsx). */
const QUEUE_PAGE = 20;
/** The demo desk routes billing tickets to billing-l1, whose only agent with the `invoices` skill is Eve: her "Assigned to me" holds them all. */
const AGENT = { sub: 'eve', role: 'agent' as const, name: 'Eve Martin', groups: ['billing-l1'] };
/** The headers a replayed call carries: the ones the console sets (api/client.ts), not the browser's own. */
const REPLAYED_HEADERS = ['authorization', 'accept', 'content-type', 'if-none-match', 'if-match', 'idempotency-key'];

/** One API call the page made, in ms since its navigation started. */
interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  start: number;
  end: number;
}

interface PageRun {
  usable: number;
  /** DOMContentLoaded done: the document and the console's script (a deferred module) have run. */
  loaded: number;
  firstCall: number;
  lastAnswer: number;
  /** What the page had asked and got by the time it was usable. */
  calls: Call[];
  /** Asked before it was usable but answered after: not waited for. */
  later: string[];
}

/** Runs `work` for 0…count-1, `concurrency` at a time. */
async function pool(count: number, concurrency: number, work: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++);
  }));
}

async function api<T>(product: Product, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${product.base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<T>;
}

/**
 * Marks <html> with data-bench-usable (ms since navigation start) at the first frame painted after `condition` holds,
 * and data-bench-ready when it first held in the DOM (calls asked after that follow from the shown page, not for it).
 * Injected by CDP, so the console's CSP (no inline script) does not apply; it also places the session the console
 * reads (web/src/session.ts), as the browser tests do without the development sign-in.
 */
function initScript(session: string, condition: string): string {
  return `
try { sessionStorage.setItem('support-console.session', ${JSON.stringify(session)}); } catch {}
(() => {
  const ready = () => { try { return ${condition}; } catch { return false; } };
  const observer = new MutationObserver(() => {
    if (!ready()) return;
    observer.disconnect();
    const shown = performance.now();
    // After the next frame's style, layout and paint: rendered, not merely in the DOM.
    requestAnimationFrame(() => setTimeout(() => {
      const at = performance.now();
      document.documentElement.setAttribute('data-bench-origin', String(performance.timeOrigin));
      const nav = performance.getEntriesByType('navigation')[0];
      document.documentElement.setAttribute('data-bench-loaded', String(nav ? nav.domContentLoadedEventEnd : -1));
      document.documentElement.setAttribute('data-bench-ready', String(shown));
      document.documentElement.setAttribute('data-bench-usable', String(at));
    }));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;
}

const isApiCall = (base: string, url: string) => url.startsWith(base) && !new URL(url).pathname.startsWith('/app');

/** One load of `path` in a fresh navigation (assets cached from the warm-up, as for an agent who has the console open). */
async function loadPage(context: BrowserContext, base: string, path: string): Promise<PageRun> {
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => isApiCall(base, r.url()) && requests.push(r));
  const finished = new Set<Request>();
  page.on('requestfinished', (r) => finished.add(r));
  try {
    await page.goto(`${base}/app${path}`, { waitUntil: 'commit' });
    const html = page.locator('html[data-bench-usable]');
    await html.waitFor({ state: 'attached', timeout: 120_000 });
    const usable = Number(await html.getAttribute('data-bench-usable'));
    const origin = Number(await html.getAttribute('data-bench-origin'));
    const loaded = Number(await html.getAttribute('data-bench-loaded'));
    const ready = Number(await html.getAttribute('data-bench-ready'));
    // Lets the finished events of calls answered just before that frame reach us.
    await page.waitForTimeout(300);
    const calls: Call[] = [];
    const later: string[] = [];
    for (const r of requests) {
      const timing = r.timing();
      const start = timing.startTime - origin;
      const end = finished.has(r) && timing.responseEnd >= 0 ? start + timing.responseEnd : Infinity;
      // Asked once the page showed what it needed (file limits, suggested articles, presence): not part of it.
      if (start > ready) continue;
      if (end > ready) {
        later.push(`${r.method()} ${shortUrl(r.url())}`);
        continue;
      }
      const all = await r.allHeaders();
      const headers = Object.fromEntries(Object.entries(all).filter(([k]) => REPLAYED_HEADERS.includes(k.toLowerCase())));
      calls.push({ method: r.method(), url: r.url(), headers, body: r.postData(), start, end });
    }
    if (!calls.length) throw new Error(`${path}: the page was usable before any API call answered: the condition is wrong`);
    return { usable, loaded, firstCall: Math.min(...calls.map((c) => c.start)), lastAnswer: Math.max(...calls.map((c) => c.end)), calls, later };
  } finally {
    // Closing stops the page's polling and presence, so nothing of it runs beside the replay.
    await page.close();
  }
}

/**
 * The page's calls sent directly, each after those the page had seen answered before it asked (its order: GET /queues
 * before the queue's tickets), the others at once beside them. Answers the wall time and the calls' summed times.
 * Calls asked within TOGETHER_MS of each other went out in one go (one effects flush), so neither waits for the other
 * even when one was answered first: a false wait would lengthen the API's time and flatter the page.
 */
async function replay(calls: Call[]): Promise<{ wall: number; sum: number }> {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const done: Array<Promise<void>> = [];
  let sum = 0;
  const started = performance.now();
  sorted.forEach((call, i) => {
    const before = sorted.slice(0, i).flatMap((c, j) => (c.end <= call.start && call.start - c.start > TOGETHER_MS ? [done[j]!] : []));
    done.push(
      Promise.all(before).then(async () => {
        const t = performance.now();
        const res = await fetch(call.url, { method: call.method, headers: call.headers, body: call.body ?? undefined });
        await res.arrayBuffer();
        if (!res.ok && res.status !== 304) throw new Error(`replayed ${call.method} ${call.url} answered ${res.status}`);
        sum += performance.now() - t;
      }),
    );
  });
  await Promise.all(done);
  return { wall: performance.now() - started, sum };
}

const shortUrl = (url: string) => {
  const u = new URL(url);
  return `${u.pathname.replace(/\/tickets\/[0-9A-Z]{10}/, '/tickets/{id}')}${u.search}`;
};

/** "GET /queues, GET /directory, …" over all runs, in the page's order; a call not made in every run says in how many. */
function callList(runs: Call[][]): string {
  const counts = new Map<string, number>();
  for (const calls of runs) for (const key of new Set([...calls].sort((a, b) => a.start - b.start).map((c) => `${c.method} ${shortUrl(c.url)}`))) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([k, n]) => (n < runs.length ? `${k} (${n} of ${runs.length} runs)` : k)).join(', ');
}

/** A warm-up, then RUNS loads of the page, each followed by a replay of the calls it made. */
async function measure(browser: Browser, base: string, session: string, condition: string, path: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: 'Europe/Paris' });
  try {
    await context.addInitScript({ content: initScript(session, condition) });
    const warm = await loadPage(context, base, path);
    await replay(warm.calls);
    const runs: Array<PageRun & { api: { wall: number; sum: number } }> = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await loadPage(context, base, path);
      runs.push({ ...run, api: await replay(run.calls) });
    }
    // BENCH_DEBUG shows each run's calls as the browser timed them.
    if (process.env.BENCH_DEBUG) for (const r of runs) console.log(`[browser] ${path} usable ${Math.round(r.usable)} ms: ${r.calls.map((c) => `${c.method} ${shortUrl(c.url)} ${Math.round(c.start)}–${Math.round(c.end)}`).join(', ')}; replay ${Math.round(r.api.wall)} ms`);
    const p50 = (pick: (r: (typeof runs)[number]) => number) => percentileOf(runs.map(pick), 50);
    return {
      page: p50((r) => r.usable),
      pageMax: Math.max(...runs.map((r) => r.usable)),
      api: p50((r) => r.api.wall),
      apiSum: p50((r) => r.api.sum),
      loaded: p50((r) => r.loaded),
      firstCall: p50((r) => r.firstCall),
      afterLastAnswer: p50((r) => r.usable - r.lastAnswer),
      browserCalls: p50((r) => r.lastAnswer - r.firstCall),
      calls: callList(runs.map((r) => r.calls)),
      later: [...new Set(runs.flatMap((r) => r.later))].join(', '),
    };
  } finally {
    await context.close();
  }
}

export async function benchBrowser(product: Product): Promise<Figure[]> {
  const requester = product.token('browser-customer', 'requester');
  const agent = product.token(AGENT.sub, AGENT.role, AGENT.groups);

  // The data, through the API as people make it.
  const created = Date.now();
  const ids: string[] = [];
  await pool(TICKETS, CONCURRENCY, async (n) => {
    const body = { ...ticketBody(String(n)), title: `Invoice ${n} charged twice`, description: 'The November invoice was charged twice to the same card', productLine: 'billing', module: 'invoices' };
    ids.push((await api<{ id: string }>(product, requester, 'POST', '/tickets', body)).id);
  });
  const createSeconds = (Date.now() - created) / 1000;
  const queues = await api<{ items: Array<{ id: string; count: number }> }>(product, agent, 'GET', '/queues');
  const mine = queues.items[0];
  if (!mine || mine.id !== 'mine' || mine.count < TICKETS) throw new Error(`${AGENT.sub}'s first queue should hold the ${TICKETS} tickets: ${JSON.stringify(queues.items)}`);

  const ticketId = ids[0]!;
  const timelineLength = async () => (await api<{ items: unknown[] }>(product, agent, 'GET', `/tickets/${ticketId}/timeline?limit=500`)).items.length;
  const startedComments = Date.now();
  let comments = 0;
  for (let have = await timelineLength(); have < EVENTS; have = await timelineLength()) {
    // A public reply also logs a notification; most are internal notes, so the count lands close to EVENTS.
    await pool(Math.min(CONCURRENCY, EVENTS - have), CONCURRENCY, async () => {
      const n = comments++;
      await api(product, agent, 'POST', `/tickets/${ticketId}/comments`, { body: `Update ${n}: checked the card statement and the payment provider's log; nothing conclusive yet.`, visibility: n % 10 === 0 ? 'public' : 'internal' });
    });
  }
  // Notifications of the last public replies are logged off the hot path.
  await new Promise((r) => setTimeout(r, 2_000));
  const events = await timelineLength();
  const commentSeconds = (Date.now() - startedComments) / 1000;

  const session = JSON.stringify({ token: agent, principal: { sub: AGENT.sub, role: AGENT.role, name: AGENT.name, groups: AGENT.groups }, via: 'token' });
  const rows = Math.min(QUEUE_PAGE, mine.count);
  // Usable: the queue's first page of rows is there (its links open tickets).
  const queueReady = `document.querySelectorAll('table.queue tbody tr').length >= ${rows}`;
  // Usable: every event of the timeline is there, and the reply box takes text and sends, canned replies offered.
  const ticketReady = `document.querySelectorAll('ol.timeline > li').length >= ${events} && (() => {
    const form = document.querySelector('form.composer');
    const box = form && form.querySelector('textarea[name=body]');
    const send = form && form.querySelector('button[type=submit]');
    return !!box && !box.disabled && !box.readOnly && !!send && !send.disabled && send.getAttribute('aria-disabled') !== 'true' && !!form.querySelector('.canned select');
  })()`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=en-US', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
  });
  try {
    const queue = await measure(browser, product.base, session, queueReady, '/queues');
    const ticket = await measure(browser, product.base, session, ticketReady, `/tickets/${ticketId}`);
    const how = `Chromium headless 1280×860, assets cached; median of ${RUNS} loads after a warm-up, each followed by a replay of its calls`;
    const figures = (what: string, ratio: string, m: typeof queue, data: string): Figure[] => [
      {
        section: 'browser',
        name: `${what}: usable`,
        value: m.page,
        unit: 'ms p50',
        note: `max ${Math.round(m.pageMax)} ms; document and script run at ${Math.round(m.loaded)} ms, first API call at ${Math.round(m.firstCall)} ms, calls span ${Math.round(m.browserCalls)} ms in the browser, last answer to usable ${Math.round(m.afterLastAnswer)} ms`,
        context: `${data}; ${how}`,
      },
      {
        section: 'browser',
        name: `${what}: its API calls, replayed directly`,
        value: m.api,
        unit: 'ms p50',
        note: `calls one after another: ${Math.round(m.apiSum)} ms`,
        context: `${m.calls}${m.later ? `; asked but not waited for: ${m.later}` : ''}; same token, each call after those the page had answered before asking it`,
      },
      { section: 'browser', name: `${what} ÷ its API calls`, value: m.page / m.api, unit: '×', context: data, ratio },
    ];
    return [
      ...figures('queue page (/app/queues)', 'queuePageVsApi', queue, `${AGENT.sub}'s "Assigned to me", ${mine.count} open tickets, first ${rows} rows (${TICKETS} made in ${createSeconds.toFixed(0)} s)`),
      ...figures('ticket page (/app/tickets/{id})', 'ticketPageVsApi', ticket, `a ticket with ${events} timeline events (${comments} comments added in ${commentSeconds.toFixed(0)} s)`),
    ];
  } finally {
    await browser.close();
  }
}
