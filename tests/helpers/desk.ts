// A whole help desk for one test file: its own MongoDB database and task queue on the shared real servers,
// a real worker, and (optionally) the real HTTP API on a free port.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection, type Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import { apiDeps } from '../../api/deps-factory';
import { mintToken, type TokenClaims } from '../../api/http/auth';
import { loadConfig, type Config } from '../../platform/config';
import { connectDatabase, syncIndexes, type Database } from '../../platform/mongo';
import { payloadCodec, warmPayloadKeys, type EncryptionCodec } from '../../platform/payload-codec';
import { masterKeysOf } from '../../platform/payload-keys';
import { temporalClient } from '../../platform/temporal';
import { TicketStore } from '../../store/tickets';
import { ConsoleSender } from '../../platform/notifier';
import { AgentLoadStore } from '../../store/agent-load';
import { OutboxStore } from '../../store/outbox';
import { changeRelay, type ChangeRelay } from '../../worker/change-relay';
import { seedDemoDesk } from '../../stack/seed';
import { activityDeps } from '../../worker/deps';
import { createTicketWorker } from '../../worker/worker';

// The SDK's routine INFO lines (worker state changes) would bury test output.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}

export const TEST_SECRET = 'test-secret-for-jwt-signing-only';
/** The tests' PAYLOAD_MASTER_KEY: every desk encrypts its tickets' payloads, each with its own keys in its own database. */
export const TEST_MASTER_KEY = '7e57'.repeat(16);

export function testServers() {
  const need = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the tests through jest so the global setup starts the servers`);
    return value;
  };
  return {
    temporalAddress: need('TEST_TEMPORAL_ADDRESS'),
    mongoUrl: need('TEST_MONGO_URL'),
    workflowBundle: need('TEST_WORKFLOW_BUNDLE'),
    timeSkippingServer: need('TEST_TIME_SKIPPING_SERVER'),
  };
}

export { seedDemoDesk };

/** A ticket's whole timeline, as GET /tickets/{id}/timeline reads it for staff. */
export const timelineOf = (db: Database, ticketId: string) => new TicketStore(db.models).timeline(ticketId, { includeInternal: true, afterSeq: 0, limit: 100_000 });

/** A ticket's notifications and where their delivery stands (the change relay's, then the outbox's). */
export const notificationsOf = (db: Database, ticketId: string) => new OutboxStore(db.models, new TicketStore(db.models).changes).forTicket(ticketId);

const uniqueName = (label: string) => `${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;

export async function openTestDatabase(label: string): Promise<Database> {
  const db = await connectDatabase(`${testServers().mongoUrl}/t_${uniqueName(label)}`);
  await syncIndexes(db);
  return db;
}

// TEST_LOG=debug shows what the API and activities log while a test runs.
export const silentLogger = pino({ level: process.env.TEST_LOG ?? 'silent' });

export interface TestDesk {
  config: Config;
  db: Database;
  tickets: TicketStore;
  client: Client;
  /** The payload codec of the desk's client, worker and API; null when started with `codec: false`. */
  codec: EncryptionCodec | null;
  /** Null when started with `worker: false`. */
  worker: Worker | null;
  /** The change relay as the worker runs it (notices to the log); null when started with `relay: false`. */
  relay: ChangeRelay | null;
  /** Resolves once the relay has delivered and folded every change recorded so far (a condition, not a pause). */
  relayed(): Promise<void>;
  /** A ticket's whole timeline, as GET /tickets/{id}/timeline reads it for staff. */
  timeline(ticketId: string): Promise<Array<import('../../domain/timeline').TimelineEvent>>;
  /** A ticket's notifications and where their delivery stands (the change relay's, then the outbox's). */
  notifications(ticketId: string): ReturnType<OutboxStore['forTicket']>;
  /** How many open tickets an agent holds, as dispatch counts them (once the relay folded the changes in). */
  loadOf(agent: string): Promise<number>;
  /** Set when started with the API. */
  baseUrl: string;
  token(claims: TokenClaims): string;
  http(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface DeskOptions {
  /** Start the HTTP API too (default true). */
  api?: boolean;
  /** Seed the demo desk's groups, agents, rules and templates (default true). */
  seed?: boolean;
  /** Run a worker in this process (default true); tests that kill workers run their own. */
  worker?: boolean;
  /** Run the change relay in this process (default true); tests of notices run their own, with their sender. */
  relay?: boolean;
  /** Encrypt payloads (default true); false runs the desk as PAYLOAD_ENCRYPTION=off would. */
  codec?: boolean;
  config?: Partial<Config>;
}

export async function startDesk(label: string, options: DeskOptions = {}): Promise<TestDesk> {
  const servers = testServers();
  const taskQueue = `tq_${uniqueName(label)}`;
  const config: Config = {
    ...loadConfig({}),
    temporalAddress: servers.temporalAddress,
    taskQueue,
    jwtSecret: TEST_SECRET,
    port: 0,
    // Tests fire requests faster than any person; the rate limit has its own test.
    rateLimit: 100_000,
    rateBurst: 100_000,
    ...options.config,
  };
  const db = await openTestDatabase(label);
  if (options.seed !== false) await seedDemoDesk(db);
  const tickets = new TicketStore(db.models);
  const codec = options.codec === false ? null : payloadCodec(masterKeysOf(TEST_MASTER_KEY), db.connection.db!);
  await warmPayloadKeys(codec);
  const client = temporalClient(await Connection.connect({ address: servers.temporalAddress }), codec);
  const nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
  const deps = activityDeps(db, silentLogger, { client, codec });
  const worker =
    options.worker === false
      ? null
      : await createTicketWorker({
          connection: nativeConnection,
          namespace: config.temporalNamespace,
          taskQueue,
          deps,
          codec,
          workflowBundle: { codePath: servers.workflowBundle },
        });
  const running = worker ? worker.run() : Promise.resolve();
  // Quick passes: tests wait on what the relay folds in (KPIs, agents' load).
  const relay = options.relay === false ? null : changeRelay(db, new ConsoleSender(silentLogger), silentLogger, { intervalMs: 50, retryEveryMs: 200, dispatcher: deps.dispatcher });
  relay?.start();

  let server: Server | undefined;
  let baseUrl = '';
  if (options.api !== false) {
    const app = createApp(apiDeps(config, silentLogger, client, db, codec));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  return {
    config,
    db,
    tickets,
    client,
    codec,
    worker,
    relay,
    baseUrl,
    token: (claims) => mintToken(claims, TEST_SECRET),
    async relayed() {
      for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 50))) {
        // Nothing pending, then the last batch begun finished: every change recorded before was in a finished batch.
        if (!(await tickets.changes.anyPending()) && ((await db.models.RelayLease.findById('changes').lean())?.finished ?? true)) return;
        if (Date.now() > deadline) throw new Error('the change relay did not catch up within 30 s');
      }
    },
    timeline: (ticketId) => timelineOf(db, ticketId),
    notifications: (ticketId) => notificationsOf(db, ticketId),
    loadOf: (agent) => new AgentLoadStore(db.models).of(agent),
    async http(method, path, { token, body, headers = {}, raw } = {}) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async close() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      worker?.shutdown();
      await running;
      await relay?.stop();
      await nativeConnection.close();
      await client.connection.close();
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
