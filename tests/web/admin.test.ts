// The admin's configuration pages in a real browser against the real API: the groups form (an empty name refused
// at its field, then an escalation loop refused at the fields that make it, then the corrected list saved), a
// canned reply added for one group (its agents get it, others do not), the routing rules as JSON (a JSON syntax
// error and a target that is no group, each shown at its line, then saved), and every configuration page free of
// serious or critical accessibility violations. Every tab ends clean.
import { settle, startConsole, type ConsoleHarness, type ConsoleUser, type WatchedPage } from '../helpers/browser';

jest.setTimeout(180_000);

let harness: ConsoleHarness;
const ROOT: ConsoleUser = { role: 'admin', sub: 'root', name: 'Rita Admin' };

beforeAll(async () => {
  harness = await startConsole('web-admin');
}, 120_000);
afterAll(() => harness?.close());

const api = (user: ConsoleUser, method: string, path: string, body?: unknown) => harness.api(user, method, path, body);

async function expectAccessible(tab: WatchedPage, what: string) {
  expect([what, await tab.accessibilityProblems()]).toEqual([what, []]);
}

type Scope = WatchedPage['page'] | ReturnType<WatchedPage['page']['locator']>;
const item = (tab: WatchedPage, legend: RegExp) => tab.page.getByRole('group', { name: legend });
/** The error shown at the field labelled `label` inside `scope` (the inner locator of `has` is relative to each .field). */
const fieldError = (tab: WatchedPage, scope: Scope, label: string) => scope.locator('.field', { has: tab.page.getByLabel(label, { exact: true }) }).locator('.field-error');
const focusedIsInvalid = (tab: WatchedPage) => tab.page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('aria-invalid') === 'true');

describe('groups', () => {
  it('shows each refusal at its field, then saves the corrected list', async () => {
    const tab = await harness.open(ROOT);
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Configuration: groups' }).waitFor();
    await settle(page);
    expect(await page.getByRole('navigation', { name: 'Configuration' }).getByRole('link', { name: 'Groups' }).getAttribute('aria-current')).toBe('page');
    const l3 = item(tab, /^Group \d+: network-l3$/);
    const desk = item(tab, /^Group \d+: service-desk$/);
    expect(await l3.getByLabel('Name (required)').inputValue()).toBe('Network architects L3');

    // An empty name: the API's validation (400) names body.<index>.name.
    await desk.getByLabel('Name (required)').fill('   ');
    await page.getByRole('button', { name: 'Save the groups' }).click();
    await fieldError(tab, desk, 'Name (required)').waitFor();
    expect(await fieldError(tab, desk, 'Name (required)').textContent()).toContain('must not be empty');
    expect(await desk.getByLabel('Name (required)').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedIsInvalid(tab)).toBe(true);
    expect(await page.getByRole('alert').first().textContent()).toContain('The groups were not saved: one problem, marked at their fields below.');

    // A loop: network-l3 escalating to network-l1 closes l1 → l2 → l3 → l1; the API (422) names each group in it.
    await desk.getByLabel('Name (required)').fill('Service desk');
    await l3.getByLabel('Escalates to').selectOption('network-l1');
    await page.getByRole('button', { name: 'Save the groups' }).click();
    await fieldError(tab, l3, 'Escalates to').waitFor();
    expect(await fieldError(tab, l3, 'Escalates to').textContent()).toContain('loops back');
    expect(await fieldError(tab, desk, 'Name (required)').count()).toBe(0);
    expect(await item(tab, /^Group \d+: network-l1$/).locator('.field-error').textContent()).toContain('loops back');
    expect(await focusedIsInvalid(tab)).toBe(true);
    await expectAccessible(tab, 'groups, with errors at their fields');
    await tab.screenshot('admin-groups-error');
    expect((await api(ROOT, 'GET', '/admin/groups')).find((g: { id: string }) => g.id === 'network-l3').escalationTarget).toBeNull();

    // Corrected: no target for L3, and a new name.
    await l3.getByLabel('Escalates to').selectOption('');
    await l3.getByLabel('Name (required)').fill('Network architecture L3');
    expect(await page.getByText('Unsaved changes').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Save the groups' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: 8 groups.' }).waitFor();
    expect(await page.locator('.field-error').count()).toBe(0);
    const groups = await api(ROOT, 'GET', '/admin/groups');
    expect(groups.find((g: { id: string }) => g.id === 'network-l3')).toEqual({ id: 'network-l3', name: 'Network architecture L3', tier: 3, escalationTarget: null });
    expect(groups.find((g: { id: string }) => g.id === 'service-desk').name).toBe('Service desk');
    tab.expectClean();
  });
});

