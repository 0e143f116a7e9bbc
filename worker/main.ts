// Entry point: `npm run worker` runs one worker process against servers already running.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { exitWithParent, whenAvailable } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { connectDatabase, syncIndexes } from '../platform/mongo';
import { senderFromEnv } from '../platform/notifier';
import { DeskConfigStore } from '../store/desk-config';
import { MailStore } from '../store/mail';
import { OutboxStore } from '../store/outbox';
import { TicketStore } from '../store/tickets';
import { activityDeps } from './deps';
import { OutboxRelay } from './outbox-relay';
import { createTicketWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.logLevel);
  // The SDK's own log lines join ours as JSON; its routine INFO chatter (bundle sizes) stays out.
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => logger[level === 'ERROR' ? 'error' : 'warn'](meta ?? {}, message)),
  });
  exitWithParent();
  const db = await whenAvailable('MongoDB', () => connectDatabase(config.mongodbUri), logger);
  await whenAvailable('MongoDB (indexes)', () => syncIndexes(db), logger);
  const keyed = await whenAvailable('MongoDB (queue keys)', () => new TicketStore(db.models).updateQueueKeys(), logger);
  if (keyed > 0) logger.info({ tickets: keyed }, 'brought the tickets’ queue keys up to date');
  const connection = await whenAvailable('Temporal', () => NativeConnection.connect({ address: config.temporalAddress }), logger);
  const worker = await createTicketWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    deps: activityDeps(db, logger),
    tuning: config.worker,
  });
  const sender = senderFromEnv(process.env, logger, { mail: new MailStore(db.models), deskConfig: new DeskConfigStore(db.models) });
  const relay = new OutboxRelay(new OutboxStore(db.models), sender, logger);
  relay.start();
  logger.info({ taskQueue: config.taskQueue, temporal: config.temporalAddress }, 'worker ready');
  // Runs until SIGINT or SIGTERM, then finishes the tasks in hand.
  await worker.run();
  await relay.stop();
  await connection.close();
  await db.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
