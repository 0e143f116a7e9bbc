// Email intake over HTTP (SPEC §4, §16): a mail gateway posts each parsed inbound email. It takes the same path
// as mail delivered to the SMTP intake (mail/intake.ts): threading by the Message-IDs it replies to, then by
// [#ID] in the subject; one ticket or comment per Message-ID; automatic mail never answered.
import { z } from 'zod';
import { messageIdsIn, normalizeMessageId } from '../../domain/mail';
import type { ApiDeps } from '../deps';
import { defineRoute } from '../http/routes';
import { anyText, attachment, text } from '../http/text';
import { requesterTicketResource } from '../tickets/schemas';
import { requesterTicket } from '../tickets/view';

const emailBody = z.strictObject({
  messageId: text(998),
  from: text(320),
  subject: anyText(998).default(''),
  text: anyText(100_000).default(''),
  attachments: z.array(attachment).max(20).default([]),
  /** The addresses it was delivered to: the desk's mailbox among them routes a new ticket. */
  to: z.array(text(320)).max(50).default([]),
  inReplyTo: anyText(998).optional().describe('the In-Reply-To header as received'),
  references: anyText(20_000).optional().describe('the References header as received'),
  /** Headers that tell automatic mail apart (Auto-Submitted, Precedence, X-Autoreply, X-Autorespond), by name. */
  headers: z.record(z.string().max(100), anyText(998)).default({}),
  /** The envelope sender; "" for a null return path (a bounce). */
  returnPath: anyText(320).optional(),
  /** The gateway may route by itself; otherwise the mailbox in `to` decides, else the defaults (general, question). */
  productLine: text(100).optional(),
  problemType: text(100).optional(),
});
type EmailBody = z.infer<typeof emailBody>;

// The gateway is no member of the desk: it gets the ticket as a requester sees it.
const emailResult = z.object({ outcome: z.enum(['ticket_created', 'ticket_existed', 'comment_added', 'note_added']), ticket: requesterTicketResource });
const droppedResult = z.object({ outcome: z.literal('dropped'), reason: z.string() });

export function emailRoutes({ intake }: ApiDeps) {
  return [
    defineRoute<EmailBody>({
      method: 'post',
      path: '/channels/email',
      summary: 'A parsed inbound email from the mail gateway: a new ticket, or a comment on the one it replies to',
      tags: ['channels'],
      // Only the mail gateway's own role: an agent's token must not post into any ticket as anyone (SPEC §16).
      roles: ['gateway'],
      body: emailBody,
      responses: {
        201: { description: 'A ticket was opened from the email', schema: emailResult },
        200: { description: 'The email was a reply (comment, or an internal note for automatic mail) or a redelivery (the first outcome)', schema: emailResult },
        202: { description: 'Automatic mail that belongs to no open ticket: dropped, never answered', schema: droppedResult },
        409: { description: 'The referenced ticket closed while the reply was being added; send it again to open a follow-up' },
        422: { description: 'The desk cannot open a ticket from it: the template its mailbox (or the default) names is gone' },
        429: { description: 'The sender opened MAIL_SENDER_LIMIT tickets within MAIL_SENDER_WINDOW; send it again after Retry-After' },
      },
      async handle({ body }) {
        const result = await intake.receive({
          messageId: normalizeMessageId(body.messageId),
          from: body.from,
          ...(body.returnPath !== undefined ? { returnPath: body.returnPath } : {}),
          recipients: body.to,
          subject: body.subject,
          text: body.text,
          inReplyTo: messageIdsIn(body.inReplyTo),
          references: messageIdsIn(body.references),
          headers: Object.fromEntries(Object.entries(body.headers).map(([name, value]) => [name.toLowerCase(), value])),
          files: [],
          attachments: body.attachments,
          route: { ...(body.productLine ? { productLine: body.productLine } : {}), ...(body.problemType ? { problemType: body.problemType } : {}) },
        });
        if (result.outcome === 'dropped') return { status: 202, body: result };
        return { status: result.outcome === 'ticket_created' ? 201 : 200, body: { outcome: result.outcome, ticket: requesterTicket(result.ticket) } };
      },
    }),
  ];
}
