// `npm run test:faults`: the fault suite (tests/faults/suite.ts) on a private stack with the Temporal dev server,
// which is restarted on its database file after each kill. `npm run test:cluster` runs the same suite on the
// full Temporal server.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../stack/processes';
import { startStack } from '../../stack/stack';
import { ensureTools } from '../../stack/tools';
import { runFaultSuite, tallyFaults } from './suite';
import { runFolder } from '../../stack/postgres-access';

async function main(): Promise<void> {
  await ensureTools();
  const dir = runFolder('faults');
  const [postgresPort, mongoPort, temporalPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const stack = await startStack({
    dataDir: dir,
    // Durable, as `npm start` runs it: the suite kills PostgreSQL and counts on what it acknowledged.
    postgres: { port: postgresPort, durable: true },
    mongo: { port: mongoPort },
    temporal: { kind: 'dev', port: temporalPort, uiPort: null, persistent: true, namespace: 'default' },
    log: () => undefined,
  });
  process.env.FAULT_APP_LOG = path.join(dir, 'apps.log');
  let failed = true;
  try {
    await tallyFaults('faults', () => runFaultSuite(stack, 'dev'));
    failed = false;
  } finally {
    await stack.stop();
    if (failed) console.error(`[faults] the workers' and APIs' logs are kept in ${path.join(dir, 'apps.log')}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`[faults] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
