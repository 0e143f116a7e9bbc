// The product under benchmark: its worker and API as processes of their own (as `npm start` runs them), on a
// fresh database seeded with the demo desk, plus the baseline worker beside it on the same Temporal server.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection, type Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { mintToken } from '../api/http/auth';
import { DEFAULT_CACHED_WORKFLOWS } from '../platform/config';
import { connectDatabase, type Database } from '../platform/mongo';
import { payloadCodec, type EncryptionCodec } from '../platform/payload-codec';
import { masterKeysOf } from '../platform/payload-keys';
import { temporalClient } from '../platform/temporal';
import { launchApp } from '../stack/apps';
import { freePort, type ManagedProcess } from '../stack/processes';
import { seedIfEmpty } from '../stack/seed';
import type { BenchServers } from './stack';

export const SECRET = 'bench-secret';
/** The benchmark's PAYLOAD_MASTER_KEY: the product runs as production does, its payloads encrypted. */
export const BENCH_MASTER_KEY = 'be'.repeat(32);

/** The codec the benchmark's own clients use, with the product's keys in its database. */
export const benchCodec = (db: Database): EncryptionCodec => payloadCodec(masterKeysOf(BENCH_MASTER_KEY), db.connection.db!)!;

export interface Product {
  base: string;
  db: Database;
  client: Client;
  worker: ManagedProcess;
  baselineQueue: string;
  /** A client without the product's codec, for the baseline workflows (their worker decodes nothing). */
  bareClient: Client;
  /** The baselines' minimal HTTP routes (bench/baseline-api.ts), on the same servers. */
  bareBase: string;
  /** WORKER_CACHED_WORKFLOWS as the product's worker runs (its default when unset). */
  cachedWorkflows: string;
  token(sub: string, role: 'requester' | 'agent' | 'supervisor' | 'admin', groups?: string[]): string;
  /** Resident memory of the product's worker process, in MiB. */
  workerRssMiB(): number;
  /** Documents written to the MongoDB-wire server so far (own stack only: read from PostgreSQL's statistics). */
  documentWrites(): Promise<number | null>;
  /** MongoDB commands the worker and the API have sent so far, by "command collection" (driver command monitoring). */
  commandCounts(): Record<string, number>;
  stop(): Promise<void>;
}

export interface ProductOptions {
  /** False runs the worker and the API with PAYLOAD_ENCRYPTION=off, to measure what encryption costs. */
  encryption?: boolean;
}

export async function startProduct(servers: BenchServers, { encryption = true }: ProductOptions = {}): Promise<Product> {
  const database = `bench_${Date.now()}`;
  const mongodbUri = `${servers.mongoBase}/${database}`;
  await seedIfEmpty(mongodbUri, () => undefined);
  const [port, barePort] = await Promise.all([freePort(), freePort()]);
  const statsDir = mkdtempSync(path.join(tmpdir(), 'bench-commands-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    MONGODB_URI: mongodbUri,
    TEMPORAL_TASK_QUEUE: `bench-${Date.now()}`,
    AUTH_JWT_SECRET: SECRET,
    LOG_LEVEL: 'info',
    // The latency runs come from few tokens; the limiter has its own test.
    RATE_LIMIT: '100000',
    RATE_BURST: '100000',
    MONGODB_COMMAND_STATS_DIR: statsDir,
    ...(encryption ? { PAYLOAD_MASTER_KEY: BENCH_MASTER_KEY, PAYLOAD_ENCRYPTION: 'on' } : { PAYLOAD_MASTER_KEY: '', PAYLOAD_ENCRYPTION: 'off' }),
  };
  // BENCH_DEBUG shows what the product's processes log (warnings and errors).
  const log = (name: string, line: string) => {
    if (process.env.BENCH_DEBUG && /"level":(40|50|60)|WARN|ERROR/.test(line)) console.log(`[${name}] ${line}`);
  };
  const worker = launchApp('worker', { env, log });
  const baselineQueue = `baseline-${Date.now()}`;
  const baseline = launchApp('baseline-worker', { env: { ...env, TEMPORAL_TASK_QUEUE: baselineQueue }, script: 'bench/baseline-worker.ts', log });
  const api = launchApp('api', { env, port, log });
  const bareApi = launchApp('baseline-api', { env: { ...env, TEMPORAL_TASK_QUEUE: baselineQueue, MONGODB_COMMAND_STATS_DIR: '' }, port: barePort, script: 'bench/baseline-api.ts', log });
  await Promise.all([worker.ready, baseline.ready, api.ready, bareApi.ready]);

  const db = await connectDatabase(mongodbUri);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    client: temporalClient(connection, encryption ? benchCodec(db) : null),
    bareClient: temporalClient(connection, null),
    worker: worker.process,
    baselineQueue,
    bareBase: `http://127.0.0.1:${barePort}`,
    cachedWorkflows: env.WORKER_CACHED_WORKFLOWS ?? String(DEFAULT_CACHED_WORKFLOWS),
    token: (sub, role, groups) => mintToken({ sub, role, ...(groups ? { groups } : {}) }, SECRET),
    workerRssMiB() {
      const status = readFileSync(`/proc/${worker.process.child.pid}/status`, 'utf8');
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    },
    async documentWrites() {
      if (!servers.postgresUrl) return null;
      const pg = new PgClient({ connectionString: servers.postgresUrl });
      await pg.connect();
      try {
        // FerretDB keeps each MongoDB database as a PostgreSQL schema, each document as a row.
        const row = await pg.query('SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) AS writes FROM pg_stat_user_tables WHERE schemaname = $1', [database]);
        return Number(row.rows[0].writes);
      } finally {
        await pg.end();
      }
    },
    commandCounts() {
      const total: Record<string, number> = {};
      for (const file of readdirSync(statsDir)) {
        for (const [key, n] of Object.entries(JSON.parse(readFileSync(path.join(statsDir, file), 'utf8') || '{}') as Record<string, number>)) total[key] = (total[key] ?? 0) + n;
      }
      return total;
    },
    async stop() {
      await Promise.all([api.process.stop(), worker.process.stop(), baseline.process.stop(), bareApi.process.stop()]);
      rmSync(statsDir, { recursive: true, force: true });
      await connection.close();
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
