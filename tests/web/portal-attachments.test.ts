// Files in the requester portal, in a real browser against the real API: the file fields say what the API takes
// (GET /uploads/limits: `accept` and the size limit in the hint), a ticket is filed with a file and answered with
// another, both downloaded again byte for byte through the API with the session's token, a file too large (413) or
// of a type not taken (415) is named at its field and sent with nothing, and a file an agent attached to an internal
// note never reaches the requester. Axe finds no serious or critical violation on the pages with files.
import { randomBytes } from 'node:crypto';
import type { Locator, Page, Request } from 'playwright-core';
import { loadConfig } from '../../platform/config';
import { settle, startConsole, type ConsoleHarness, type ConsoleUser, type WatchedPage } from '../helpers/browser';

jest.setTimeout(120_000);

// A small limit, so the file that is too large stays small.
const MAX_BYTES = 40_000;
let harness: ConsoleHarness;
const ALICE: ConsoleUser = { role: 'requester', sub: 'alice', name: 'Alice Martin', email: 'alice@example.com' };

beforeAll(async () => {
  harness = await startConsole('web-portal-files', { config: { mail: { ...loadConfig({}).mail, attachmentMaxBytes: MAX_BYTES } } });
}, 120_000);
afterAll(() => harness?.close());

const api = (user: ConsoleUser, method: string, path: string, body?: unknown) => harness.api(user, method, path, body);

async function upload(user: ConsoleUser, name: string, type: string, content: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  const res = await fetch(`${harness.desk.baseUrl}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${harness.token(user)}` }, body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { uploadId: string }).uploadId;
}

/** The agent the ticket went to, as a console user with their groups. */
async function assignee(id: string): Promise<ConsoleUser> {
  const ticket = await api({ role: 'supervisor', sub: 'sam' }, 'GET', `/tickets/${id}`);
  return { role: 'agent', sub: ticket.assignment.agent, groups: [ticket.assignment.group] };
}

async function expectAccessible(tab: WatchedPage, what: string) {
  expect([what, await tab.accessibilityProblems()]).toEqual([what, []]);
}

