// Entry point: `npm run mail-intake` receives the desk's mail over SMTP on SMTP_INTAKE_PORT (default 2525),
// against servers already running, as `npm start` runs it. It listens only once MongoDB and Temporal answer,
// so an accepting port means mail can be stored.
import { loadConfig } from '../platform/config';
import { exitWithParent, whenAvailable } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { masterKeysOrExit } from '../platform/payload-codec';
import { openStoreAndCodec } from '../platform/startup';
import { connectTemporal } from '../platform/temporal';
import { apiDeps } from '../api/deps-factory';
import { createIntakeServer } from './intake-server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('mail-intake', config.logLevel);
  const master = masterKeysOrExit(config, logger);
  exitWithParent();
  const { db, codec } = await openStoreAndCodec(config, logger, master);
  const temporal = await whenAvailable('Temporal', () => connectTemporal(config, codec), logger);
  // The same intake the API's POST /channels/email uses, built the same way.
  const { intake } = apiDeps(config, logger, temporal, db, codec);
  const server = createIntakeServer({ intake, maxMessageBytes: config.mail.maxMessageBytes, logger });
  server.on('error', (err) => logger.error({ err }, 'mail intake error'));
  server.listen(config.mail.intakePort, config.mail.intakeHost, () => logger.info({ host: config.mail.intakeHost, port: config.mail.intakePort }, 'mail intake ready'));

  const shutdown = () => {
    logger.info('mail intake stopping');
    // Messages being received get their answer first; the sender retries any cut off.
    server.close(() => void Promise.all([db.close(), temporal.connection.close()]).then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
