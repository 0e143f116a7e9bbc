// Email intake (SPEC §4): a mail gateway posts each parsed inbound email. A reply whose subject carries a
// ticket reference ([#7K2XQ9MPA4]) becomes a comment on that ticket; anything else opens a ticket.
// The Message-ID keys both, so a redelivered email never makes a second ticket or comment.
import { z } from 'zod';
import { isOpen } from '../../domain/lifecycle';
import type { Ticket } from '../../domain/ticket';
import type { Actor } from '../../domain/timeline';
import { addComment } from '../../workflows/definitions';
import type { ApiDeps } from '../deps';
import { defineRoute } from '../http/routes';
import { anyText, attachment, text } from '../http/text';
import { ticketIdForKey } from '../tickets/ids';
import { applyTemplate, templateFor } from '../tickets/intake';
import { requesterTicketResource } from '../tickets/schemas';
import { requesterTicket } from '../tickets/view';

const REFERENCE = /\[#([0-9A-Z]{10})\]/;

const emailBody = z.strictObject({
  messageId: text(998),
  from: text(320),
  subject: anyText(998).default(''),
  text: anyText(100_000).default(''),
  attachments: z.array(attachment).max(20).default([]),
  /** The gateway may route by mailbox; otherwise the defaults apply. */
  productLine: text(100).default('general'),
  problemType: text(100).default('question'),
});
type EmailBody = z.infer<typeof emailBody>;

// The gateway is no member of the desk: it gets the ticket as a requester sees it.
const emailResult = z.object({ outcome: z.enum(['ticket_created', 'ticket_existed', 'comment_added']), ticket: requesterTicketResource });

export function emailRoutes({ desk, tickets, deskConfig, db }: ApiDeps) {
  /** The requester writes publicly, an agent's email is a public reply; anyone else's mail stays internal. */
  async function authorOf(ticket: Ticket, sender: { email: string; name?: string }): Promise<{ actor: Actor; visibility: 'public' | 'internal' }> {
    if (ticket.requester.email && ticket.requester.email.toLowerCase() === sender.email) {
      return { actor: { id: ticket.requester.id, role: 'requester', ...(sender.name ? { name: sender.name } : {}) }, visibility: 'public' };
    }
    const agent = await db.models.Agent.findOne({ email: sender.email }).lean();
    if (agent) return { actor: { id: agent._id, role: 'agent', name: agent.name }, visibility: 'public' };
    return { actor: { id: `email:${sender.email}`, role: 'requester', ...(sender.name ? { name: sender.name } : {}) }, visibility: 'internal' };
  }

  return [
    defineRoute<EmailBody>({
      method: 'post',
      path: '/channels/email',
      summary: 'A parsed inbound email from the mail gateway: a new ticket, or a comment on the one its subject references',
      tags: ['channels'],
      // Only the mail gateway's own role: an agent's token must not post into any ticket as anyone (SPEC §16).
      roles: ['gateway'],
      body: emailBody,
      responses: {
        201: { description: 'A ticket was opened from the email', schema: emailResult },
        200: { description: 'The email was a reply (comment added) or a redelivery (the original ticket)', schema: emailResult },
        409: { description: 'The referenced ticket closed while the reply was being added; send it again to open a follow-up' },
      },
      async handle({ body }) {
        const sender = parseAddress(body.from);
        const referenced = REFERENCE.exec(body.subject)?.[1];
        const existing = referenced ? await tickets.findById(referenced) : null;
        // A reply to a closed ticket opens a follow-up instead (a closed ticket takes no more changes).
        if (existing && isOpen(existing.status)) {
          const { actor, visibility } = await authorOf(existing, sender);
          const text = visibility === 'internal' ? `Email from ${body.from}:\n\n${body.text}` : body.text;
          const result = await desk.change(
            existing.id,
            addComment,
            [{ actor, body: text || '(empty email)', visibility, source: { channel: 'email', messageId: body.messageId } }],
            `email:${body.messageId}`,
          );
          return { status: 200, body: { outcome: 'comment_added', ticket: requesterTicket(result.ticket) } };
        }
        const title = body.subject.replace(/^\s*((re|fwd?|aw|wg)\s*:\s*)+/i, '').trim() || '(no subject)';
        const { intake, problems } = applyTemplate(
          {
            id: ticketIdForKey('email', body.messageId),
            title: title.slice(0, 200),
            description: `${existing ? `Follow-up to ${existing.id}.\n\n` : ''}${body.text.trim() || title}`,
            channel: 'email',
            productLine: body.productLine,
            problemType: body.problemType,
            fields: {},
            attachments: body.attachments,
            requester: { id: sender.email, email: sender.email, ...(sender.name ? { name: sender.name } : {}) },
          },
          await templateFor(deskConfig, body.problemType),
        );
        // A mail cannot be bounced back for missing facts: the ticket opens and the acknowledgement asks for them.
        const opened = await desk.open({ ...intake, missingFacts: problems.map((p) => p.message) }, { email: body.messageId });
        return { status: opened.created ? 201 : 200, body: { outcome: opened.created ? 'ticket_created' : 'ticket_existed', ticket: requesterTicket(opened.ticket) } };
      },
    }),
  ];
}

/** "Alice Martin <Alice@Example.com>" → { email: 'alice@example.com', name: 'Alice Martin' }. */
export function parseAddress(from: string): { email: string; name?: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  const email = (match ? match[2]! : from).trim().toLowerCase();
  const name = match?.[1]?.trim();
  return name ? { email, name } : { email };
}