/** Clicks a download button; answers the file as the browser saved it, and the API request that fetched it. */
async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer; request: Request }> {
  const [saved, request] = await Promise.all([page.waitForEvent('download'), page.waitForRequest((r) => r.method() === 'GET' && /\/tickets\/[0-9A-Z]{10}\/attachments\//.test(r.url())), button.click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await saved.createReadStream()) chunks.push(chunk as Buffer);
  return { name: saved.suggestedFilename(), bytes: Buffer.concat(chunks), request };
}

/** Every answer to POST /uploads the tab got, by status. */
function uploadAnswers(page: Page): number[] {
  const statuses: number[] = [];
  page.on('response', (res) => {
    if (res.request().method() === 'POST' && new URL(res.url()).pathname === '/uploads') statuses.push(res.status());
  });
  return statuses;
}

describe('a requester’s files', () => {
  const LOG = randomBytes(12_000);
  const SHOT = randomBytes(30_000);
  let tab: WatchedPage;
  let id: string;

  beforeAll(async () => {
    tab = await harness.open(ALICE, '/tickets/new');
  });

  it('says what may be attached, files a ticket with a file, and downloads it again byte for byte', async () => {
    const { page } = tab;
    const limits = await api(ALICE, 'GET', '/uploads/limits');
    expect(limits.maxBytes).toBe(MAX_BYTES);
    const picker = page.getByLabel('Attach files (optional)');
    await page.locator('input[type="file"][accept]').waitFor({ state: 'attached' });
    expect(await picker.getAttribute('accept')).toBe(limits.types.join(','));
    const hint = page.locator('.field', { has: picker }).locator('.hint').first();
    expect(await hint.textContent()).toContain('Up to 39.1 KB a file; plain text, CSV, PDF, JSON, ZIP, gzip, email (.eml), PNG, JPEG');
    expect((await picker.getAttribute('aria-describedby'))?.split(' ')).toContain(await hint.getAttribute('id'));

    await page.getByLabel('What kind of request is it?').selectOption('incident');
    await page.getByLabel('Which area is it about?').selectOption('network');
    await page.getByLabel('Title').fill('VPN drops when the client log rotates');
    await page.getByLabel('Description').fill('The tunnel drops each time the VPN client rotates its log; the log is attached.');
    await page.getByLabel('What you see').fill('Tunnel drops, then reconnects after a minute');
    await page.getByLabel('When it started').fill('2026-11-23');
    await picker.setInputFiles({ name: 'vpn-client.log', mimeType: 'text/plain', buffer: LOG });
    const chosen = page.getByRole('list', { name: 'Chosen files' });
    await chosen.getByRole('button', { name: 'Remove vpn-client.log' }).waitFor();
    expect(await chosen.textContent()).toContain('vpn-client.log (11.7 KB)');
    await expectAccessible(tab, 'new ticket with a file chosen');

    await page.getByRole('button', { name: 'File the ticket' }).click();
    await page.waitForURL(/\/app\/tickets\/[0-9A-Z]{10}\?filed=1$/);
    id = /tickets\/([0-9A-Z]{10})/.exec(page.url())![1]!;
    await settle(page);
    const stored = await api(ALICE, 'GET', `/tickets/${id}`);
    expect(stored.attachments).toEqual([{ name: 'vpn-client.log', type: 'text/plain', size: LOG.length, location: expect.stringMatching(new RegExp(`^/tickets/${id}/attachments/u[0-9a-f]{32}$`)) }]);

    const files = page.getByRole('region', { name: 'Files' });
    const got = await download(page, files.getByRole('button', { name: 'Download vpn-client.log' }));
    expect(got.name).toBe('vpn-client.log');
    expect(got.bytes.equals(LOG)).toBe(true);
    // Through the API, with the session's token (a plain link would carry none).
    expect(new URL(got.request.url()).pathname).toBe(stored.attachments[0].location);
    expect((await got.request.allHeaders()).authorization).toMatch(/^Bearer /);
    await expectAccessible(tab, 'ticket page with a file');
    tab.expectClean();
  });

  it('replies with another file, shown on the reply in the conversation, and downloads it byte for byte', async () => {
    const { page } = tab;
    const reply = page.getByRole('form', { name: 'Reply', exact: true });
    await reply.getByLabel('Your reply').fill('Here is what the client shows when it drops.');
    await reply.getByLabel('Attach files').setInputFiles({ name: 'client-error.png', mimeType: 'image/png', buffer: SHOT });
    await reply.getByRole('list', { name: 'Chosen files' }).getByRole('button', { name: 'Remove client-error.png' }).waitFor();
    await reply.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('status').filter({ hasText: 'Your reply was sent.' }).waitFor();
    expect(await reply.getByLabel('Your reply').inputValue()).toBe('');
    expect(await reply.getByRole('list', { name: 'Chosen files' }).count()).toBe(0);

    const mine = page.locator('.conversation .message-mine').last();
    expect(await mine.locator('.message-body').textContent()).toBe('Here is what the client shows when it drops.');
    const got = await download(page, mine.getByRole('button', { name: 'Download client-error.png' }));
    expect(got.name).toBe('client-error.png');
    expect(got.bytes.equals(SHOT)).toBe(true);

    const comment = (await api(ALICE, 'GET', `/tickets/${id}/timeline`)).items.find((e: { type: string }) => e.type === 'comment');
    expect(comment.data).toEqual({ body: 'Here is what the client shows when it drops.', attachments: [{ name: 'client-error.png', type: 'image/png', size: SHOT.length, location: expect.stringMatching(`^/tickets/${id}/attachments/`) }] });
    // The ticket lists both files; the page's file list too.
    const files = page.getByRole('region', { name: 'Files' });
    await files.getByRole('button', { name: 'Download client-error.png' }).waitFor();
    expect(await files.getByRole('button').allTextContents()).toEqual(['Download vpn-client.log', 'Download client-error.png']);
    await expectAccessible(tab, 'ticket page with a reply and its file');
    tab.expectClean();
  });

  it('names a file too large (413) and a file of a type not taken (415) at the file field, and sends neither', async () => {
    const { page } = tab;
    const answers = uploadAnswers(page);
    const reply = page.getByRole('form', { name: 'Reply', exact: true });
    const picker = reply.getByLabel('Attach files');
    const refusal = reply.locator('.field', { has: page.getByLabel('Attach files') }).locator('.field-error');

    await picker.setInputFiles({ name: 'full-trace.log', mimeType: 'text/plain', buffer: randomBytes(MAX_BYTES + 5_000) });
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('“full-trace.log” was not attached: it is too large (43.9 KB); a file may be at most 39.1 KB.');
    expect(await picker.getAttribute('aria-invalid')).toBe('true');
    const errorId = await refusal.locator('xpath=..').getAttribute('id');
    expect((await picker.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
    await expectAccessible(tab, 'reply with a file refused');

    await picker.setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>') });
    await refusal.filter({ hasText: 'page.html' }).waitFor();
    expect(await refusal.allTextContents()).toEqual(['“page.html” was not attached: files of type text/html are not accepted.']);
    // The API judged both; nothing is waiting to be sent.
    expect(answers).toEqual([413, 415]);
    expect(await reply.getByRole('list', { name: 'Chosen files' }).count()).toBe(0);

    // A file it takes clears the message.
    await picker.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('tunnel id 42') });
    await reply.getByRole('button', { name: 'Remove notes.txt' }).waitFor();
    expect(await refusal.count()).toBe(0);
    expect(await picker.getAttribute('aria-invalid')).toBeNull();
    await reply.getByRole('button', { name: 'Remove notes.txt' }).click();
    expect((await api(ALICE, 'GET', `/tickets/${id}`)).attachments.map((a: { name: string }) => a.name)).toEqual(['vpn-client.log', 'client-error.png']);
    tab.expectClean();
  });

  it('never shows the requester a file an agent attached to an internal note', async () => {
    const { page } = tab;
    const agent = await assignee(id);
    const secret = randomBytes(5_000);
    const uploadId = await upload(agent, 'X-INTERNAL-diagnostics.pdf', 'application/pdf', secret);
    await api(agent, 'POST', `/tickets/${id}/comments`, { body: 'X-INTERNAL-NOTE gateway diagnostics attached', visibility: 'internal', attachments: [{ uploadId }] });
    await api(agent, 'POST', `/tickets/${id}/comments`, { body: 'We are looking at the gateway.' });
    // Staff have it on the ticket.
    expect((await api(agent, 'GET', `/tickets/${id}`)).attachments.map((a: { name: string }) => a.name)).toContain('X-INTERNAL-diagnostics.pdf');

    await tab.goto(`/tickets/${id}`);
    await page.locator('.conversation').getByText('We are looking at the gateway.').waitFor();
    const shown = await page.locator('body').textContent();
    expect(shown).not.toContain('X-INTERNAL');
    expect(shown).not.toContain(uploadId);
    expect(await page.getByRole('region', { name: 'Files' }).getByRole('button').allTextContents()).toEqual(['Download vpn-client.log', 'Download client-error.png']);
    // Nor does the API give it to her, even by its path.
    const res = await harness.desk.http('GET', `/tickets/${id}/attachments/${uploadId}`, { token: harness.token(ALICE) });
    expect(res.status).toBe(404);
    await expectAccessible(tab, 'ticket page after an internal note with a file');
    tab.expectClean();
  });
});
