// The servers a benchmark runs against: the ones named by TEMPORAL_ADDRESS and MONGODB_URI, or a private
// stack on free ports (like the tests), so a running `npm start` is never disturbed.
import { mkdtempSync, chmodSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../stack/processes';
import { startStack } from '../stack/stack';
import { ensureTools } from '../stack/tools';

export interface BenchServers {
  temporalAddress: string;
  mongoBase: string;
  /** Whether this run started the servers itself. */
  own: boolean;
  /** FerretDB's PostgreSQL database, when this run started it. */
  postgresUrl?: string;
  stop(): Promise<void>;
}

export async function benchServers(): Promise<BenchServers> {
  if (process.env.TEMPORAL_ADDRESS && process.env.MONGODB_URI) {
    const url = new URL(process.env.MONGODB_URI);
    return { temporalAddress: process.env.TEMPORAL_ADDRESS, mongoBase: `${url.protocol}//${url.host}`, own: false, stop: async () => undefined };
  }
  await ensureTools();
  const dir = mkdtempSync(path.join(tmpdir(), 'support-bench-'));
  chmodSync(dir, 0o755);
  const log = createWriteStream(path.join(dir, 'servers.log'));
  const [temporalPort, mongoPort, postgresPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const stack = await startStack({
    dataDir: dir,
    postgres: { port: postgresPort, durable: false },
    mongo: { port: mongoPort },
    temporal: { kind: 'dev', port: temporalPort, uiPort: null, persistent: false, namespace: 'default' },
    log: (source, line) => log.write(`[${source}] ${line}\n`),
  });
  return {
    temporalAddress: stack.temporalAddress!,
    mongoBase: `mongodb://127.0.0.1:${mongoPort}`,
    own: true,
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
