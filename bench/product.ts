// The product under benchmark: its worker and API as processes of their own (as `npm start` runs them), on a
// fresh database seeded with the demo desk, plus the baseline worker beside it on the same Temporal server.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { mintToken } from '../api/http/auth';
import { connectDatabase, type Database } from '../platform/mongo';
import { launchApp } from '../stack/apps';
import { freePort, type ManagedProcess } from '../stack/processes';
import { seedIfEmpty } from '../stack/seed';
import type { BenchServers } from './stack';

export const SECRET = 'bench-secret';

export interface Product {
  base: string;
  db: Database;
  client: Client;
  worker: ManagedProcess;
  baselineQueue: string;
  token(sub: string, role: 'requester' | 'agent' | 'supervisor' | 'admin', groups?: string[]): string;
  /** Resident memory of the product's worker process, in MiB. */
  workerRssMiB(): number;
  /** Documents written to the MongoDB-wire server so far (own stack only: read from PostgreSQL's statistics). */
  documentWrites(): Promise<number | null>;
  stop(): Promise<void>;
}

export async function startProduct(servers: BenchServers): Promise<Product> {
  const database = `bench_${Date.now()}`;
  const mongodbUri = `${servers.mongoBase}/${database}`;
  await seedIfEmpty(mongodbUri, () => undefined);
  const port = await freePort();
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    MONGODB_URI: mongodbUri,
    TEMPORAL_TASK_QUEUE: `bench-${Date.now()}`,
    AUTH_JWT_SECRET: SECRET,
    LOG_LEVEL: 'info',
    // The latency runs come from few tokens; the limiter has its own test.
    RATE_LIMIT: '100000',
    RATE_BURST: '100000',
  };
  // BENCH_DEBUG shows what the product's processes log (warnings and errors).
  const log = (name: string, line: string) => {
    if (process.env.BENCH_DEBUG && /"level":(40|50|60)|WARN|ERROR/.test(line)) console.log(`[${name}] ${line}`);
  };
  const worker = launchApp('worker', { env, log });
  const baselineQueue = `baseline-${Date.now()}`;
  const baseline = launchApp('baseline-worker', { env: { ...env, TEMPORAL_TASK_QUEUE: baselineQueue }, script: 'bench/baseline-worker.ts', log });
  const api = launchApp('api', { env, port, log });
  await Promise.all([worker.ready, baseline.ready, api.ready]);

  const db = await connectDatabase(mongodbUri);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    client: new Client({ connection }),
    worker: worker.process,
    baselineQueue,
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
    async stop() {
      await Promise.all([api.process.stop(), worker.process.stop(), baseline.process.stop()]);
      await connection.close();
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
