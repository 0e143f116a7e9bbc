// Where notifications go: mail to the requester and agents through the SMTP relay (SMTP_URL), and signed
// webhooks to configured URLs, or the log in development.
import { createHash, createHmac } from 'node:crypto';
import nodemailer, { type SendMailOptions, type SentMessageInfo, type Transporter } from 'nodemailer';
import { composeNotice, domainOf, parseAddress } from '../domain/mail';
import type { Notification, Recipient } from '../domain/notifications';
import type { DeskConfigStore } from '../store/desk-config';
import type { MailStore } from '../store/mail';
import type { Logger } from './logger';

export interface NotificationSender {
  send(notification: Notification): Promise<void>;
}

/** A delivery the receiver refused for good (an SMTP 5xx): the relay records it failed and does not try again. */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;
}

export const isPermanentDelivery = (err: unknown): boolean => err instanceof PermanentDeliveryError;

export class ConsoleSender implements NotificationSender {
  constructor(private readonly logger: Logger) {}

  async send(notification: Notification): Promise<void> {
    this.logger.info({ notification }, `notify ${notification.to.type}: ${notification.subject}`);
  }
}

/**
 * POSTs the notification as JSON to every URL. Receivers check `X-Support-Signature: t=<unix>,v1=<hex>`,
 * the HMAC-SHA256 of "<t>.<body>" with the shared secret, and refuse old timestamps to stop replays.
 */
export class WebhookSender implements NotificationSender {
  constructor(
    private readonly urls: string[],
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(notification: Notification): Promise<void> {
    const body = JSON.stringify(notification);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'x-support-signature': signature(this.secret, timestamp, body),
      'x-support-delivery': notification.id,
    };
    for (const url of this.urls) {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
    }
  }
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The stores the mail sender reads and records in; the worker builds them from its own connection. */
export interface MailDeps {
  mail: MailStore;
  deskConfig: DeskConfigStore;
}

export function senderFromEnv(env: NodeJS.ProcessEnv, logger: Logger, mailDeps?: MailDeps): NotificationSender {
  const urls = (env.NOTIFY_WEBHOOK_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length > 0 && !env.NOTIFY_WEBHOOK_SECRET) throw new Error('NOTIFY_WEBHOOK_URLS is set but NOTIFY_WEBHOOK_SECRET is not: webhooks are always signed');
  const hooks = urls.length > 0 ? new WebhookSender(urls, env.NOTIFY_WEBHOOK_SECRET!) : new ConsoleSender(logger);
  if (!env.SMTP_URL || !mailDeps) return hooks;
  if (!env.MAIL_FROM) throw new Error('SMTP_URL is set but MAIL_FROM is not: notices need a From address (one the intake serves, so replies come back)');
  return new FanOutSender([new SmtpSender(smtpTransport(env.SMTP_URL), mailDeps, env.MAIL_FROM), hooks]);
}

/** A nodemailer transport for the relay URL (smtp:// with STARTTLS when offered, smtps:// for TLS), with timeouts well inside the relay's lease. */
export function smtpTransport(url: string): Transporter {
  const relay = new URL(url);
  return nodemailer.createTransport({
    host: relay.hostname,
    port: Number(relay.port) || (relay.protocol === 'smtps:' ? 465 : 587),
    secure: relay.protocol === 'smtps:',
    ...(relay.username ? { auth: { user: decodeURIComponent(relay.username), pass: decodeURIComponent(relay.password) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/** Every sender gets every notification; a temporary failure of any is retried (each is idempotent per notification). */
export class FanOutSender implements NotificationSender {
  constructor(private readonly senders: NotificationSender[]) {}

  async send(notification: Notification): Promise<void> {
    const failures: unknown[] = [];
    for (const sender of this.senders) {
      try {
        await sender.send(notification);
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length === 0) return;
    const message = failures.map((f) => (f as Error).message ?? String(f)).join('; ');
    throw failures.every(isPermanentDelivery) ? new PermanentDeliveryError(message) : new Error(message);
  }
}

/**
 * Mails a notification to its recipients who have an address: the requester, an agent, a group's agents
 * (supervisors have no address book and stay on webhooks and the log). Each notice has a Message-ID derived from
 * its notification, recorded on the ticket before it goes, and points at the ticket's first message so clients
 * thread it. What was sent is recorded per notification: a relay that restarts never sends a notice twice.
 */
export class SmtpSender implements NotificationSender {
  private readonly domain: string;

  constructor(
    private readonly transport: { sendMail(message: SendMailOptions): Promise<SentMessageInfo> },
    private readonly deps: MailDeps,
    private readonly from: string,
  ) {
    this.domain = domainOf(from);
  }

  async send(notification: Notification): Promise<void> {
    const to = await this.addressesOf(notification.to);
    if (to.length === 0) return;
    const record = await this.deps.mail.sentRecord(notification.id);
    if (record?.status === 'sent') return;
    if (record?.status === 'failed') throw new PermanentDeliveryError(record.lastError ?? 'the relay refused this notice');
    const messageId = record?.messageId ?? noticeMessageId(notification, this.domain);
    const root = await this.deps.mail.threadRoot(notification.ticketId);
    const thread = root && root !== messageId ? root : null;
    const notice = composeNotice(notification, notification.to.type === 'requester' ? 'requester' : 'staff');
    await this.deps.mail.beginSend({ _id: notification.id, ticketId: notification.ticketId, kind: notification.kind, messageId, to: to.map((a) => a.address), subject: notice.subject, createdAt: new Date().toISOString() });
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to,
        subject: notice.subject,
        text: notice.text,
        html: notice.html,
        messageId,
        ...(thread ? { inReplyTo: thread, references: [thread] } : {}),
        // Auto-Submitted stops well-behaved auto-responders answering; Microsoft's own header does the same for Exchange.
        headers: notice.autoSubmitted ? { 'Auto-Submitted': notice.autoSubmitted, 'X-Auto-Response-Suppress': 'All' } : {},
      });
      await this.deps.mail.markSent(notification.id, new Date().toISOString(), (info.rejected ?? []).map(String));
    } catch (err) {
      const permanent = (err as { permanent?: boolean }).permanent === true && (err as { code?: string }).code !== 'EAUTH';
      const message = `mail: ${(err as Error).message ?? String(err)}`;
      await this.deps.mail.markFailed(notification.id, message, permanent);
      throw permanent ? new PermanentDeliveryError(message) : new Error(message);
    }
  }

  private async addressesOf(to: Recipient): Promise<Array<{ name: string; address: string }>> {
    switch (to.type) {
      case 'requester':
        return to.email ? [mailbox(to.email, to.name)] : [];
      case 'agent': {
        const agent = await this.deps.deskConfig.agent(to.id);
        return agent?.email ? [mailbox(agent.email, agent.name)] : [];
      }
      case 'group':
        return (await this.deps.deskConfig.agents({ group: to.id })).filter((a) => a.email).map((a) => mailbox(a.email!, a.name));
      case 'supervisors':
        return [];
    }
  }
}

/** Stable for a notification, so a resent notice keeps its Message-ID and clients see one message. */
export const noticeMessageId = (notification: Pick<Notification, 'id' | 'ticketId'>, domain: string) =>
  `<${createHash('sha256').update(notification.id).digest('hex').slice(0, 32)}.${notification.ticketId}@${domain}>`;

const mailbox = (email: string, name: string | undefined) => ({ name: name ?? '', address: parseAddress(email).email });
