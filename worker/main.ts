// Entry point: `npm run worker` runs one worker process against servers already running.
import { Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { exitWithParent, whenAvailable } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { syncIndexes } from '../platform/mongo';
import { masterKeysOrExit } from '../platform/payload-codec';
import { senderFromEnv } from '../platform/notifier';
import { openStoreAndCodec } from '../platform/startup';
import { temporalClient } from '../platform/temporal';
import { DeskConfigStore } from '../store/desk-config';
import { MailStore } from '../store/mail';
import { runMigrations } from '../store/migrations';
import { changeRelay } from './change-relay';
import { activityDeps } from './deps';
import { ensureRetentionSchedule } from './retention-schedule';
import { createTicketWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.logLevel);
  // The SDK's own log lines join ours as JSON; its routine INFO chatter (bundle sizes) stays out.
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => logger[level === 'ERROR' ? 'error' : 'warn'](meta ?? {}, message)),
  });
  const master = masterKeysOrExit(config, logger);
  exitWithParent();
  const { db, codec } = await openStoreAndCodec(config, logger, master);
  await whenAvailable('MongoDB (indexes)', () => syncIndexes(db), logger);
  const migrated = await whenAvailable('MongoDB (migrations)', () => runMigrations(db.models), logger);
  if (Object.values(migrated).some((n) => n > 0)) logger.info(migrated, 'brought the stored data up to date (store/migrations.ts)');
  const connection = await whenAvailable('Temporal', () => NativeConnection.connect({ address: config.temporalAddress }), logger);
  // Erasure and retention end tickets' workflows through the client, with the same codec.
  const client = temporalClient(await whenAvailable('Temporal (client)', () => Connection.connect({ address: config.temporalAddress }), logger), codec, config.temporalNamespace);
  const deps = activityDeps(db, logger, { client, codec });
  await whenAvailable('Temporal (retention schedule)', () => ensureRetentionSchedule(client, config.taskQueue), logger);
  const worker = await createTicketWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    deps,
    codec,
    tuning: config.worker,
  });
  const sender = senderFromEnv(process.env, logger, { mail: new MailStore(db.models), deskConfig: new DeskConfigStore(db.models) });
  const relay = changeRelay(db, sender, logger, { dispatcher: deps.dispatcher });
  relay.start();
  logger.info({ taskQueue: config.taskQueue, temporal: config.temporalAddress }, 'worker ready');
  // Runs until SIGINT or SIGTERM, then finishes the tasks in hand.
  await worker.run();
  await relay.stop();
  await connection.close();
  await client.connection.close();
  await db.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
