// Delivery guarantees of mail, both ways, against real SMTP servers: the intake answers 250 only once a message is
// stored, so a sender whose message met a desk that could not store it retries, and the retry makes no second
// ticket; notices are retried with backoff on 4xx, recorded failed on 5xx, and never sent twice by a relay that
// restarts (the outbox and the mail record stay the source of truth). Webhooks still get every notification.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NativeConnection } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { apiDeps } from '../../api/deps-factory';
import { createIntakeServer } from '../../mail/intake-server';
import { loadConfig } from '../../platform/config';
import { senderFromEnv } from '../../platform/notifier';
import { DeskConfigStore } from '../../store/desk-config';
import { MailStore } from '../../store/mail';
import { activityDeps } from '../../worker/deps';
import { changeRelay, type ChangeRelay } from '../../worker/change-relay';
import { createTicketWorker } from '../../worker/worker';
import { silentLogger, startDesk, testServers, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';
import { addressOf, MAIL_FROM, until } from '../helpers/mail';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('mail-delivery', { relay: false, config: { mail: { ...loadConfig({}).mail, mailFrom: MAIL_FROM } } });
});
afterAll(() => desk.close());

const listen = (server: { listen(port: number, host: string, cb: () => void): unknown }) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

describe('the intake acknowledges only what is stored', () => {
  it('answers 451 while the desk cannot store the message, and the retry opens the ticket once', async () => {
    // A desk whose workflows have no worker yet: the intake cannot get the ticket stored in time.
    const taskQueue = `tq_stalled_${randomBytes(4).toString('hex')}`;
    const stalled = apiDeps({ ...desk.config, taskQueue, updateTimeoutMs: 1_500 }, silentLogger, desk.client, desk.db, desk.codec).intake;
    const ready = apiDeps({ ...desk.config, taskQueue }, silentLogger, desk.client, desk.db, desk.codec).intake;
    const servers = [createIntakeServer({ intake: stalled, maxMessageBytes: 1_000_000, logger: silentLogger }), createIntakeServer({ intake: ready, maxMessageBytes: 1_000_000, logger: silentLogger })];
    for (const server of servers) await listen(server);
    const [first, retry] = servers.map((s) => nodemailer.createTransport({ host: '127.0.0.1', port: (s.server.address() as AddressInfo).port, ignoreTLS: true }));
    const message = { from: 'hana@customer.example', to: 'support@example.com', subject: 'Badge reader broken', text: 'The badge reader at door B refuses every badge.', messageId: `<${randomBytes(6).toString('hex')}@customer.example>` };
    const connection = await NativeConnection.connect({ address: testServers().temporalAddress });
    try {
      const refused = await first!.sendMail(message).catch((e: unknown) => e);
      expect(refused).toMatchObject({ responseCode: 451 });
      // Not acknowledged, and not stored either: the sender keeps the message and tries again.
      expect(await desk.db.models.Ticket.countDocuments({ 'requester.email': 'hana@customer.example' })).toBe(0);

      const worker = await createTicketWorker({ connection, namespace: 'default', taskQueue, deps: activityDeps(desk.db, silentLogger), codec: desk.codec, workflowBundle: { codePath: testServers().workflowBundle } });
      const running = worker.run();
      try {
        const accepted = await retry!.sendMail(message);
        expect(accepted.response).toMatch(/^250 /);
        expect(await desk.db.models.Ticket.countDocuments({ 'requester.email': 'hana@customer.example' })).toBe(1);
        expect(await desk.db.models.MailThread.countDocuments({ _id: message.messageId })).toBe(1);
      } finally {
        worker.shutdown();
        await running;
      }
    } finally {
      first!.close();
      retry!.close();
      await connection.close();
      for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('notices through a relay that defers and refuses', () => {
  const received: Array<{ raw: Buffer; mail: ParsedMail }> = [];
  const hooks: string[] = [];
  let deferLeft = 0;
  let relayServer: SMTPServer;
  let hookServer: Server;
  let relay: ChangeRelay;
  let sender: ReturnType<typeof senderFromEnv>;

  beforeAll(async () => {
    relayServer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('defer') && deferLeft > 0) {
          deferLeft--;
          return callback(Object.assign(new Error('4.2.1 Mailbox busy, try again later'), { responseCode: 451 }));
        }
        if (address.address.startsWith('gone')) return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
        callback();
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.once('end', () => {
          const raw = Buffer.concat(chunks);
          void simpleParser(raw).then((mail) => {
            received.push({ raw, mail });
            callback();
          });
        });
      },
    });
    await listen(relayServer);
    hookServer = createServer((req, res) => {
      hooks.push(String(req.headers['x-support-delivery']));
      req.resume().on('end', () => res.writeHead(204).end());
    });
    await listen(hookServer);
    const env = {
      SMTP_URL: `smtp://127.0.0.1:${(relayServer.server.address() as AddressInfo).port}`,
      MAIL_FROM,
      NOTIFY_WEBHOOK_URLS: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`,
      NOTIFY_WEBHOOK_SECRET: 'hook-secret',
    };
    sender = senderFromEnv(env, silentLogger, { mail: new MailStore(desk.db.models), deskConfig: new DeskConfigStore(desk.db.models) });
    relay = newRelay();
  });
  afterAll(async () => {
    await relay.stop();
    await new Promise<void>((resolve) => relayServer.close(() => resolve()));
    await new Promise((resolve) => hookServer.close(resolve));
  });

  const newRelay = () => {
    const started = changeRelay(desk.db, sender, silentLogger, { intervalMs: 20, retryEveryMs: 20, leaseMs: 30_000, maxAttempts: 5, backoffMs: (attempt) => 50 * attempt });
    started.start();
    return started;
  };
  const openTicket = async (email: string) => (await desk.http('POST', '/tickets', { token: desk.token({ sub: email.split('@')[0]!, role: 'requester', email }), body: createTicketBody })).body.id as string;
  const settled = (ticketId: string) => until(async () => {
    const items = await desk.notifications(ticketId);
    return items.length > 0 && items.every((n) => n.status === 'sent' || n.status === 'failed') ? items : null;
  });
  const copiesTo = (address: string) => received.filter((r) => addressOf(r.mail.to) === address);

  it('retries a deferred notice with backoff and delivers it once; webhooks get every notification too', async () => {
    deferLeft = 2;
    const ticketId = await openTicket('defer@customer.example');
    const items = await settled(ticketId);
    const ack = items.find((n) => n.kind === 'ticket_received')!;
    expect(ack).toMatchObject({ status: 'sent', attempts: 3 });
    expect(copiesTo('defer@customer.example')).toHaveLength(1);
    const record = await desk.db.models.MailSent.findById(ack._id).lean();
    expect(record).toMatchObject({ status: 'sent', attempts: 3, to: ['defer@customer.example'] });
    expect(copiesTo('defer@customer.example')[0]!.mail.messageId).toBe(record!.messageId);
    expect(new Set(hooks.filter((h) => h.startsWith(ticketId)))).toEqual(new Set(items.map((n) => n._id)));
  });

  it('records a refused notice as failed at once, without retrying, and staff see why', async () => {
    const ticketId = await openTicket('gone@customer.example');
    const items = await settled(ticketId);
    expect(items.find((n) => n.kind === 'ticket_received')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('550') });
    // The agent's notice of the same change went out: one refusal fails its own notice only.
    expect(items.find((n) => n.kind === 'assigned')).toMatchObject({ status: 'sent' });
    const mail = await desk.http('GET', `/tickets/${ticketId}/mail`, { token: desk.token({ sub: 'sam', role: 'supervisor' }) });
    expect(mail.body.items.find((i: { kind: string }) => i.kind === 'ticket_received')).toMatchObject({ status: 'failed', lastError: expect.stringContaining('550'), sentAt: null });
  });

  it('never sends a notice twice when a relay restarts after sending it', async () => {
    const ticketId = await openTicket('ivy@customer.example');
    const ack = (await settled(ticketId)).find((n) => n.kind === 'ticket_received')!;
    expect(copiesTo('ivy@customer.example')).toHaveLength(1);
    // The relay died after the relay server took the notice, before its batch was recorded finished: the next
    // relay takes over and delivers that batch again.
    const batch = (await desk.db.models.Change.findOne({ ticketId, 'notifications.id': ack._id }).lean())!.relay as number;
    await relay.stop();
    await desk.db.models.RelayLease.updateOne({ _id: 'changes' }, { $set: { leader: 'a relay that died', leaseUntil: new Date(0).toISOString(), batch, finished: false } });
    relay = newRelay();
    await until(async () => (await desk.db.models.RelayLease.findById('changes').lean())?.finished === true);
    expect(copiesTo('ivy@customer.example')).toHaveLength(1);
    expect(await desk.db.models.MailSent.findById(ack._id).lean()).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
