// The local mail sink (SPEC §17): an SMTP server for development and tests that takes every message and writes it
// as one .eml file, so notices can be read without a real relay. It is ours, on 127.0.0.1 only; `npm start`
// runs it only when SMTP_URL is not set, and a real relay never goes through it.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface MailSink {
  port: number;
  dir: string;
  close(): Promise<void>;
}

export async function startMailSink(options: { port: number; dir: string; host?: string; maxBytes?: number; onMessage?: (file: string) => void }): Promise<MailSink> {
  const { dir, host = '127.0.0.1', maxBytes = 50 * 1024 * 1024 } = options;
  await mkdir(dir, { recursive: true });
  const server = new SMTPServer({
    name: 'support-mail-sink',
    banner: 'development mail sink: every message is written to a file, none is delivered',
    size: maxBytes,
    rejectOversized: true,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error('5.3.4 Message exceeds fixed maximum message size'), { responseCode: 552 }));
        writeMessage(dir, session, Buffer.concat(chunks)).then(
          (file) => {
            options.onMessage?.(file);
            callback(null, `2.0.0 Written to ${path.basename(file)}`);
          },
          (err: unknown) => callback(Object.assign(new Error(`4.3.0 Could not write the message: ${(err as Error).message}`), { responseCode: 451 })),
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : options.port);
    });
  });
  return { port, dir, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** One file per message, named by arrival, written whole before it appears (readers never see half a file). */
async function writeMessage(dir: string, session: SMTPServerSession, raw: Buffer): Promise<string> {
  const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const to = session.envelope.rcptTo.map((r) => `<${r.address}>`).join(', ');
  // The envelope, as a delivering server records it, above the message as it was sent.
  const envelope = Buffer.from(`Return-Path: <${from}>\r\nX-Envelope-To: ${to}\r\n`);
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
  const file = path.join(dir, name);
  await writeFile(`${file}.part`, Buffer.concat([envelope, raw]));
  await rename(`${file}.part`, file);
  return file;
}
