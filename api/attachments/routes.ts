// Attachments (SPEC §4, §16): files are uploaded first (multipart, size limit, type allow-list), then attached by
// their uploadId to a new ticket or a comment; mail's files arrive the same way through the intake. A file is
// downloaded through a ticket that lists it, with the ticket's own authorization: whoever may not see the
// ticket, or (requesters) the internal note it came with, gets 404.
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { z } from 'zod';
import { attachmentRefusal, downloadType, safeFileName } from '../../domain/mail';
import { isStaff } from '../../domain/roles';
import type { Attachment } from '../../domain/ticket';
import type { AttachmentStore } from '../../store/attachments';
import type { ApiDeps } from '../deps';
import { badRequest, HttpProblem, notFound, unprocessable } from '../http/problem';
import { defineRoute } from '../http/routes';
import type { AttachmentInput } from '../http/text';
import { ticketIdParam } from '../tickets/schemas';
import { findVisible } from '../tickets/view';

const uploadResult = z.object({ uploadId: z.string(), name: z.string(), type: z.string(), size: z.number().int(), sha256: z.string() });
const uploadLimits = z.object({
  maxBytes: z.number().int().describe('the largest file POST /uploads takes (ATTACHMENT_MAX_BYTES); a larger one is refused with 413'),
  types: z.array(z.string()).describe('the media types it takes (ATTACHMENT_TYPES); another is refused with 415'),
});
/** Whoever may upload: every signed-in role but the mail gateway (whose files come with the mail). */
const UPLOADERS = ['requester', 'agent', 'supervisor', 'admin'] as const;
const attachmentParams = ticketIdParam.extend({ attachmentId: z.string().min(1).max(200) });
const sentMail = z.object({
  items: z.array(
    z.object({
      notificationId: z.string(),
      kind: z.string(),
      to: z.array(z.string()),
      subject: z.string(),
      messageId: z.string(),
      status: z.enum(['sending', 'sent', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      rejected: z.array(z.string()),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
});

export function attachmentRoutes({ tickets, files, mail, config }: ApiDeps) {
  // The one statement of what an upload may be: POST /uploads enforces it, GET /uploads/limits tells it.
  const limits = { maxBytes: config.mail.attachmentMaxBytes, types: config.mail.attachmentTypes };
  const parser = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: limits.maxBytes, files: 1, fields: 0, parts: 1 } }).single('file');

  return [
    defineRoute({
      method: 'post',
      path: '/uploads',
      summary: 'Upload a file (multipart/form-data, part `file`) to attach to a new ticket or a comment by its uploadId',
      tags: ['attachments'],
      roles: UPLOADERS,
      upload: { field: 'file', description: `one file of at most ${limits.maxBytes} bytes, of an allowed type (ATTACHMENT_TYPES)` },
      responses: {
        201: { description: 'Stored; attach it with { "uploadId": … } in `attachments`', schema: uploadResult },
        413: { description: 'The file is larger than ATTACHMENT_MAX_BYTES', problem: {} },
        415: { description: 'Not multipart/form-data, or a file type that is not accepted', problem: {} },
      },
      async handle({ req, principal }) {
        const file = await receiveFile(req, parser, limits.maxBytes);
        const type = file.mimetype.split(';')[0]!.trim().toLowerCase();
        const refused = attachmentRefusal(type, file.size, limits);
        if (refused) throw new HttpProblem(415, `the file is refused: ${refused}`, [{ path: 'body.file', message: `must be one of: ${limits.types.join(', ')}` }]);
        const uploadId = `u${randomBytes(16).toString('hex')}`;
        const stored = await files.put(uploadId, { name: safeFileName(file.originalname), type, owner: principal.sub, content: file.buffer });
        return { status: 201, body: { uploadId, name: stored.name, type: stored.type, size: stored.size, sha256: stored.sha256 }, headers: { Location: `/uploads/${uploadId}` } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/uploads/limits',
      summary: 'What POST /uploads takes: the largest file and the accepted media types (to say so before a file is refused)',
      tags: ['attachments'],
      roles: UPLOADERS,
      responses: { 200: { description: 'The limits POST /uploads enforces', schema: uploadLimits } },
      async handle() {
        return { status: 200, body: { maxBytes: limits.maxBytes, types: [...limits.types] } };
      },
    }),

    defineRoute<undefined, undefined, z.infer<typeof attachmentParams>>({
      method: 'get',
      path: '/tickets/{id}/attachments/{attachmentId}',
      summary: 'Download a file the ticket lists (requesters: not those of internal notes), as an attachment',
      tags: ['attachments'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      params: attachmentParams,
      responses: {
        200: { description: 'The file, byte for byte (Content-Disposition: attachment; X-Content-Type-Options: nosniff)', content: '*/*' },
        404: { description: 'Unknown, or not visible to the caller' },
      },
      async handle({ params, principal }) {
        const ticket = await findVisible(tickets, params.id, principal);
        const listed = ticket.attachments.find((a) => a.id === params.attachmentId && (isStaff(principal) || a.visibility !== 'internal'));
        const file = listed?.id ? await files.find(listed.id) : null;
        if (!listed || !file) throw notFound('attachment');
        return {
          status: 200,
          stream: files.open(file.id),
          headers: {
            'Content-Type': downloadType(file.type, limits.types),
            'Content-Length': String(file.size),
            'Content-Disposition': asAttachment(listed.name),
            'X-Content-Type-Options': 'nosniff',
            'Content-Security-Policy': "default-src 'none'; sandbox",
            'Cache-Control': 'private, no-store',
          },
        };
      },
    }),

    defineRoute<undefined, undefined, { id: string }>({
      method: 'get',
      path: '/tickets/{id}/mail',
      summary: 'The notices mailed about the ticket: to whom, subject, Message-ID, delivery status',
      tags: ['mail'],
      roles: ['agent', 'supervisor', 'admin'],
      params: ticketIdParam,
      responses: { 200: { description: 'Mailed notices, oldest first', schema: sentMail }, 404: { description: 'Unknown or not visible' } },
      async handle({ params, principal }) {
        await findVisible(tickets, params.id, principal);
        const items = (await mail.sentForTicket(params.id)).map(({ _id, ticketId: _t, ...m }) => ({ notificationId: _id, ...m }));
        return { status: 200, body: { items } };
      },
    }),
  ];
}

/**
 * The attachments a request names, ready for the ticket: an upload must be the caller's own; metadata of a
 * file kept elsewhere passes as it is. An unknown or foreign upload is refused naming its field.
 */
export async function resolveAttachments(files: AttachmentStore, inputs: readonly AttachmentInput[], caller: string, ticketId: string): Promise<Attachment[]> {
  const resolved: Attachment[] = [];
  for (const [i, input] of inputs.entries()) {
    if (!('uploadId' in input)) {
      resolved.push(input);
      continue;
    }
    const file = await files.find(input.uploadId);
    if (!file || file.owner !== caller) throw unprocessable(`upload ${input.uploadId} is not one of yours`, [{ path: `body.attachments.${i}.uploadId`, message: 'is not an upload of yours (POST /uploads)' }]);
    resolved.push({ id: file.id, name: file.name, type: file.type, size: file.size, location: `/tickets/${ticketId}/attachments/${file.id}` });
  }
  return resolved;
}

/** The uploaded file, or a problem naming what is wrong with the request. */
function receiveFile(req: Request, parser: ReturnType<ReturnType<typeof multer>['single']>, maxBytes: number): Promise<Express.Multer.File> {
  if (!req.is('multipart/form-data')) return Promise.reject(new HttpProblem(415, 'send the file as multipart/form-data, in a part named `file`'));
  return new Promise((resolve, reject) => {
    parser(req, req.res as Response, (err: unknown) => {
      if (err instanceof MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return reject(new HttpProblem(413, `the file is larger than ${maxBytes} bytes`, [{ path: 'body.file', message: `must be at most ${maxBytes} bytes` }]));
        return reject(badRequest(`the upload is not valid: ${err.message}`, [{ path: `body.${err.field ?? 'file'}`, message: 'send exactly one file, in a part named `file`' }]));
      }
      if (err) return reject(badRequest('the multipart body could not be read', [{ path: 'body', message: 'is not valid multipart/form-data' }]));
      if (!req.file) return reject(badRequest('no file was sent', [{ path: 'body.file', message: 'is required' }]));
      resolve(req.file);
    });
  });
}

/** Content-Disposition for a download: an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 8187). */
function asAttachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