describe('canned replies', () => {
  it('adds a reply for one group: its agents get it, the others do not', async () => {
    const tab = await harness.open(ROOT, '/admin/canned-replies');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'Configuration: canned replies' }).waitFor();
    await settle(page);
    const before = (await api(ROOT, 'GET', '/admin/canned-replies')).length;
    await page.getByRole('button', { name: 'Add a canned reply' }).click();
    const added = item(tab, new RegExp(`^Canned reply ${before + 1}(: |$)`));
    expect(await added.getByLabel('Id (required)').evaluate((el) => (el as any).ownerDocument.activeElement === el)).toBe(true);
    await added.getByLabel('Id (required)').fill('net-reboot-router');
    await added.getByLabel('Title (required)').fill('Reboot the site router');
    await added.getByLabel('For').selectOption('network-l1');
    // The reply is left empty first: refused at its field.
    await page.getByRole('button', { name: 'Save the canned replies' }).click();
    await fieldError(tab, added, 'Reply (required)').waitFor();
    expect(await fieldError(tab, added, 'Reply (required)').textContent()).toContain('must not be empty');
    await added.getByLabel('Reply (required)').fill('Please unplug the site router for ten seconds, plug it back in and tell us whether the tunnel comes back.');
    await added.getByRole('button', { name: /^Move up/ }).click();
    await page.getByRole('button', { name: 'Save the canned replies' }).click();
    await page.getByRole('status').filter({ hasText: `Saved: ${before + 1} canned replies.` }).waitFor();

    const all = await api(ROOT, 'GET', '/admin/canned-replies');
    expect(all.map((r: { id: string }) => r.id).indexOf('net-reboot-router')).toBe(before - 1);
    const ann = await api({ role: 'agent', sub: 'ann', groups: ['network-l1'] }, 'GET', '/canned-replies');
    expect(ann.items.find((r: { id: string }) => r.id === 'net-reboot-router')).toMatchObject({ title: 'Reboot the site router', group: 'network-l1' });
    const eve = await api({ role: 'agent', sub: 'eve', groups: ['billing-l1'] }, 'GET', '/canned-replies');
    expect(eve.items.map((r: { id: string }) => r.id)).not.toContain('net-reboot-router');
    await expectAccessible(tab, 'canned replies, saved');
    tab.expectClean();
  });
});

