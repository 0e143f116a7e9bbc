// Email intake (SPEC §4): threading by subject reference, de-duplication by Message-ID.
import { startDesk, type TestDesk } from '../helpers/desk';

let desk: TestDesk;
let gateway: string;
beforeAll(async () => {
  desk = await startDesk('api-email');
  gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });
});
afterAll(() => desk.close());

const email = (overrides: Record<string, unknown> = {}) => ({
  messageId: `<${Math.random().toString(36).slice(2)}@mail.example.com>`,
  from: 'Alice Martin <Alice.Martin@Example.com>',
  subject: 'Cannot log in to the portal',
  text: 'Since this morning the portal says my password is wrong.',
  ...overrides,
});
const post = (body: unknown) => desk.http('POST', '/channels/email', { token: gateway, body });

describe('email channel', () => {
  it('opens a ticket from an email, once per Message-ID', async () => {
    const mail = email();
    const first = await post(mail);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      outcome: 'ticket_created',
      ticket: { channel: 'email', title: 'Cannot log in to the portal', requester: { id: 'alice.martin@example.com', email: 'alice.martin@example.com', name: 'Alice Martin' }, assignment: { group: 'service-desk' } },
    });
    const again = await Promise.all([post(mail), post(mail)]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(again.map((r) => r.body.ticket.id)).toEqual([first.body.ticket.id, first.body.ticket.id]);
    expect(await desk.db.models.Ticket.countDocuments({ 'requester.id': 'alice.martin@example.com', title: mail.subject })).toBe(1);
  });

  it('turns a reply carrying the reference into a comment, once per Message-ID', async () => {
    const { ticket } = (await post(email())).body;
    const reply = email({ subject: `Re: [#${ticket.id}] Cannot log in to the portal`, text: 'It works again, thanks!' });
    const res = await post(reply);
    expect(res.body.outcome).toBe('comment_added');
    await post(reply);
    const comments = (await desk.timeline(ticket.id)).filter((e) => e.type === 'comment');
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ visibility: 'public', actor: { id: 'alice.martin@example.com', role: 'requester' }, data: { body: 'It works again, thanks!', source: { channel: 'email', messageId: reply.messageId } } });
  });

  it('keeps mail from strangers internal and takes an agent’s mail as a public reply', async () => {
    const { ticket } = (await post(email())).body;
    await post(email({ from: 'mallory@evil.example', subject: `[#${ticket.id}] please wire money`, text: 'urgent' }));
    await post(email({ from: 'Gus <gus@desk.example>', subject: `RE: [#${ticket.id}]`, text: 'Reset your password here.' }));
    const comments = (await desk.timeline(ticket.id)).filter((e) => e.type === 'comment');
    expect(comments.map((c) => [c.actor.id, c.visibility])).toEqual([
      ['email:mallory@evil.example', 'internal'],
      ['gus', 'public'],
    ]);
    const alice = desk.token({ sub: 'alice-portal-id', role: 'requester', email: 'ALICE.MARTIN@example.com' });
    const seen = await desk.http('GET', `/tickets/${ticket.id}/timeline`, { token: alice });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).not.toContain('wire money');
  });

  it('opens a follow-up when the referenced ticket is closed', async () => {
    const { ticket } = (await post(email())).body;
    await desk.http('POST', `/tickets/${ticket.id}/cancel`, { token: desk.token({ sub: 'sam', role: 'supervisor' }), body: { reason: 'duplicate' } });
    const res = await post(email({ subject: `Re: [#${ticket.id}] Cannot log in`, text: 'It is broken again' }));
    expect(res.status).toBe(201);
    expect(res.body.ticket.id).not.toBe(ticket.id);
    expect(res.body.ticket.description).toContain(`Follow-up to ${ticket.id}`);
  });

  it('opens the ticket even when template facts are missing, and asks for them', async () => {
    const res = await post(email({ problemType: 'access_request', subject: 'Need ERP access' }));
    expect(res.status).toBe(201);
    const ack = (await desk.notifications(res.body.ticket.id)).find((n) => n.kind === 'ticket_received');
    expect(ack!.body).toMatch(/System is required.*Access level is required.*Business justification is required/);
  });

  it('takes the same path as the SMTP intake: threads by In-Reply-To, notes automatic mail, drops what belongs to no ticket', async () => {
    const first = email();
    const { ticket } = (await post(first)).body;
    const reply = await post(email({ subject: 'Re: Cannot log in', text: 'Still broken.', inReplyTo: first.messageId }));
    expect(reply.body).toMatchObject({ outcome: 'comment_added', ticket: { id: ticket.id } });
    const ooo = await post(email({ subject: 'Out of office', text: 'Back Monday.', references: `<x@y> ${first.messageId}`, headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(ooo.body).toMatchObject({ outcome: 'note_added', ticket: { id: ticket.id } });
    const stray = await post(email({ subject: 'Out of office', headers: { Precedence: 'bulk' } }));
    expect(stray.status).toBe(202);
    expect(stray.body).toEqual({ outcome: 'dropped', reason: 'automatic mail (Precedence: bulk) that belongs to no ticket' });
    const comments = (await desk.timeline(ticket.id)).filter((e) => e.type === 'comment');
    expect(comments.map((c) => c.visibility)).toEqual(['public', 'internal']);
  });

  it('is only for the mail gateway and validates its input', async () => {
    const { ticket } = (await post(email())).body;
    const reply = email({ subject: `Re: [#${ticket.id}] Cannot log in` });
    // An agent of the ticket's own group, and an admin, are no mail gateway either.
    for (const [role, groups] of [['requester', []], ['agent', ['service-desk']], ['supervisor', []], ['admin', []]] as const) {
      const res = await desk.http('POST', '/channels/email', { token: desk.token({ sub: `a-${role}`, role, groups: [...groups] }), body: reply });
      expect([role, res.status]).toEqual([role, 403]);
    }
    const comments = async () => (await desk.timeline(ticket.id)).filter((e) => e.type === 'comment').length;
    expect(await comments()).toBe(0);
    expect((await post(reply)).status).toBe(200);
    expect(await comments()).toBe(1);
    // The gateway reads nothing, and what it is answered is the requester's view of the ticket.
    expect((await desk.http('GET', `/tickets/${ticket.id}`, { token: gateway })).status).toBe(403);
    expect(ticket).not.toHaveProperty('tier');
    expect(ticket).not.toHaveProperty('temporal');
    const bad = await post({ from: 'x@y.z' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.messageId');
  });
});
