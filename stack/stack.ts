// Starts the servers the product needs and stops them in reverse order. Used by `npm start` and the tests.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ManagedProcess } from './processes';
import { canConnect, delay } from './processes';
import { startFerretDB, startPostgres, startTemporal } from './services';

export interface StackOptions {
  /** Holds PostgreSQL's data, Temporal's database file (if any) and pid files. */
  dataDir: string;
  /** Null: use the Temporal server that is already running. */
  temporal: { port: number; uiPort: number | null; persistent: boolean; namespace: string } | null;
  /** Null: use the MongoDB that is already running. */
  mongo: { port: number; postgresPort: number; durable: boolean } | null;
  log(source: string, line: string): void;
}

export interface RunningStack {
  /** Set when this stack started the server. */
  temporalAddress?: string;
  mongoPort?: number;
  /** The PostgreSQL database FerretDB stores in, when this stack started it (benchmarks read its statistics). */
  postgresUrl?: string;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const runDir = path.join(options.dataDir, 'run');
  mkdirSync(runDir, { recursive: true });
  await stopLeftovers(runDir, options.log);

  const started: ManagedProcess[] = [];
  const track = (proc: ManagedProcess) => {
    started.push(proc);
    if (proc.child.pid) writeFileSync(path.join(runDir, `${proc.name}.pid`), String(proc.child.pid));
    return proc;
  };
  const stop = async () => {
    for (const proc of [...started].reverse()) {
      await proc.stop();
      rmSync(path.join(runDir, `${proc.name}.pid`), { force: true });
    }
  };

  try {
    const running: RunningStack = { stop };
    const tasks: Promise<void>[] = [];
    if (options.mongo) {
      const mongo = options.mongo;
      tasks.push(
        (async () => {
          await assertFree(mongo.postgresPort, 'PostgreSQL');
          await assertFree(mongo.port, 'FerretDB (MongoDB wire protocol)');
          const pg = await startPostgres({ dataDir: path.join(options.dataDir, 'postgres'), port: mongo.postgresPort, durable: mongo.durable, onLine: (l) => options.log('postgres', l) });
          track(pg.process);
          await pg.ensureDatabase('ferretdb');
          running.postgresUrl = pg.url('ferretdb');
          track(await startFerretDB({ port: mongo.port, postgresUrl: pg.url('ferretdb'), onLine: (l) => options.log('ferretdb', l) }));
          running.mongoPort = mongo.port;
        })(),
      );
    }
    if (options.temporal) {
      const temporal = options.temporal;
      tasks.push(
        (async () => {
          await assertFree(temporal.port, 'Temporal');
          if (temporal.uiPort !== null) await assertFree(temporal.uiPort, 'the Temporal UI');
          const dbFile = temporal.persistent ? path.join(options.dataDir, 'temporal.db') : null;
          track(await startTemporal({ port: temporal.port, uiPort: temporal.uiPort, dbFile, namespace: temporal.namespace, onLine: (l) => options.log('temporal', l) }));
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
async function stopLeftovers(runDir: string, log: StackOptions['log']): Promise<void> {
  for (const name of ['ferretdb', 'postgres', 'temporal']) {
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
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name);
  } catch {
    return false;
  }
}
