// The full Temporal server (frontend, history, matching and worker services) on the project's PostgreSQL, with
// the standalone UI: what `npm run start:cluster` and `npm run test:cluster` run instead of the dev server.
// Its configuration is one commented file, stack/cluster/temporal.yaml; the variables below fill it in.
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { delay, freePort, launch, runToEnd, waitForPort, type LineSink, type ManagedProcess } from './processes';
import { registerSearchAttributes } from './register-search-attributes';
import { POSTGRES_PASSWORD, POSTGRES_USER, type RunningPostgres } from './services';
import { ROOT, toolPaths } from './tools';

export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** Nine free ports for a private server (tests). Below 32768: Temporal stores membership ports as SQL smallint. */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const p: number[] = [];
  while (p.length < 9) {
    const port = await freePort(32_768);
    if (!p.includes(port)) p.push(port);
  }
  return { frontend: p[0]!, frontendHttp: p[1]!, frontendMembership: p[2]!, history: p[3]!, historyMembership: p[4]!, matching: p[5]!, matchingMembership: p[6]!, worker: p[7]!, workerMembership: p[8]! };
}

/** The server's ports from the frontend's, laid out like Temporal's defaults (7233 → 7234, 7235, 7239, 6933…). */
export function clusterPorts(frontend: number): ClusterPorts {
  const offset = frontend - 7233;
  return {
    frontend,
    frontendHttp: 7243 + offset,
    frontendMembership: 6933 + offset,
    history: 7234 + offset,
    historyMembership: 6934 + offset,
    matching: 7235 + offset,
    matchingMembership: 6935 + offset,
    worker: 7239 + offset,
    workerMembership: 6939 + offset,
  };
}

const DATABASES = [
  { name: 'temporal', schema: 'temporal' },
  { name: 'temporal_visibility', schema: 'visibility' },
];

/** Creates Temporal's two databases and brings their schemas to this server version; safe on every start. */
export async function prepareTemporalDatabases(pg: RunningPostgres, postgresPort: number, onLine: LineSink): Promise<void> {
  for (const db of DATABASES) {
    await pg.ensureDatabase(db.name);
    const client = new PgClient({ connectionString: pg.url(db.name) });
    await client.connect();
    const found = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'`).finally(() => client.end());
    const tool = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(postgresPort), '-u', POSTGRES_USER, '--pw', POSTGRES_PASSWORD, '--db', db.name];
    if (found.rowCount === 0) await runToEnd(`temporal-sql-tool setup-schema (${db.name})`, toolPaths.sqlTool, [...tool, 'setup-schema', '-v', '0.0'], { onLine });
    await runToEnd(`temporal-sql-tool update-schema (${db.name})`, toolPaths.sqlTool, [...tool, 'update-schema', '-d', path.join(toolPaths.temporalSchema, db.schema, 'versioned')], { onLine });
  }
}

export function clusterEnv(ports: ClusterPorts, postgresPort: number, uiPort: number | null, codecEndpoint?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLUSTER_POSTGRES_PORT: String(postgresPort),
    CLUSTER_POSTGRES_USER: POSTGRES_USER,
    CLUSTER_POSTGRES_PASSWORD: POSTGRES_PASSWORD,
    CLUSTER_FRONTEND_PORT: String(ports.frontend),
    CLUSTER_FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    CLUSTER_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    CLUSTER_HISTORY_PORT: String(ports.history),
    CLUSTER_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    CLUSTER_MATCHING_PORT: String(ports.matching),
    CLUSTER_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    CLUSTER_WORKER_PORT: String(ports.worker),
    CLUSTER_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    CLUSTER_DYNAMIC_CONFIG: path.join(ROOT, 'stack', 'cluster', 'dynamicconfig.yaml'),
    ...(uiPort === null ? {} : { CLUSTER_UI_PORT: String(uiPort) }),
    ...(codecEndpoint ? { CLUSTER_UI_CODEC_ENDPOINT: codecEndpoint } : {}),
  };
}

/** Starts the server and waits until its namespace takes workflows and knows the product's search attributes. */
export async function startTemporalServer(options: { ports: ClusterPorts; postgresPort: number; namespace: string; onLine: LineSink }): Promise<ManagedProcess> {
  const proc = launch('temporal', toolPaths.temporalServer, ['--root', ROOT, '--config', path.join('stack', 'cluster'), '--env', 'temporal', '--allow-no-auth', 'start'], {
    env: clusterEnv(options.ports, options.postgresPort, null),
    cwd: ROOT,
    onLine: options.onLine,
  });
  await waitForPort(options.ports.frontend, proc, 120_000);
  await ensureNamespace(`127.0.0.1:${options.ports.frontend}`, options.namespace, proc);
  return proc;
}

export function startUiServer(options: { ports: ClusterPorts; uiPort: number; codecEndpoint?: string; onLine: LineSink }): Promise<ManagedProcess> {
  const proc = launch('temporal-ui', toolPaths.uiServer, ['--root', path.join(ROOT, 'stack', 'cluster'), '--config', 'ui', '--env', 'cluster', 'start'], {
    env: clusterEnv(options.ports, 0, options.uiPort, options.codecEndpoint),
    onLine: options.onLine,
  });
  return waitForPort(options.uiPort, proc, 60_000).then(() => proc);
}

const GRPC_ALREADY_EXISTS = 6;

/**
 * How long the server keeps a closed workflow's history: TEMPORAL_RETENTION_DAYS, 30 by default. Set it to at least
 * the retention policy's anonymiseClosedAfterDays plus the survey window (a ticket's workflow ends after its survey).
 */
export function namespaceRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.TEMPORAL_RETENTION_DAYS ?? 30);
  if (!Number.isInteger(days) || days < 1) throw new Error(`TEMPORAL_RETENTION_DAYS must be a whole number of days, 1 or more (got ${env.TEMPORAL_RETENTION_DAYS})`);
  return days;
}

/** A full server has no namespace until one is registered; the frontend then needs a moment to know it. */
async function ensureNamespace(address: string, namespace: string, proc: ManagedProcess): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    // Closed tickets' histories stay readable as long as the retention policy keeps their data (README, "Privacy").
    const retention = msToTs(`${namespaceRetentionDays()} days`);
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention })
      .catch((err: { code?: number }) => (err.code === GRPC_ALREADY_EXISTS ? undefined : Promise.reject(err)));
    for (let attempt = 0; ; attempt++) {
      if (proc.child.exitCode !== null) throw new Error('the Temporal server exited while starting');
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        // A namespace registered before keeps its settings unless told: the retention follows the setting at every start.
        await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: retention } });
        break;
      } catch (err) {
        if (attempt > 300) throw err;
        await delay(200);
      }
    }
  } finally {
    await connection.close();
  }
  await registerSearchAttributes(address, namespace);
}
