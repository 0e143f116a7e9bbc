// Starts a private Temporal dev server, PostgreSQL and FerretDB on free ports (never those of `npm start`),
// bundles the workflows once, and tells the suites where everything is through environment variables.
// Jest runs it for each project that needs servers (workflow, api, e2e) and has tests in the run: only the first
// call starts the stack, the global teardown stops it once.
import { createWriteStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../stack/processes';
import { startStack, type RunningStack } from '../../stack/stack';
import { ensureTools, toolPaths } from '../../stack/tools';
import { runFolder } from '../../stack/postgres-access';
import { bundleTicketWorkflows } from '../../worker/worker';

export default async function globalSetup(): Promise<void> {
  if ((globalThis as { __testStack?: unknown }).__testStack) return; // another project's setup already started it
  await ensureTools({ forTests: true });
  // `npm run test:cluster` points the suites at servers it started (the full Temporal server): use those.
  const external = process.env.TEST_EXTERNAL_TEMPORAL && process.env.TEST_EXTERNAL_MONGO;
  const dir = runFolder('tests');
  const log = createWriteStream(path.join(dir, 'servers.log'));
  const [temporalPort, mongoPort, postgresPort] = await Promise.all([freePort(), freePort(), freePort()]);

  const [stack, bundle] = await Promise.all([
    external ? externalServers() : startStack({
      dataDir: dir,
      postgres: { port: postgresPort, durable: false },
      mongo: { port: mongoPort },
      temporal: { kind: 'dev', port: temporalPort, uiPort: null, persistent: false, namespace: 'default' },
      log: (source, line) => log.write(`[${source}] ${line}\n`),
    }),
    bundleTicketWorkflows(quietLogger),
  ]);
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  Object.assign(process.env, {
    TEST_DIR: dir,
    TEST_TEMPORAL_ADDRESS: stack.temporalAddress,
    TEST_MONGO_URL: external ? process.env.TEST_EXTERNAL_MONGO : `mongodb://127.0.0.1:${mongoPort}`,
    TEST_WORKFLOW_BUNDLE: bundlePath,
    TEST_TIME_SKIPPING_SERVER: toolPaths.testServer,
  });
  (globalThis as { __testStack?: unknown }).__testStack = { stack, log, dir };
}

/** The servers `npm run test:cluster` started: the suites use them and leave them running. */
function externalServers(): Pick<RunningStack, 'temporalAddress' | 'stop'> {
  return { temporalAddress: process.env.TEST_EXTERNAL_TEMPORAL, stop: async () => undefined };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
