// Entry point: the local mail sink on 127.0.0.1:MAIL_SINK_PORT (default 2526), writing each message to
// MAIL_SINK_DIR (default .data/mail/sent). `npm start` runs it when SMTP_URL is not set.
import path from 'node:path';
import { exitWithParent } from '../platform/lifecycle';
import { createLogger } from '../platform/logger';
import { startMailSink } from './sink';

async function main(): Promise<void> {
  const logger = createLogger('mail-sink');
  exitWithParent();
  const port = Number(process.env.MAIL_SINK_PORT || 2526);
  const dir = process.env.MAIL_SINK_DIR || path.join(__dirname, '..', '.data', 'mail', 'sent');
  const sink = await startMailSink({ port, dir, onMessage: (file) => logger.info({ file: path.relative(process.cwd(), file) }, 'mail written') });
  logger.info({ port: sink.port, dir: sink.dir }, 'mail sink ready');
  const stop = () => void sink.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
