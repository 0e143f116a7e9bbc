// `npm run test:cluster`: the product on the full Temporal server (frontend, history, matching and worker
// services on PostgreSQL, as `npm run start:cluster` runs it) on private ports. The end-to-end suites run
// against it unchanged — only the addresses differ — and then the fault suite, which kills one of two workers
// for good, the APIs, the Temporal server process and FerretDB in turn.
import { spawn } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { freeClusterPorts } from '../../stack/cluster';
import { freePort } from '../../stack/processes';
import { startStack } from '../../stack/stack';
import { ensureTools, ROOT } from '../../stack/tools';
import { runFaultSuite, tallyFaults } from '../faults/suite';
import { runFolder } from '../../stack/postgres-access';

const log = (line: string) => console.log(`[cluster] ${new Date().toISOString().slice(11, 23)} ${line}`);

async function main(): Promise<void> {
  await ensureTools({ forTests: true, cluster: true });
  const dir = runFolder('cluster');
  const serverLog = createWriteStream(path.join(dir, 'servers.log'));
  const [postgresPort, mongoPort, ports] = await Promise.all([freePort(), freePort(), freeClusterPorts()]);
  log(`starting the full Temporal server on ${ports.frontend}, PostgreSQL on ${postgresPort}, FerretDB on ${mongoPort}`);
  const stack = await startStack({
    dataDir: dir,
    // Durable, as `npm start` runs it: the suite kills PostgreSQL and counts on what it acknowledged.
    postgres: { port: postgresPort, durable: true },
    mongo: { port: mongoPort },
    temporal: { kind: 'cluster', port: ports.frontend, uiPort: null, persistent: true, namespace: 'default', clusterPorts: ports },
    log: (source, line) => serverLog.write(`[${source}] ${line}\n`),
  });
  let failed = false;
  try {
    const e2e = await jest(['--selectProjects', 'e2e'], {
      TEST_TALLY_NAME: 'cluster-jest', // its tally must not overwrite `npm test`'s (jest.json)
      TEST_EXTERNAL_TEMPORAL: stack.temporalAddress!,
      TEST_EXTERNAL_MONGO: `mongodb://127.0.0.1:${stack.mongoPort}`,
    });
    if (e2e !== 0) throw new Error(`the end-to-end suites failed on the cluster (jest exited with ${e2e})`);
    // Tallied apart from `npm run test:faults` and from the jest run above, for CI's closing line.
    process.env.FAULT_APP_LOG = path.join(dir, 'apps.log');
    await tallyFaults('cluster-faults', () => runFaultSuite(stack, 'cluster'));
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await stack.stop();
    serverLog.end();
    if (failed) console.error(`[cluster] logs kept in ${dir} (servers.log, apps.log)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function jest(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

main().catch((err) => {
  console.error(`[cluster] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
