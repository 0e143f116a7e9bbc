// The real servers of the local stack (SPEC §18): PostgreSQL, FerretDB on it, and the Temporal dev server.
// `npm start` and the test setup both start them through here; only ports and folders differ.
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { grantTraversal, POSTGRES_USER, postgresBinDir, postgresSystemUser, runsAsRoot } from './postgres-access';
import { delay, launch, runToEnd, waitForPort, type LineSink, type ManagedProcess } from './processes';
import { toolPaths } from './tools';

export { POSTGRES_USER };
export const POSTGRES_PASSWORD = 'support-local';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  onLine: LineSink;
  /** Tests trade crash safety for speed; `npm start` keeps it. */
  durable: boolean;
}

export interface RunningPostgres {
  process: ManagedProcess;
  url(database: string): string;
  ensureDatabase(name: string): Promise<void>;
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const owner = runsAsRoot() ? postgresSystemUser() : undefined;
  if (owner) grantTraversal(owner, [bin, options.dataDir], (line) => options.onLine(line));
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await initdb(bin, options.dataDir, owner, options.onLine);

  const tuning = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  // Custom plans let the GIN indexes our FerretDB build adds match its parameterised filters (stack/ferretdb/indexes.go).
  const planning = ['-c', 'plan_cache_mode=force_custom_plan'];
  const proc = launch('postgres', path.join(bin, 'postgres'), ['-D', options.dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', ...planning, ...tuning], {
    ...owner,
    env: { ...process.env, LC_ALL: 'C' },
    onLine: options.onLine,
  });
  await waitForPort(options.port, proc, 30_000);

  const url = (database: string) => `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${options.port}/${database}`;
  // After a crash the port opens before recovery ends ("the database system is starting up"): ready means it takes SQL.
  await (await connectWhenReady(url('postgres'), proc)).end();
  const ensureDatabase = async (name: string) => {
    const client = await connectWhenReady(url('postgres'));
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
    } finally {
      await client.end();
    }
  };
  return { process: proc, url, ensureDatabase };
}

async function initdb(bin: string, dataDir: string, owner: { uid: number; gid: number } | undefined, onLine: LineSink): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  // Beside the data folder, where the postgres user is known to reach.
  const pwFile = `${dataDir}.pwfile-${process.pid}`;
  writeFileSync(pwFile, `${POSTGRES_PASSWORD}\n`);
  chmodSync(pwFile, 0o644);
  try {
    await runToEnd('initdb', path.join(bin, 'initdb'), [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${POSTGRES_USER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-locale'], {
      ...owner,
      env: { ...process.env, LC_ALL: 'C' },
      onLine,
    });
  } finally {
    rmSync(pwFile, { force: true });
  }
}

async function connectWhenReady(url: string, proc?: ManagedProcess): Promise<PgClient> {
  // Right after the port opens PostgreSQL may still answer "the database system is starting up".
  const deadline = Date.now() + 120_000;
  for (;;) {
    const client = new PgClient({ connectionString: url });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline || proc?.child.exitCode != null || proc?.child.signalCode) throw err;
      await delay(100);
    }
  }
}

export function startFerretDB(options: { port: number; postgresUrl: string; onLine: LineSink }): Promise<ManagedProcess> {
  // FERRETDB_PROFILE=10s logs command counts and times per collection (warn level), for profiling.
  const profile = process.env.FERRETDB_PROFILE ? ['--profile-every', process.env.FERRETDB_PROFILE] : [];
  const proc = launch('ferretdb', toolPaths.ferretdb, ['--listen', `127.0.0.1:${options.port}`, '--postgresql-url', options.postgresUrl, '--log-level', profile.length ? 'warn' : 'error', '--exit-with-parent', ...profile], {
    onLine: options.onLine,
  });
  return waitForPort(options.port, proc, 30_000).then(() => proc);
}

export interface TemporalOptions {
  port: number;
  /** Null runs it headless. */
  uiPort: number | null;
  /** Null keeps state in memory. */
  dbFile: string | null;
  namespace: string;
  onLine: LineSink;
  /** Where the Web UI sends payloads to decode them (README, "Privacy"); without it the UI shows ciphertext. */
  codecEndpoint?: string;
}

/** Search attributes as the CLI's --search-attribute flag spells them. */
export const searchAttributeFlags = () =>
  ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType(key.type)}`]);

function cliType(type: string): string {
  return { KEYWORD: 'Keyword', INT: 'Int', BOOL: 'Bool', DATETIME: 'Datetime', TEXT: 'Text', DOUBLE: 'Double', KEYWORD_LIST: 'KeywordList' }[type] ?? type;
}

export async function startTemporal(options: TemporalOptions): Promise<ManagedProcess> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1', ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : [])]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.namespace !== 'default' ? ['--namespace', options.namespace] : []),
    ...searchAttributeFlags(),
    '--log-level',
    'error',
  ];
  const proc = launch('temporal', toolPaths.temporal, args, { onLine: options.onLine });
  await waitForPort(options.port, proc, 60_000);
  return proc;
}
