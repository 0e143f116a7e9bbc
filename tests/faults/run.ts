// `npm run test:faults`: the fault suite (tests/faults/suite.ts) on a private stack with the Temporal dev server,
// which is restarted on its database file after each kill. `npm run test:cluster` runs the same suite on the
// full Temporal server.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../stack/processes';
import { startStack } from '../../stack/stack';
import { ensureTools } from '../../stack/tools';
import { runFaultSuite } from './suite';

async function main(): Promise<void> {
  await ensureTools();
  const dir = mkdtempSync(path.join(tmpdir(), 'support-faults-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when the suite runs as root
  const [postgresPort, mongoPort, temporalPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const stack = await startStack({
    dataDir: dir,
    postgres: { port: postgresPort, durable: false },
    mongo: { port: mongoPort },
    temporal: { kind: 'dev', port: temporalPort, uiPort: null, persistent: true, namespace: 'default' },
    log: () => undefined,
  });
  try {
    await runFaultSuite(stack, 'dev');
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`[faults] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
