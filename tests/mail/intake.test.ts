// Mail in and out over real SMTP (SPEC §4, §9, §17): messages sent with nodemailer to the intake port become
// tickets and comments exactly once; notices reach the local sink as threaded mail; automatic mail is never
// answered; unknown recipients, oversize mail and flooding senders are refused at the SMTP level.
import { randomBytes } from 'node:crypto';
import { REPLY_ABOVE } from '../../domain/mail';
import { addressOf, headerText, startMailDesk, until, type MailDesk } from '../helpers/mail';

let m: MailDesk;
beforeAll(async () => {
  m = await startMailDesk('mail-intake', { senderLimit: 3, maxMessageBytes: 300_000, attachmentMaxBytes: 100_000 });
});
afterAll(() => m.close());

const id = () => `<${randomBytes(8).toString('hex')}@customer.example>`;
const gus = () => m.desk.token({ sub: 'gus', role: 'agent', groups: ['service-desk'] });
const ticketOf = async (messageId: string) => (await m.desk.db.models.MailThread.findById(messageId).lean())?.ticketId;
const commentsOf = async (ticketId: string) => (await m.desk.timeline(ticketId)).filter((e) => e.type === 'comment');
const noticesTo = async (address: string, ticketId: string) => (await m.sent()).filter((mail) => addressOf(mail.to) === address && mail.subject?.includes(`[#${ticketId}]`));

/** A customer's first mail: a new ticket, acknowledged by a notice threaded under it. */
async function newTicket(from: string, subject = 'Printer on floor 3 jams') {
  const messageId = id();
  const res = await m.send({ from, to: 'support@example.com', subject, text: 'It jams every morning at nine.', messageId });
  expect(res.response).toMatch(/^250 /);
  const ticketId = (await ticketOf(messageId))!;
  return { messageId, ticketId };
}

