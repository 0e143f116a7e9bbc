// A whole help desk for one test file: its own MongoDB database and task queue on the shared real servers,
// a real worker, and (optionally) the real HTTP API on a free port.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import { apiDeps } from '../../api/deps-factory';
import { mintToken, type TokenClaims } from '../../api/http/auth';
import { loadConfig, type Config } from '../../platform/config';
import { connectDatabase, syncIndexes, type Database } from '../../platform/mongo';
import { TicketStore } from '../../store/tickets';
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
  /** Null when started with `worker: false`. */
  worker: Worker | null;
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
  const client = new Client({ connection: await Connection.connect({ address: servers.temporalAddress }) });
  const nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
  const worker =
    options.worker === false
      ? null
      : await createTicketWorker({
          connection: nativeConnection,
          namespace: config.temporalNamespace,
          taskQueue,
          deps: activityDeps(db, silentLogger),
          workflowBundle: { codePath: servers.workflowBundle },
        });
  const running = worker ? worker.run() : Promise.resolve();

  let server: Server | undefined;
  let baseUrl = '';
  if (options.api !== false) {
    const app = createApp(apiDeps(config, silentLogger, client, db));
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
    worker,
    baseUrl,
    token: (claims) => mintToken(claims, TEST_SECRET),
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
      await nativeConnection.close();
      await client.connection.close();
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
