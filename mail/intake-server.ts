// The SMTP intake (SPEC §17, SMTP_INTAKE_PORT): an MX or a forwarder delivers the desk's mail here. Recipients the
// desk does not serve are refused at RCPT (550), a sender who opened too many tickets lately is told to come back
// later (451), oversize mail is refused at DATA (552) before anything is parsed or stored. A message is
// answered 250 only once its ticket or comment is stored, so a crash before that makes the sender retry, and
// the Message-ID makes the retry harmless. No STARTTLS or AUTH: it sits behind the MX, on a private address.
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { messageIdsIn, normalizeMessageId } from '../domain/mail';
import { HttpProblem } from '../api/http/problem';
import type { Logger } from '../platform/logger';
import { DeskMisconfigured, type EmailIntake, type InboundEmail } from './intake';

export interface IntakeServerOptions {
  intake: EmailIntake;
  maxMessageBytes: number;
  logger: Logger;
}

/** Headers that tell automatic mail apart (domain/mail automaticReason). */
const LOOP_HEADERS = ['auto-submitted', 'precedence', 'x-autoreply', 'x-autorespond'];

export function createIntakeServer({ intake, maxMessageBytes, logger }: IntakeServerOptions): SMTPServer {
  return new SMTPServer({
    name: 'support-intake',
    banner: 'support desk mail intake',
    size: maxMessageBytes,
    rejectOversized: true,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    maxRecipients: 50,
    onMailFrom(address, session, callback) {
      if (!address.address) return callback();
      intake.senderRetryAfter(address.address).then(
        (retryAfter) => callback(retryAfter === null ? null : smtpError(451, `4.7.1 ${address.address} opened too many tickets lately; try again in ${retryAfter} s`)),
        (err: unknown) => callback(temporaryFailure(logger, err, session)),
      );
    },
    onRcptTo(address, session, callback) {
      intake.serves(address.address).then(
        (served) => callback(served ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (err: unknown) => callback(temporaryFailure(logger, err, session)),
      );
    },
    onData(stream, session, callback) {
      readMessage(stream, maxMessageBytes).then(
        async (raw) => {
          if (raw === null) return callback(smtpError(552, '5.3.4 Message exceeds fixed maximum message size'));
          try {
            const email = await inboundEmail(raw, session);
            const result = await intake.receive(email);
            logger.info({ messageId: email.messageId, from: email.from, outcome: result.outcome, ticketId: 'ticket' in result ? result.ticket.id : null }, 'email received');
            callback(null, `2.0.0 Accepted (${result.outcome.replace('_', ' ')})`);
          } catch (err) {
            callback(refusal(logger, err, session));
          }
        },
        (err: unknown) => callback(temporaryFailure(logger, err, session)),
      );
    },
  });
}

/** The whole message, or null when it is over the limit (what went past the limit is read and dropped, not kept). */
function readMessage(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks)));
  });
}

/** What the intake needs from a raw message: parsed with mailparser, with the SMTP envelope beside it. */
async function inboundEmail(raw: Buffer, session: Pick<SMTPServerSession, 'envelope'>): Promise<InboundEmail> {
  const parsed = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true });
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
  const from = firstAddress(parsed.from) ?? (envelopeFrom || 'MAILER-DAEMON');
  return {
    // A message without a Message-ID gets one from its bytes, so its redelivery is still recognised.
    messageId: parsed.messageId ? normalizeMessageId(parsed.messageId) : `<${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@no-message-id.invalid>`,
    from,
    ...(envelopeFrom !== undefined ? { returnPath: envelopeFrom } : {}),
    recipients: session.envelope.rcptTo.map((r) => r.address),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    inReplyTo: messageIdsIn(parsed.inReplyTo),
    references: messageIdsIn(parsed.references),
    headers: loopHeaders(parsed),
    files: parsed.attachments.map((a) => ({ ...(a.filename ? { name: a.filename } : {}), type: a.contentType, content: a.content })),
    attachments: [],
  };
}

function firstAddress(header: AddressObject | undefined): string | null {
  const first = header?.value.flatMap((v) => (v.group ? v.group : [v])).find((v) => v.address);
  if (!first?.address) return null;
  return first.name ? `${first.name.replace(/[<>"]/g, '')} <${first.address}>` : first.address;
}

function loopHeaders(parsed: ParsedMail): Record<string, string | undefined> {
  const text = (value: HeaderValue | undefined) => (typeof value === 'string' ? value : Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : value === undefined ? undefined : '');
  return Object.fromEntries(LOOP_HEADERS.filter((name) => parsed.headers.has(name)).map((name) => [name, text(parsed.headers.get(name))]));
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Refused for good (the message itself is wrong) is 5xx; anything the desk could store later is 451, so the sender retries. */
function refusal(logger: Logger, err: unknown, session: SMTPServerSession): Error {
  // Mail waits (451) while an admin fixes the desk, rather than bouncing.
  if (err instanceof DeskMisconfigured) {
    logger.error({ session: session.id, detail: err.detail }, 'email cannot be taken until the desk is fixed');
    return smtpError(451, '4.3.5 The desk cannot take this message right now; please try again later');
  }
  if (err instanceof HttpProblem) {
    if (err.status === 429) return smtpError(451, `4.7.1 ${err.detail}`);
    if (err.status >= 400 && err.status < 500 && err.status !== 409) {
      logger.warn({ session: session.id, status: err.status, detail: err.detail }, 'email refused');
      return smtpError(554, `5.6.0 ${err.detail}`);
    }
  }
  return temporaryFailure(logger, err, session);
}

function temporaryFailure(logger: Logger, err: unknown, session: SMTPServerSession): Error {
  logger.warn({ session: session.id, err }, 'email not accepted for now; the sender will retry');
  return smtpError(451, '4.3.0 The desk cannot take this message right now; please try again later');
}
