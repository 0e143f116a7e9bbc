// The servers a benchmark runs against: the ones named by TEMPORAL_ADDRESS and MONGODB_URI, or a private
// stack on free ports (like the tests) with either the Temporal dev server or the full server on PostgreSQL,
// so a running `npm start` is never disturbed.
import { rmSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { freeClusterPorts } from '../stack/cluster';
import { freePort } from '../stack/processes';
import { startStack } from '../stack/stack';
import { ensureTools } from '../stack/tools';
import { runFolder } from '../stack/postgres-access';

export type ServerKind = 'dev' | 'cluster';

export const SERVER_LABELS: Record<ServerKind | 'given', string> = { dev: 'dev server', cluster: 'full server', given: 'given servers' };

export interface BenchServers {
  label: string;
  temporalAddress: string;
  mongoBase: string;
  /** FerretDB's PostgreSQL database, when this run started it. */
  postgresUrl?: string;
  stop(): Promise<void>;
}

export function givenServers(): BenchServers | null {
  if (!process.env.TEMPORAL_ADDRESS || !process.env.MONGODB_URI) return null;
  const url = new URL(process.env.MONGODB_URI);
  return { label: SERVER_LABELS.given, temporalAddress: process.env.TEMPORAL_ADDRESS, mongoBase: `${url.protocol}//${url.host}`, stop: async () => undefined };
}

export async function benchServers(kind: ServerKind): Promise<BenchServers> {
  await ensureTools({ cluster: kind === 'cluster' });
  const dir = runFolder('bench');
  const log = createWriteStream(path.join(dir, 'servers.log'));
  const [mongoPort, postgresPort] = await Promise.all([freePort(), freePort()]);
  const clusterPorts = kind === 'cluster' ? await freeClusterPorts() : undefined;
  const stack = await startStack({
    dataDir: dir,
    // As `npm start` and `npm run start:cluster` run them: durable PostgreSQL, the dev server on its database file.
    postgres: { port: postgresPort, durable: true },
    mongo: { port: mongoPort },
    temporal: { kind, port: clusterPorts?.frontend ?? (await freePort()), uiPort: null, persistent: true, namespace: 'default', clusterPorts },
    log: (source, line) => log.write(`[${source}] ${line}\n`),
  });
  return {
    label: SERVER_LABELS[kind],
    temporalAddress: stack.temporalAddress!,
    mongoBase: `mongodb://127.0.0.1:${mongoPort}`,
    postgresUrl: stack.postgresUrl,
    async stop() {
      await stack.stop();
      log.end();
      // BENCH_KEEP_LOGS keeps the servers' log (e.g. with FERRETDB_PROFILE) for a look afterwards.
      if (process.env.BENCH_KEEP_LOGS) console.log(`[bench] server logs kept in ${path.join(dir, 'servers.log')}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}
