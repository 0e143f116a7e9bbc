// Notifications leave through the change relay: signed webhooks, retried (through the outbox) until the receiver takes them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signature, WebhookSender } from '../../platform/notifier';
import { changeRelay } from '../../worker/change-relay';
import { silentLogger, startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
let server: Server;
let url: string;
const received: Array<{ body: string; signature: string; delivery: string }> = [];
let failuresLeft = 0;

beforeAll(async () => {
  desk = await startDesk('e2e-notify', { relay: false });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body, signature: String(req.headers['x-support-signature']), delivery: String(req.headers['x-support-delivery']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await desk.close();
  await new Promise((r) => server.close(r));
});

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('delivers each queued notification once, signed, retrying when the receiver fails', async () => {
  failuresLeft = 2;
  const outbox = { forTicket: (id: string) => desk.notifications(id) };
  const relay = changeRelay(desk.db, new WebhookSender([url], 'hook-secret'), silentLogger, { intervalMs: 20, retryEveryMs: 20, leaseMs: 5_000, maxAttempts: 5, backoffMs: () => 50 });
  relay.start();
  try {
    const res = await desk.http('POST', '/tickets', { token: desk.token({ sub: 'alice', role: 'requester' }), body: createTicketBody });
    const queued = await outbox.forTicket(res.body.id);
    expect(queued.map((n) => n.kind).sort()).toEqual(['assigned', 'ticket_received']);
    await until(async () => (await outbox.forTicket(res.body.id)).every((n) => n.status === 'sent'));

    const mine = received.filter((r) => JSON.parse(r.body).ticketId === res.body.id);
    expect(mine.map((r) => r.delivery).sort()).toEqual(queued.map((n) => n._id).sort());
    for (const r of mine) {
      const t = Number(/t=(\d+)/.exec(r.signature)![1]);
      expect(r.signature).toBe(signature('hook-secret', t, r.body));
    }
    const attempts = (await outbox.forTicket(res.body.id)).map((n) => n.attempts);
    expect(attempts.reduce((a, b) => a + b, 0)).toBe(queued.length + 2);
  } finally {
    await relay.stop();
  }
});

it('gives up after the last attempt and records why', async () => {
  failuresLeft = 1_000;
  const outbox = { forTicket: (id: string) => desk.notifications(id) };
  const relay = changeRelay(desk.db, new WebhookSender([url], 'hook-secret'), silentLogger, { intervalMs: 20, retryEveryMs: 20, leaseMs: 5_000, maxAttempts: 3, backoffMs: () => 20 });
  relay.start();
  try {
    const res = await desk.http('POST', '/tickets', { token: desk.token({ sub: 'bob', role: 'requester' }), body: createTicketBody });
    await until(async () => (await outbox.forTicket(res.body.id)).every((n) => n.status === 'failed'));
    for (const n of await outbox.forTicket(res.body.id)) expect(n).toMatchObject({ attempts: 3, lastError: expect.stringContaining('503') });
  } finally {
    await relay.stop();
    failuresLeft = 0;
  }
});
