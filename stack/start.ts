// `npm start`: the whole product on this machine — Temporal dev server + UI, PostgreSQL, FerretDB, the worker
// and the API. Where TEMPORAL_ADDRESS or MONGODB_URI is set, that server is used and none is started.
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { log, logFiles, runProduct } from './run';
import { DATA_DIR, localSettings, mailSettings, payloadEnv, tokenEnv, uiCodecEndpoint } from './settings';
import { startStack, stopLeftovers } from './stack';
import { ensureTools } from './tools';

async function main(): Promise<void> {
  const settings = localSettings();
  const port = loadConfig().port;
  const mail = mailSettings(DATA_DIR);
  await stopLeftovers(DATA_DIR, log);
  await ensureTools({
    dataDir: DATA_DIR,
    ports: [
      { port, what: 'the API' },
      ...(process.env.TEMPORAL_ADDRESS ? [] : [{ port: settings.temporalPort, what: 'Temporal' }, { port: settings.uiPort, what: 'the Temporal UI' }]),
      ...(process.env.MONGODB_URI ? [] : [{ port: settings.postgresPort, what: 'PostgreSQL' }, { port: settings.mongoPort, what: 'FerretDB' }]),
      { port: mail.intakePort, what: 'the mail intake' },
      ...(mail.sink ? [{ port: mail.sink.port, what: 'the mail sink' }] : []),
    ],
  });
  logFiles.keepIn(path.join(DATA_DIR, 'logs'));
  const payloads = payloadEnv();
  const env = { ...process.env, ...tokenEnv(), ...payloads, ...mail.env, TEMPORAL_ADDRESS: settings.temporalAddress, MONGODB_URI: settings.mongodbUri, TEMPORAL_UI_URL: settings.uiUrl };
  const codecEndpoint = uiCodecEndpoint(port, payloads.CODEC_UI_KEY);
  log('stack', process.env.TEMPORAL_ADDRESS ? `using Temporal at ${process.env.TEMPORAL_ADDRESS}` : `starting Temporal dev server on ${settings.temporalPort} (UI ${settings.uiPort}, state in .data/temporal.db)`);
  log('stack', process.env.MONGODB_URI ? `using MongoDB at ${process.env.MONGODB_URI}` : `starting PostgreSQL on ${settings.postgresPort} and FerretDB on ${settings.mongoPort} (data in .data/postgres)`);
  await runProduct({
    startServers: () =>
      startStack({
        dataDir: DATA_DIR,
        postgres: process.env.MONGODB_URI ? null : { port: settings.postgresPort, durable: true },
        mongo: process.env.MONGODB_URI ? null : { port: settings.mongoPort },
        temporal: process.env.TEMPORAL_ADDRESS ? null : { kind: 'dev', port: settings.temporalPort, uiPort: settings.uiPort, persistent: true, namespace: settings.namespace, codecEndpoint },
        log,
      }),
    mongodbUri: settings.mongodbUri,
    env,
    workers: 1,
    apiPorts: [port],
    mail: { intakePort: mail.intakePort, sink: mail.sink },
    banner: [
      `API          http://127.0.0.1:${port}   (OpenAPI: /openapi.json)`,
      `Console      http://127.0.0.1:${port}/app`,
      `Temporal UI  ${settings.uiUrl}${process.env.TEMPORAL_ADDRESS ? '   (external server)' : ''}`,
      `Temporal     ${settings.temporalAddress}   MongoDB ${settings.mongodbUri}`,
      `Token        npm run token -- --role requester --sub alice${process.env.AUTH_JWT_SECRET ? '' : '   (development secret in .data/dev-secret)'}`,
      `Privacy      payloads encrypted${process.env.PAYLOAD_MASTER_KEY ? ' (PAYLOAD_MASTER_KEY)' : ' (development master key in .data/payload-master-key)'}; the Temporal UI ${codecEndpoint ? 'decodes through the API’s codec endpoint' : 'shows them encrypted (set CODEC_UI_KEY, or decode with a supervisor token: README, Privacy)'}`,
      `Mail in      smtp://127.0.0.1:${mail.intakePort}   (the desk's addresses: GET /admin/mailboxes; demo: support@example.com)`,
      `Mail out     ${mail.sink ? `local sink on 127.0.0.1:${mail.sink.port}, every message in .data/mail/sent/` : `through ${mail.relay}`}`,
      'Stop         Ctrl-C',
    ],
  });
}

main().catch((err) => {
  log('stack', `start failed: ${(err as Error).message}`);
  process.exit(1);
});
