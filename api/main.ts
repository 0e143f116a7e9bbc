// Entry point: `npm run api` serves the HTTP API against servers already running.
import type { Server } from 'node:http';
import { loadConfig } from '../platform/config';
import { exitWithParent, whenAvailable } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { masterKeysOrExit } from '../platform/payload-codec';
import { openStoreAndCodec } from '../platform/startup';
import { connectTemporal } from '../platform/temporal';
import { createApp } from './app';
import { apiDeps } from './deps-factory';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.logLevel);
  if (!config.jwtSecret) {
    logger.fatal('AUTH_JWT_SECRET is not set: the API will not start without a secret to verify tokens (npm start creates a development one)');
    process.exit(1);
  }
  if (config.devSignIn) logger.warn('development sign-in is on (DEV_SIGN_IN=1): anyone may sign in as anyone at POST /dev/sign-in');
  const master = masterKeysOrExit(config, logger);
  exitWithParent();
  // The payload keys live in MongoDB, so the Temporal client is made once the database answers.
  const { db, codec } = await openStoreAndCodec(config, logger, master);
  const temporal = await whenAvailable('Temporal', () => connectTemporal(config, codec), logger);
  const app = createApp(apiDeps(config, logger, temporal, db, codec));
  const server: Server = app.listen(config.port, () => logger.info({ port: config.port }, 'api ready'));

  const shutdown = () => {
    logger.info('api stopping');
    server.close(() => {
      void Promise.all([db.close(), temporal.connection.close()]).then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
