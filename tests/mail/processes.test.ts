// The mail entry points as `npm start` runs them (stack/apps productApps): the intake and the sink in processes of
// their own, ready when their ports accept connections, against this test's servers. A message sent to the intake
// process becomes a ticket, and its acknowledgement lands in the sink process's folder as an .eml file.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { productApps, type RestartableApp } from '../../stack/apps';
import { freePort } from '../../stack/processes';
import { loadConfig } from '../../platform/config';
import { senderFromEnv } from '../../platform/notifier';
import { DeskConfigStore } from '../../store/desk-config';
import { MailStore } from '../../store/mail';
import { changeRelay, type ChangeRelay } from '../../worker/change-relay';
import { silentLogger, startDesk, TEST_MASTER_KEY, testServers, type TestDesk } from '../helpers/desk';
import { MAIL_FROM, until } from '../helpers/mail';

let desk: TestDesk;
let apps: RestartableApp[] = [];
let relay: ChangeRelay;
let intakePort: number;
const output: string[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'mail-sent-'));

beforeAll(async () => {
  desk = await startDesk('mail-processes', { api: false, relay: false, config: { mail: { ...loadConfig({}).mail, mailFrom: MAIL_FROM } } });
  let sinkPort: number;
  [intakePort, sinkPort] = await Promise.all([freePort(), freePort()]);
  const env = {
    ...process.env,
    MONGODB_URI: `${testServers().mongoUrl}/${desk.db.connection.name}`,
    TEMPORAL_ADDRESS: testServers().temporalAddress,
    TEMPORAL_TASK_QUEUE: desk.config.taskQueue,
    MAIL_FROM,
    LOG_LEVEL: 'info',
    // The intake encrypts what it hands the workflow with the desk's keys, as the desk's worker decodes them.
    PAYLOAD_MASTER_KEY: TEST_MASTER_KEY,
  };
  apps = productApps({ env, workers: 0, apiPorts: [], mail: { intakePort, sink: { port: sinkPort, dir } }, log: (source, line) => output.push(`[${source}] ${line}`) });
  await Promise.all(apps.map((app) => app.start()));
  // The worker's relay, as `npm start` points it: SMTP_URL at the sink.
  const sender = senderFromEnv({ SMTP_URL: `smtp://127.0.0.1:${sinkPort}`, MAIL_FROM }, silentLogger, { mail: new MailStore(desk.db.models), deskConfig: new DeskConfigStore(desk.db.models) });
  relay = changeRelay(desk.db, sender, silentLogger, { intervalMs: 20, retryEveryMs: 20, leaseMs: 30_000, maxAttempts: 5, backoffMs: () => 50 });
  relay.start();
}, 120_000);
afterAll(async () => {
  await relay?.stop();
  await Promise.all(apps.map((app) => app.process?.stop()));
  await desk.close();
});

it('runs the intake and the sink as processes that take mail in and write notices out', async () => {
  expect(apps.map((a) => a.name)).toEqual(['mail-sink', 'mail-intake']);
  // Its log line comes through a pipe, maybe after the port already accepts.
  await until(async () => output.some((l) => l.startsWith('[mail-intake]') && l.includes('"msg":"mail intake ready"')));
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: intakePort, ignoreTLS: true });
  try {
    const res = await client.sendMail({ from: 'Jo <jo@customer.example>', to: 'support@example.com', subject: 'Wi-Fi drops in room 4.12', text: 'Every ten minutes.', messageId: '<proc-1@customer.example>' });
    expect(res.response).toMatch(/^250 /);
  } finally {
    client.close();
  }
  const ticketId = (await desk.db.models.MailThread.findById('<proc-1@customer.example>').lean())!.ticketId;
  const file = await until(async () => readdirSync(dir).find((f) => f.endsWith('.eml') && readFileSync(path.join(dir, f), 'utf8').includes('X-Envelope-To: <jo@customer.example>')));
  const ack = await simpleParser(readFileSync(path.join(dir, file)));
  expect(ack.subject).toBe(`[#${ticketId}] Wi-Fi drops in room 4.12`);
  expect(ack.inReplyTo).toBe('<proc-1@customer.example>');
  await until(async () => output.some((l) => l.startsWith('[mail-sink]') && l.includes('mail written')));
});
