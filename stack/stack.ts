// Starts the servers the product needs and stops them in reverse order: PostgreSQL, FerretDB on it, and either
// the Temporal dev server or the full Temporal server (on the same PostgreSQL) with its UI. Used by `npm start`,
// `npm run start:cluster`, the tests, the fault suite and the benchmark.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterPorts, prepareTemporalDatabases, startTemporalServer, startUiServer, type ClusterPorts } from './cluster';
import type { ManagedProcess } from './processes';
import { canConnect, delay } from './processes';
import { startFerretDB, startPostgres, startTemporal, type RunningPostgres } from './services';

export interface StackOptions {
  /** Holds PostgreSQL's data, the dev server's database file (if any) and pid files. */
  dataDir: string;
  /** Started when FerretDB or the full Temporal server needs it. */
  postgres: { port: number; durable: boolean } | null;
  /** Null: use the MongoDB that is already running. */
  mongo: { port: number } | null;
  /** Null: use the Temporal server that is already running. `cluster` runs the full server on PostgreSQL. */
  temporal: { kind: 'dev' | 'cluster'; port: number; uiPort: number | null; persistent: boolean; namespace: string; clusterPorts?: ClusterPorts; codecEndpoint?: string } | null;
  log(source: string, line: string): void;
}

export interface RunningStack {
  /** Set when this stack started the server. */
  temporalAddress?: string;
  mongoPort?: number;
  /** The PostgreSQL database FerretDB stores in, when this stack started it (benchmarks read its statistics). */
  postgresUrl?: string;
  /** The servers by name ('temporal', 'ferretdb', …), each with a way to start it again after it was killed. */
  servers: Record<string, { process: ManagedProcess; start(): Promise<ManagedProcess> }>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const runDir = path.join(options.dataDir, 'run');
  mkdirSync(runDir, { recursive: true });
  await stopLeftovers(options.dataDir, options.log);

  const servers: RunningStack['servers'] = {};
  const order: string[] = [];
  /** Starts a server, keeps a pid file for it, and remembers how to start it again. */
  const run = async (name: string, start: () => Promise<ManagedProcess>) => {
    const again = async () => {
      const proc = await start();
      if (proc.child.pid) writeFileSync(path.join(runDir, `${name}.pid`), String(proc.child.pid));
      servers[name]!.process = proc;
      return proc;
    };
    servers[name] = { process: undefined as unknown as ManagedProcess, start: again };
    order.push(name);
    return again();
  };
  const stop = async () => {
    for (const name of [...order].reverse()) {
      await servers[name]?.process?.stop();
      rmSync(path.join(runDir, `${name}.pid`), { force: true });
    }
  };

  try {
    const running: RunningStack = { servers, stop };
    const log = (source: string) => (line: string) => options.log(source, line);
    let pg: RunningPostgres | null = null;
    if (options.postgres) {
      const { port, durable } = options.postgres;
      await assertFree(port, 'PostgreSQL');
      await run('postgres', async () => {
        pg = await startPostgres({ dataDir: path.join(options.dataDir, 'postgres'), port, durable, onLine: log('postgres') });
        return pg.process;
      });
    }
    const database = pg as RunningPostgres | null;
    const tasks: Promise<unknown>[] = [];
    if (options.mongo) {
      const { port } = options.mongo;
      if (!database) throw new Error('FerretDB needs the stack to start PostgreSQL');
      tasks.push(
        (async () => {
          await assertFree(port, 'FerretDB (MongoDB wire protocol)');
          await database.ensureDatabase('ferretdb');
          running.postgresUrl = database.url('ferretdb');
          await run('ferretdb', () => startFerretDB({ port, postgresUrl: database.url('ferretdb'), onLine: log('ferretdb') }));
          running.mongoPort = port;
        })(),
      );
    }
    if (options.temporal) {
      const temporal = options.temporal;
      tasks.push(
        (async () => {
          await assertFree(temporal.port, 'Temporal');
          if (temporal.uiPort !== null) await assertFree(temporal.uiPort, 'the Temporal UI');
          if (temporal.kind === 'dev') {
            const dbFile = temporal.persistent ? path.join(options.dataDir, 'temporal.db') : null;
            await run('temporal', () => startTemporal({ port: temporal.port, uiPort: temporal.uiPort, dbFile, namespace: temporal.namespace, codecEndpoint: temporal.codecEndpoint, onLine: log('temporal') }));
          } else {
            if (!database || !options.postgres) throw new Error('the full Temporal server needs the stack to start PostgreSQL');
            const ports = temporal.clusterPorts ?? clusterPorts(temporal.port);
            await prepareTemporalDatabases(database, options.postgres.port, log('temporal'));
            await run('temporal', () => startTemporalServer({ ports, postgresPort: options.postgres!.port, namespace: temporal.namespace, onLine: log('temporal') }));
            if (temporal.uiPort !== null) await run('temporal-ui', () => startUiServer({ ports, uiPort: temporal.uiPort!, codecEndpoint: temporal.codecEndpoint, onLine: log('temporal-ui') }));
          }
          running.temporalAddress = `127.0.0.1:${temporal.port}`;
        })(),
      );
    }
    const results = await Promise.allSettled(tasks);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return running;
  } catch (err) {
    await stop();
    throw err;
  }
}

async function assertFree(port: number, what: string): Promise<void> {
  if (await canConnect('127.0.0.1', port)) {
    throw new Error(`port ${port} for ${what} is already in use: stop whatever listens there, or point the product at it (TEMPORAL_ADDRESS / MONGODB_URI)`);
  }
}

/** A launcher killed with -9 cannot stop its servers; the next start does, using the pid files it left. */
export async function stopLeftovers(dataDir: string, log: StackOptions['log']): Promise<void> {
  const runDir = path.join(dataDir, 'run');
  for (const name of ['temporal-ui', 'ferretdb', 'temporal', 'postgres']) {
    const pidFile = path.join(runDir, `${name}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && isOurs(pid, name)) {
      log('stack', `stopping ${name} (pid ${pid}) left over from an earlier run`);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await delay(100);
    }
    rmSync(pidFile, { force: true });
  }
}

function isOurs(pid: number, name: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name.split('-')[0]!);
  } catch {
    return false;
  }
}
