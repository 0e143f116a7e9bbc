// `npm start`: the whole product on this machine — Temporal dev server + UI, PostgreSQL, FerretDB,
// the worker and the API — with one prefixed log stream. Ctrl-C stops everything in order.
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { developmentSecret, DATA_DIR, localSettings } from './settings';
import { delay, launch, type ManagedProcess } from './processes';
import { startStack, type RunningStack } from './stack';
import { ensureTools, ROOT } from './tools';
import { seedIfEmpty } from './seed';

const COLORS: Record<string, number> = { temporal: 35, postgres: 34, ferretdb: 36, worker: 32, api: 33, stack: 37 };

function log(source: string, line: string): void {
  const tag = process.stdout.isTTY ? `\x1b[${COLORS[source] ?? 37}m[${source}]\x1b[0m` : `[${source}]`;
  process.stdout.write(`${tag} ${line}\n`);
}

async function main(): Promise<void> {
  await ensureTools();
  const settings = localSettings();
  const secret = process.env.AUTH_JWT_SECRET || developmentSecret();
  log('stack', process.env.TEMPORAL_ADDRESS ? `using Temporal at ${process.env.TEMPORAL_ADDRESS}` : `starting Temporal dev server on ${settings.temporalPort} (UI ${settings.uiPort}, state in .data/temporal.db)`);
  log('stack', process.env.MONGODB_URI ? `using MongoDB at ${process.env.MONGODB_URI}` : `starting PostgreSQL on ${settings.postgresPort} and FerretDB on ${settings.mongoPort} (data in .data/postgres)`);

  const stack = await startStack({
    dataDir: DATA_DIR,
    temporal: process.env.TEMPORAL_ADDRESS ? null : { port: settings.temporalPort, uiPort: settings.uiPort, persistent: true, namespace: settings.namespace },
    mongo: process.env.MONGODB_URI ? null : { port: settings.mongoPort, postgresPort: settings.postgresPort, durable: true },
    log,
  });

  const env = { ...process.env, AUTH_JWT_SECRET: secret, TEMPORAL_ADDRESS: settings.temporalAddress, MONGODB_URI: settings.mongodbUri, TEMPORAL_UI_URL: settings.uiUrl, EXIT_WITH_PARENT: '1' };
  const apps: ManagedProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stack', 'stopping…');
    for (const proc of [...apps].reverse()) await proc.stop();
    await stack.stop();
    log('stack', 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    await seedIfEmpty(settings.mongodbUri, (line) => log('stack', line));
    let workerReady: () => void = () => undefined;
    const workerUp = new Promise<void>((resolve) => (workerReady = resolve));
    for (const name of ['worker', 'api'] as const) {
      const onLine = (line: string) => {
        if (name === 'worker' && line.includes('"msg":"worker ready"')) workerReady();
        log(name, line);
      };
      const proc = launch(name, process.execPath, ['--import', 'tsx', path.join(ROOT, name, 'main.ts')], { env, cwd: ROOT, onLine });
      apps.push(proc);
      void proc.exited.then((code) => {
        if (!stopping) {
          log('stack', `${name} exited with code ${code}; stopping the stack`);
          void shutdown(1);
        }
      });
    }
    await Promise.all([workerUp, waitForApi(`http://127.0.0.1:${loadConfig(env).port}`)]);
  } catch (err) {
    log('stack', `start failed: ${(err as Error).message}`);
    await shutdown(1);
    return;
  }
  banner(stack, settings, loadConfig(env).port);
}

async function waitForApi(base: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`the API at ${base} did not become ready`);
}

function banner(stack: RunningStack, settings: ReturnType<typeof localSettings>, port: number): void {
  const usingDevSecret = !process.env.AUTH_JWT_SECRET;
  const lines = [
    '',
    `  API          http://127.0.0.1:${port}   (OpenAPI: /openapi.json)`,
    `  Temporal UI  ${settings.uiUrl}${stack.temporalAddress ? '' : '   (external server)'}`,
    `  Temporal     ${settings.temporalAddress}   MongoDB ${settings.mongodbUri}`,
    `  Token        npm run token -- --role requester --sub alice${usingDevSecret ? '   (development secret in .data/dev-secret)' : ''}`,
    '  Stop         Ctrl-C',
    '',
  ];
  log('stack', `ready${lines.join('\n')}`);
}

main().catch((err) => {
  log('stack', `start failed: ${(err as Error).message}`);
  process.exit(1);
});
