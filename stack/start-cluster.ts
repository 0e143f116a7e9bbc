// `npm run start:cluster`: the product on a full Temporal server instead of the dev server — the server's four
// services in one process on the project's PostgreSQL (schemas created or upgraded at every start), the
// standalone Temporal UI, FerretDB, two workers sharing the task queue and two APIs. Data in .data/cluster/.
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { log, logFiles, runProduct } from './run';
import { DATA_DIR, localSettings, mailSettings, payloadEnv, tokenEnv, uiCodecEndpoint } from './settings';
import { startStack, stopLeftovers } from './stack';
import { ensureTools } from './tools';

async function main(): Promise<void> {
  const settings = localSettings();
  const port = loadConfig().port;
  const dataDir = path.join(DATA_DIR, 'cluster');
  const mail = mailSettings(dataDir);
  await stopLeftovers(dataDir, log);
  await ensureTools({
    cluster: true,
    dataDir,
    ports: [
      { port, what: 'the first API' },
      { port: port + 1, what: 'the second API' },
      { port: settings.temporalPort, what: 'the Temporal server' },
      { port: settings.uiPort, what: 'the Temporal UI' },
      { port: settings.postgresPort, what: 'PostgreSQL' },
      { port: settings.mongoPort, what: 'FerretDB' },
      { port: mail.intakePort, what: 'the mail intake' },
      ...(mail.sink ? [{ port: mail.sink.port, what: 'the mail sink' }] : []),
    ],
  });
  logFiles.keepIn(path.join(dataDir, 'logs'));
  const payloads = payloadEnv();
  const env = { ...process.env, ...tokenEnv(), ...payloads, ...mail.env, TEMPORAL_ADDRESS: settings.temporalAddress, MONGODB_URI: settings.mongodbUri, TEMPORAL_UI_URL: settings.uiUrl };
  const codecEndpoint = uiCodecEndpoint(port, payloads.CODEC_UI_KEY);
  log('stack', `starting the full Temporal server on ${settings.temporalPort} with PostgreSQL on ${settings.postgresPort}, the Temporal UI on ${settings.uiPort}, FerretDB on ${settings.mongoPort} (data in .data/cluster)`);
  await runProduct({
    startServers: () =>
      startStack({
        dataDir,
        postgres: { port: settings.postgresPort, durable: true },
        mongo: { port: settings.mongoPort },
        temporal: { kind: 'cluster', port: settings.temporalPort, uiPort: settings.uiPort, persistent: true, namespace: settings.namespace, codecEndpoint },
        log,
      }),
    mongodbUri: settings.mongodbUri,
    env,
    workers: 2,
    apiPorts: [port, port + 1],
    mail: { intakePort: mail.intakePort, sink: mail.sink },
    banner: [
      `API          http://127.0.0.1:${port} and http://127.0.0.1:${port + 1} (two processes; OpenAPI: /openapi.json)`,
      `Temporal UI  ${settings.uiUrl}   (standalone UI server)`,
      `Temporal     ${settings.temporalAddress} (full server: frontend, history, matching, worker; config stack/cluster/temporal.yaml)`,
      `MongoDB      ${settings.mongodbUri}   workers: 2 on task queue ${loadConfig(env).taskQueue}`,
      `Token        npm run token -- --role requester --sub alice`,
      `Privacy      payloads encrypted; the Temporal UI ${codecEndpoint ? 'decodes through the first API’s codec endpoint' : 'shows them encrypted (set CODEC_UI_KEY: README, Privacy)'}`,
      `Mail in      smtp://127.0.0.1:${mail.intakePort}   (the desk's addresses: GET /admin/mailboxes; demo: support@example.com)`,
      `Mail out     ${mail.sink ? `local sink on 127.0.0.1:${mail.sink.port}, every message in .data/cluster/mail/sent/` : `through ${mail.relay}`}`,
      'Stop         Ctrl-C',
    ],
  });
}

main().catch((err) => {
  log('stack', `start failed: ${(err as Error).message}`);
  process.exit(1);
});
