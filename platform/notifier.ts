// Where notifications go: signed webhooks to configured URLs, or the log in development.
import { createHmac } from 'node:crypto';
import type { Notification } from '../domain/notifications';
import type { Logger } from './logger';

export interface NotificationSender {
  send(notification: Notification): Promise<void>;
}

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

export function senderFromEnv(env: NodeJS.ProcessEnv, logger: Logger): NotificationSender {
  const urls = (env.NOTIFY_WEBHOOK_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length === 0) return new ConsoleSender(logger);
  if (!env.NOTIFY_WEBHOOK_SECRET) throw new Error('NOTIFY_WEBHOOK_URLS is set but NOTIFY_WEBHOOK_SECRET is not: webhooks are always signed');
  return new WebhookSender(urls, env.NOTIFY_WEBHOOK_SECRET);
}