describe('routing rules as JSON', () => {
  it('shows a syntax error and a target that is no group at their lines, then saves', async () => {
    const tab = await harness.open(ROOT, '/admin/routing-rules');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'Configuration: routing rules' }).waitFor();
    await settle(page);
    const editor = page.getByLabel('Routing rules (JSON)');
    const rules = JSON.parse(await editor.inputValue());
    expect(rules.map((r: { id: string }) => r.id)).toEqual((await api(ROOT, 'GET', '/admin/routing-rules')).map((r: { id: string }) => r.id));

    // A missing comma.
    const broken = JSON.stringify(rules, null, 2).replace('"name": "Possible security incidents go to a supervisor",', '"name": "Possible security incidents go to a supervisor"');
    await editor.fill(broken);
    await page.getByRole('button', { name: 'Save the routing rules' }).click();
    const problems = page.locator('.json-problems li');
    await problems.first().waitFor();
    const brokenLine = broken.split('\n').findIndex((l) => l.includes('"match"')) + 1;
    expect(await problems.first().textContent()).toMatch(new RegExp(`^Line ${brokenLine} — JSON syntax: `));
    expect(await editor.getAttribute('aria-invalid')).toBe('true');

    // Well-formed, but the VPN rule sends tickets to a group that does not exist.
    const vpn = rules.findIndex((r: { id: string }) => r.id === 'vpn');
    rules[vpn].target = 'nowhere';
    const text = JSON.stringify(rules, null, 2);
    await editor.fill(text);
    await page.getByRole('button', { name: 'Save the routing rules' }).click();
    await problems.filter({ hasText: 'target' }).waitFor();
    const targetLine = text.split('\n').findIndex((l) => l.includes('"target": "nowhere"')) + 1;
    expect(await problems.allTextContents()).toEqual([`Line ${targetLine} — Routing rule ${vpn + 1} (vpn), target: there is no group nowhere (use a group id or "manual")`]);
    expect(await page.locator('.json-gutter .json-line-bad').allTextContents()).toEqual([`${targetLine}\n`]);
    await expectAccessible(tab, 'routing rules, with a problem at a line');
    await tab.screenshot('admin-routing-rules-error');
    // "Line N" takes the keyboard to that line.
    await problems.getByRole('button', { name: `Line ${targetLine}` }).click();
    const selected = await editor.evaluate((el: any) => el.value.slice(el.selectionStart, el.selectionEnd));
    expect(selected.trim()).toBe('"target": "nowhere",');
    expect(await editor.evaluate((el) => (el as any).ownerDocument.activeElement === el)).toBe(true);

    rules[vpn].target = 'network-l2';
    await editor.fill(JSON.stringify(rules, null, 2));
    await page.getByRole('button', { name: 'Save the routing rules' }).click();
    await page.getByRole('status').filter({ hasText: `Saved: ${rules.length} routing rules.` }).waitFor();
    expect(await problems.count()).toBe(0);
    expect((await api(ROOT, 'GET', '/admin/routing-rules'))[vpn]).toMatchObject({ id: 'vpn', target: 'network-l2' });
    tab.expectClean();
  });
});

it('opens every configuration page without serious or critical accessibility problems', async () => {
  const tab = await harness.open(ROOT, '/admin');
  const { page } = tab;
  await page.waitForURL('**/app/admin/groups');
  const pages: Array<[string, string]> = [
    ['Groups', 'groups'],
    ['Agents', 'agents'],
    ['Routing rules', 'routing rules'],
    ['Templates', 'templates'],
    ['Calendars', 'calendars'],
    ['SLA policies', 'SLA policies'],
    ['Canned replies', 'canned replies'],
    ['Mailboxes', 'mailboxes'],
  ];
  for (const [title, heading] of pages) {
    await page.getByRole('navigation', { name: 'Configuration' }).getByRole('link', { name: title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Configuration: ${heading}` }).waitFor();
    await page.getByRole('form', { name: `${title} of the desk` }).waitFor();
    await settle(page);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).getAttribute('aria-current')).toBe('page');
    await expectAccessible(tab, title);
  }
  // The agents form: an agent's groups are checkboxes; saving unchanged keeps the list as it was.
  await page.getByRole('navigation', { name: 'Configuration' }).getByRole('link', { name: 'Agents', exact: true }).click();
  await settle(page);
  const carl = item(tab, /^Agent \d+: carl$/);
  expect(await carl.getByRole('checkbox', { name: 'network-l2' }).isChecked()).toBe(true);
  const agents = await api(ROOT, 'GET', '/admin/agents');
  await page.getByRole('button', { name: 'Save the agents' }).click();
  await page.getByRole('status').filter({ hasText: `Saved: ${agents.length} agents.` }).waitFor();
  expect(await api(ROOT, 'GET', '/admin/agents')).toEqual(agents);
  tab.expectClean();
});

it('keeps the configuration to admins', async () => {
  const tab = await harness.open({ role: 'supervisor', sub: 'sam' }, '/admin/groups');
  await tab.page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
  expect(await tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).count()).toBe(0);
  tab.expectClean();
});
