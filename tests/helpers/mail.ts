// A desk with mail: the SMTP intake and the local sink on free ports, and the notification relay sending through
// the sink, all real servers (smtp-server, nodemailer, GridFS on the test FerretDB). Mail is sent with nodemailer
// and read back from the sink's .eml files with mailparser.
import { mkdtempSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { SMTPServer } from 'smtp-server';
import { apiDeps } from '../../api/deps-factory';
import { createIntakeServer } from '../../mail/intake-server';
import { startMailSink, type MailSink } from '../../mail/sink';
import { loadConfig, type MailSettings } from '../../platform/config';
import { senderFromEnv } from '../../platform/notifier';
import { DeskConfigStore } from '../../store/desk-config';
import { MailStore } from '../../store/mail';
import { changeRelay } from '../../worker/change-relay';
import { silentLogger, startDesk, type TestDesk } from './desk';

export const MAIL_FROM = 'Support <support@example.com>';

export interface MailDesk {
  desk: TestDesk;
  intakePort: number;
  sink: MailSink;
  /** Sends one message to the intake over SMTP; rejects with nodemailer's error (responseCode, command). */
  send(message: SendMailOptions): Promise<{ response: string; accepted: unknown[]; rejected: unknown[] }>;
  /** Every message the sink has written so far, parsed. */
  sent(): Promise<Array<ParsedMail & { file: string }>>;
  close(): Promise<void>;
}

export async function startMailDesk(label: string, mail: Partial<MailSettings> = {}): Promise<MailDesk> {
  const sink = await startMailSink({ port: 0, dir: mkdtempSync(path.join(tmpdir(), 'mail-sink-')) });
  const settings: MailSettings = { ...loadConfig({}).mail, mailFrom: MAIL_FROM, smtpUrl: `smtp://127.0.0.1:${sink.port}`, ...mail };
  // Its own relay sends through the sink: the desk's would only log.
  const desk = await startDesk(label, { relay: false, config: { mail: settings } });
  const { intake } = apiDeps(desk.config, silentLogger, desk.client, desk.db, desk.codec);
  const server: SMTPServer = createIntakeServer({ intake, maxMessageBytes: settings.maxMessageBytes, logger: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const intakePort = (server.server.address() as AddressInfo).port;
  // The relay as the worker builds it: mail through SMTP_URL beside the log, from the same environment variables.
  const sender = senderFromEnv({ SMTP_URL: settings.smtpUrl, MAIL_FROM }, silentLogger, { mail: new MailStore(desk.db.models), deskConfig: new DeskConfigStore(desk.db.models) });
  const relay = changeRelay(desk.db, sender, silentLogger, { intervalMs: 20, retryEveryMs: 20, leaseMs: 30_000, maxAttempts: 5, backoffMs: () => 50 });
  relay.start();
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: intakePort, secure: false, ignoreTLS: true });

  return {
    desk,
    intakePort,
    sink,
    send: (message) => client.sendMail(message),
    async sent() {
      const files = (await readdir(sink.dir)).filter((f) => f.endsWith('.eml')).sort();
      return Promise.all(files.map(async (file) => Object.assign(await simpleParser(await readFile(path.join(sink.dir, file))), { file })));
    },
    async close() {
      client.close();
      await relay.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sink.close();
      await desk.close();
    },
  };
}

/** Polls until the check holds (never a fixed sleep); fails after `ms`. */
export async function until<T>(check: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first address of a parsed address header. */
export const addressOf = (header: ParsedMail['to']) => (Array.isArray(header) ? header[0] : header)?.value[0]?.address;

/** A header value as text (mailparser keeps some structured). */
export const headerText = (mail: ParsedMail, name: string) => {
  const value = mail.headers.get(name);
  return typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
};
