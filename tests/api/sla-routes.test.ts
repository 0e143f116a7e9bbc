// SLA and escalation routes: escalate, priority override, collaborators, and the calendar and policy admin.
import { demoCalendars, demoSlaPolicies } from '../../stack/demo-desk';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
const t = {} as Record<'alice' | 'ann' | 'eve' | 'sam' | 'root', string>;
beforeAll(async () => {
  desk = await startDesk('api-sla');
  t.alice = desk.token({ sub: 'alice', role: 'requester' });
  t.ann = desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] });
  t.eve = desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
  t.sam = desk.token({ sub: 'sam', role: 'supervisor' });
  t.root = desk.token({ sub: 'root', role: 'admin' });
});
afterAll(() => desk.close());

const open = async () => (await desk.http('POST', '/tickets', { token: t.alice, body: { ...createTicketBody, title: 'Switch down', description: 'Floor 2 switch' } })).body;

describe('escalation and collaboration', () => {
  it('escalates by hand to the group’s target, one tier up, and records who, why, from and to', async () => {
    const ticket = await open();
    const res = await desk.http('POST', `/tickets/${ticket.id}/escalate`, { token: t.ann, body: { reason: 'needs a network engineer' } });
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatchObject({ tier: 2, assignment: { group: 'network-l2', agent: 'carl' } });
    expect(res.body.events.find((e: any) => e.type === 'escalated')).toMatchObject({
      actor: { id: 'ann', role: 'agent' },
      data: { reason: 'needs a network engineer', automatic: false, from: { group: 'network-l1', tier: 1 }, to: { group: 'network-l2', tier: 2 } },
    });
    const top = await desk.http('POST', `/tickets/${ticket.id}/escalate`, { token: t.sam, body: { reason: 'architects please', toGroup: 'network-l3' } });
    expect(top.body.ticket).toMatchObject({ tier: 3, assignment: { group: 'network-l3', agent: 'dina' } });
    const nowhere = await desk.http('POST', `/tickets/${ticket.id}/escalate`, { token: t.sam, body: { reason: 'higher?' } });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.detail).toMatch(/no escalation target/);
    expect((await desk.http('POST', `/tickets/${ticket.id}/escalate`, { token: t.alice, body: { reason: 'x' } })).status).toBe(403);
  });

  it('adds a collaborator from another group who can then see the ticket, without changing the owner', async () => {
    const ticket = await open();
    expect((await desk.http('GET', `/tickets/${ticket.id}`, { token: t.eve })).status).toBe(404);
    const res = await desk.http('POST', `/tickets/${ticket.id}/collaborators`, { token: t.ann, body: { agent: 'eve' } });
    expect(res.body.ticket).toMatchObject({ collaborators: ['eve'], assignment: ticket.assignment });
    expect((await desk.http('GET', `/tickets/${ticket.id}`, { token: t.eve })).status).toBe(200);
    const unknown = await desk.http('POST', `/tickets/${ticket.id}/collaborators`, { token: t.ann, body: { agent: 'ghost' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe('body.agent');
  });

  it('lets only supervisors override the priority, with a reason, recomputing deadlines', async () => {
    const ticket = await open();
    expect((await desk.http('POST', `/tickets/${ticket.id}/priority`, { token: t.ann, body: { priority: 'P0', reason: 'x' } })).status).toBe(403);
    expect((await desk.http('POST', `/tickets/${ticket.id}/priority`, { token: t.sam, body: { priority: 'P0' } })).status).toBe(400);
    const res = await desk.http('POST', `/tickets/${ticket.id}/priority`, { token: t.sam, body: { impact: 'extensive', urgency: 'critical', reason: 'whole site is down' } });
    expect(res.body.ticket).toMatchObject({ priority: 'P0', impact: 'extensive', urgency: 'critical' });
    expect(Date.parse(res.body.ticket.sla.resolutionDue) - Date.parse(ticket.createdAt)).toBe(4 * 3600_000);
  });
});

describe('calendar and SLA policy admin', () => {
  it('refuses an unknown time zone, overlapping hours and impossible holidays with 400 naming the field', async () => {
    const bad = [{ ...demoCalendars[0]!, timeZone: 'Mars/Olympus', weeklyHours: [...demoCalendars[0]!.weeklyHours, { day: 'mon', start: '17:00', end: '19:00' }], holidays: ['2027-02-30'] }];
    const res = await desk.http('PUT', '/admin/calendars', { token: t.root, body: bad });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.0.timeZone', 'body.0.weeklyHours.5', 'body.0.holidays.0']));
  });

  it('refuses removing a calendar a policy uses, and policies naming unknown calendars or two defaults (422)', async () => {
    const inUse = await desk.http('PUT', '/admin/calendars', { token: t.root, body: [demoCalendars[1]] });
    expect(inUse.status).toBe(422);
    expect(inUse.body.detail).toMatch(/paris-office is still used/);
    const policies = [{ ...demoSlaPolicies[0]!, targets: { ...demoSlaPolicies[0]!.targets, P3: { responseMs: 1000, resolutionMs: 2000, calendarId: 'nowhere' } } }, { ...demoSlaPolicies[1]!, productLine: null }];
    const res = await desk.http('PUT', '/admin/sla-policies', { token: t.root, body: policies });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['body.0.targets.P3.calendarId', 'body']));
  });

  it('round-trips valid calendars and policies', async () => {
    const calendars = [...demoCalendars, { id: 'tokyo', name: 'Tokyo', timeZone: 'Asia/Tokyo', weeklyHours: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '13:00', end: '18:00' }], holidays: ['2027-01-01'] }];
    const res = await desk.http('PUT', '/admin/calendars', { token: t.root, body: calendars });
    expect(res.status).toBe(200);
    expect(res.body.map((c: any) => c.id).sort()).toEqual(['new-york-office', 'paris-office', 'tokyo']);
    expect((await desk.http('GET', '/admin/sla-policies', { token: t.root })).body).toEqual(demoSlaPolicies.slice().sort((a, b) => a.id.localeCompare(b.id)));
  });
});