describe('mail to the desk', () => {
  it('opens a ticket, keeps its attachments byte for byte, and acknowledges it as threaded mail', async () => {
    const pdf = randomBytes(40_000);
    const messageId = id();
    const res = await m.send({
      from: 'Alice Martin <alice@customer.example>',
      to: 'support@example.com',
      subject: 'Printer <b>jams</b> on floor 3',
      text: 'It jams every morning.',
      messageId,
      attachments: [
        { filename: '../../etc/jam report.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'fix.exe', content: Buffer.from('MZ'), contentType: 'application/x-msdownload' },
      ],
    });
    expect(res.response).toMatch(/^250 /);
    // Answered 250 only once stored: the ticket is there the moment the sender hears back.
    const ticketId = (await ticketOf(messageId))!;
    const ticket = await m.desk.tickets.findById(ticketId);
    expect(ticket).toMatchObject({
      channel: 'email',
      title: 'Printer <b>jams</b> on floor 3',
      productLine: 'general',
      assignment: { group: 'service-desk' },
      requester: { id: 'alice@customer.example', email: 'alice@customer.example', name: 'Alice Martin' },
    });
    expect(ticket!.description).toContain('"fix.exe" was not kept: its type application/x-msdownload is not accepted');
    expect(ticket!.attachments).toEqual([expect.objectContaining({ name: 'jam report.pdf', type: 'application/pdf', size: pdf.length, location: `/tickets/${ticketId}/attachments/${ticket!.attachments[0]!.id}` })]);

    const alice = m.desk.token({ sub: 'alice-portal', role: 'requester', email: 'alice@customer.example' });
    const download = await fetch(`${m.desk.baseUrl}${ticket!.attachments[0]!.location}`, { headers: { authorization: `Bearer ${alice}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    const [ack] = await until(async () => {
      const found = await noticesTo('alice@customer.example', ticketId);
      return found.length ? found : null;
    });
    expect(ack!.subject).toBe(`[#${ticketId}] Printer <b>jams</b> on floor 3`);
    expect(ack!.inReplyTo).toBe(messageId);
    expect(ack!.references).toEqual(messageId);
    expect(ack!.from?.value[0]?.address).toBe('support@example.com');
    expect(headerText(ack!, 'auto-submitted')).toBe('auto-replied');
    expect(headerText(ack!, 'x-auto-response-suppress')).toBe('All');
    expect(ack!.text).toContain(REPLY_ABOVE);
    expect(ack!.text).toContain(`Reference: ${ticketId}`);
    expect(ack!.html).toContain('Printer &lt;b&gt;jams&lt;/b&gt; on floor 3');
    expect(ack!.html).not.toContain('<b>jams</b>');

    // The agent the ticket went to hears by mail too: an automatic notice of the desk's own.
    const agent = ticket!.assignment.agent!;
    const [assigned] = await until(async () => {
      const found = await noticesTo(`${agent}@desk.example`, ticketId);
      return found.length ? found : null;
    });
    expect(headerText(assigned!, 'auto-submitted')).toBe('auto-generated');
    expect(assigned!.inReplyTo).toBe(messageId);

    // Staff see what was mailed, with the Message-IDs the notices went out with.
    const mail = await until(async () => {
      const res = await m.desk.http('GET', `/tickets/${ticketId}/mail`, { token: gus() });
      return res.body.items.length >= 2 && res.body.items.every((i: { status: string }) => i.status === 'sent') ? res.body.items : null;
    });
    expect(mail.map((i: { messageId: string }) => i.messageId).sort()).toEqual([ack!.messageId, assigned!.messageId].sort());
    expect(mail.find((i: { messageId: string }) => i.messageId === ack!.messageId)).toMatchObject({ kind: 'ticket_received', to: ['alice@customer.example'], status: 'sent', sentAt: expect.any(String) });
    expect((await m.desk.http('GET', `/tickets/${ticketId}/mail`, { token: alice })).status).toBe(403);
  });

  it('threads a reply by its headers alone, keeps only what it adds, and answers an agent’s reply with escaped HTML', async () => {
    const { messageId, ticketId } = await newTicket('Bea <bea@customer.example>');
    const [ack] = await until(async () => {
      const found = await noticesTo('bea@customer.example', ticketId);
      return found.length ? found : null;
    });
    const png = randomBytes(3_000);
    const reply = await m.send({
      from: 'Bea <bea@customer.example>',
      to: 'support@example.com',
      subject: 'Re: Printer on floor 3 jams',
      messageId: id(),
      inReplyTo: ack!.messageId,
      references: [messageId, ack!.messageId!],
      text: `Still jamming, photo attached.\n\nOn Mon, 30 Nov 2026 at 09:00, Support <support@example.com> wrote:\n> ${REPLY_ABOVE}\n>\n> We received your request.`,
      attachments: [{ filename: 'tray.png', content: png, contentType: 'image/png' }],
    });
    expect(reply.response).toMatch(/^250 /);
    const [comment] = await commentsOf(ticketId);
    expect(comment).toMatchObject({ visibility: 'public', actor: { id: 'bea@customer.example', role: 'requester' }, data: { body: 'Still jamming, photo attached.', attachments: [expect.objectContaining({ name: 'tray.png', size: png.length })] } });

    const res = await m.desk.http('POST', `/tickets/${ticketId}/comments`, { token: gus(), body: { body: 'Try this: <script>alert("x")</script> & reload the tray' } });
    expect(res.status).toBe(201);
    const answer = await until(async () => (await noticesTo('bea@customer.example', ticketId)).find((n) => n.text?.includes('Try this')));
    expect(answer.html).toContain('Try this: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; reload the tray');
    expect(answer.html).not.toContain('<script>');
    // An agent's words are no automatic notice; it threads under the customer's first message.
    expect(headerText(answer, 'auto-submitted')).toBeUndefined();
    expect(answer.inReplyTo).toBe(messageId);
  });

  it('threads a reply that carries only [#ID] in its subject', async () => {
    const { ticketId } = await newTicket('cid.customer@customer.example');
    const res = await m.send({ from: 'cid.customer@customer.example', to: 'support@example.com', subject: `more info [#${ticketId}]`, text: 'It happens on tray 2 only.', messageId: id() });
    expect(res.response).toMatch(/^250 /);
    expect((await commentsOf(ticketId)).map((c) => c.data.body)).toEqual(['It happens on tray 2 only.']);
  });

  it('makes one ticket and one comment of a message delivered twice', async () => {
    const first = { from: 'dan@customer.example', to: 'support@example.com', subject: 'Scanner offline', text: 'The scanner is offline.', messageId: id() };
    await m.send(first);
    await m.send(first);
    expect(await m.desk.db.models.Ticket.countDocuments({ 'requester.email': 'dan@customer.example' })).toBe(1);
    const ticketId = (await ticketOf(first.messageId))!;
    const reply = { from: 'dan@customer.example', to: 'support@example.com', subject: `Re: [#${ticketId}] Scanner offline`, text: 'Back online.', messageId: id() };
    const answers = await Promise.all([m.send(reply), m.send(reply)]);
    expect(answers.map((a) => a.response.slice(0, 3))).toEqual(['250', '250']);
    expect(await commentsOf(ticketId)).toHaveLength(1);
  });

  it('records an auto-reply on its ticket as an internal note and never answers it; drops one that threads to nothing', async () => {
    const { messageId, ticketId } = await newTicket('erin@customer.example');
    await until(async () => (await m.desk.notifications(ticketId)).every((n) => n.status === 'sent'));
    const outboxBefore = (await m.desk.notifications(ticketId)).length;
    await m.send({ from: 'erin@customer.example', to: 'support@example.com', subject: 'Automatic reply: Printer on floor 3 jams', text: 'I am out of office until Monday.', messageId: id(), inReplyTo: messageId, headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' } });
    const [note] = await commentsOf(ticketId);
    expect(note).toMatchObject({ visibility: 'internal', actor: { id: 'email:erin@customer.example', role: 'system' } });
    expect(note!.data.body).toContain('Auto-Submitted: auto-replied');
    // The note made no notification at all: nobody is mailed about an out-of-office.
    expect((await m.desk.notifications(ticketId)).length).toBe(outboxBefore);
    const erin = m.desk.token({ sub: 'erin', role: 'requester', email: 'erin@customer.example' });
    expect(JSON.stringify((await m.desk.http('GET', `/tickets/${ticketId}/timeline`, { token: erin })).body)).not.toContain('out of office');

    const bulk = await m.send({ from: 'news@list.example', to: 'support@example.com', subject: 'Our newsletter', text: 'News', messageId: id(), headers: { Precedence: 'bulk' } });
    expect(bulk.response).toMatch(/^250 .*dropped/);
    const bounce = await m.send({ from: 'MAILER-DAEMON@mx.customer.example', to: 'support@example.com', subject: 'Undelivered Mail Returned to Sender', text: 'gone', messageId: id(), envelope: { from: '', to: ['support@example.com'] } });
    expect(bounce.response).toMatch(/^250 .*dropped/);
    expect(await m.desk.db.models.Ticket.countDocuments({ 'requester.email': { $in: ['news@list.example', 'mailer-daemon@mx.customer.example'] } })).toBe(0);
  });

  it('refuses mail for an address the desk does not serve at RCPT with 550', async () => {
    const err = await m.send({ from: 'fay@customer.example', to: 'nobody@example.com', subject: 'Hello', text: 'hi', messageId: id() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    // With a served address beside it, the message is taken for that one only.
    const mixed = await m.send({ from: 'fay@customer.example', to: ['nobody@example.com', 'support@example.com'], subject: 'Hello again', text: 'hi', messageId: id() });
    expect(mixed.rejected).toEqual(['nobody@example.com']);
    expect(mixed.accepted).toEqual(['support@example.com']);
  });

  it('refuses oversize mail at DATA with 552 and stores nothing of it', async () => {
    const files = () => m.desk.db.connection.db!.collection('attachments.files').countDocuments();
    const before = await files();
    const err = await m.send({ from: 'gail@customer.example', to: 'support@example.com', subject: 'Huge', text: 'see attached', messageId: id(), attachments: [{ filename: 'big.pdf', content: randomBytes(400_000), contentType: 'application/pdf' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 552, command: 'DATA' });
    expect(await m.desk.db.models.Ticket.countDocuments({ 'requester.email': 'gail@customer.example' })).toBe(0);
    expect(await files()).toBe(before);
  });

  it('slows down a sender who opens too many tickets: 451 at MAIL FROM until the window has room', async () => {
    for (let i = 0; i < 3; i++) await newTicket('flood@spam.example', `Problem ${i}`);
    const err = await m.send({ from: 'flood@spam.example', to: 'support@example.com', subject: 'Problem 4', text: 'again', messageId: id() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 451, command: 'MAIL FROM' });
    expect(await m.desk.db.models.Ticket.countDocuments({ 'requester.email': 'flood@spam.example' })).toBe(3);
  });

  it('keeps mail waiting (451) while a mailbox names a template the desk no longer has, and takes it once fixed', async () => {
    const root = m.desk.token({ sub: 'root', role: 'admin' });
    const templates = (await m.desk.http('GET', '/admin/templates', { token: root })).body;
    const mailboxes = [...(await m.desk.http('GET', '/admin/mailboxes', { token: root })).body, { address: 'access@example.com', name: 'Access', productLine: 'general', problemType: 'access_request' }];
    expect((await m.desk.http('PUT', '/admin/mailboxes', { token: root, body: mailboxes })).status).toBe(200);
    const without = templates.filter((t: { problemType: string }) => t.problemType !== 'access_request');
    expect((await m.desk.http('PUT', '/admin/templates', { token: root, body: without })).status).toBe(200);
    const message = { from: 'ivan@customer.example', to: 'access@example.com', subject: 'ERP access', text: 'I need read access to the ERP.', messageId: id() };
    const waiting = await m.send(message).catch((e: unknown) => e);
    expect(waiting).toMatchObject({ responseCode: 451 });
    expect((waiting as Error).message).toContain('4.3.5');
    expect((await m.desk.http('PUT', '/admin/templates', { token: root, body: templates })).status).toBe(200);
    // The sender's server retries later; by then the desk is fixed. Desk configuration is re-read within a second.
    const accepted = await until(async () => m.send(message).then((r) => r, () => null));
    expect(accepted.response).toMatch(/^250 /);
    expect(await m.desk.tickets.findById((await ticketOf(message.messageId))!)).toMatchObject({ problemType: 'access_request', channel: 'email' });
  });
});
