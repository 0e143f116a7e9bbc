// The product under benchmark: its worker and API as processes of their own (as `npm start` runs them), on a
// fresh database seeded with the demo desk, plus the baseline worker beside it on the same Temporal server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { mintToken } from '../api/http/auth';
import { connectDatabase, type Database } from '../platform/mongo';
import { freePort, launch, waitForPort, type ManagedProcess } from '../stack/processes';
import { seedIfEmpty } from '../stack/seed';
import { ROOT } from '../stack/tools';
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

async function started(proc: ManagedProcess, ready: Promise<void>): Promise<ManagedProcess> {
  await Promise.race([ready, proc.exited.then((code) => Promise.reject(new Error(`${proc.name} exited with ${code}`)))]);
  return proc;
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
    PORT: String(port),
    LOG_LEVEL: 'info',
    // The latency runs come from few tokens; the limiter has its own test.
    RATE_LIMIT: '100000',
    RATE_BURST: '100000',
    EXIT_WITH_PARENT: '1',
  };
  const node = (name: string, script: string, extraEnv: Record<string, string> = {}) => {
    let ready: () => void = () => undefined;
    const up = new Promise<void>((r) => (ready = r));
    const proc = launch(name, process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
      env: { ...env, ...extraEnv },
      cwd: ROOT,
      onLine: (line) => {
        if (line.includes('worker ready')) ready();
        // BENCH_DEBUG shows what the product's processes log (warnings and errors).
        else if (process.env.BENCH_DEBUG && /"level":(40|50|60)|WARN|ERROR/.test(line)) console.log(`[${name}] ${line}`);
      },
    });
    return { proc, up };
  };
  const worker = node('worker', 'worker/main.ts');
  const baselineQueue = `baseline-${Date.now()}`;
  const baseline = node('baseline-worker', 'bench/baseline-worker.ts', { TEMPORAL_TASK_QUEUE: baselineQueue });
  const api = node('api', 'api/main.ts');
  await Promise.all([started(worker.proc, worker.up), started(baseline.proc, baseline.up), waitForPort(port, api.proc, 60_000)]);

  const db = await connectDatabase(mongodbUri);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    client: new Client({ connection }),
    worker: worker.proc,
    baselineQueue,
    token: (sub, role, groups) => mintToken({ sub, role, ...(groups ? { groups } : {}) }, SECRET),
    workerRssMiB() {
      const status = readFileSync(`/proc/${worker.proc.child.pid}/status`, 'utf8');
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
      await Promise.all([api.proc.stop(), worker.proc.stop(), baseline.proc.stop()]);
      await connection.close();
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
