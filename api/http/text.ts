// Strings the API accepts: well-formed Unicode without NUL. PostgreSQL's jsonb (under FerretDB) refuses NUL
// and lone surrogates, and a write that can never succeed must be refused at the door, not retried for ever.
import { z } from 'zod';

const printable = (s: string) => s.isWellFormed() && !s.includes('\u0000');
const MESSAGE = 'must be well-formed text without NUL characters';

/** Any string up to `max` characters. */
export const anyText = (max: number) => z.string().max(max).refine(printable, MESSAGE);

/** A non-empty string, trimmed, up to `max` characters. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max).refine(printable, MESSAGE);

/** A key of a stored object (template facts): an identifier, so it is a valid field name in MongoDB. */
export const fieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'must be an identifier (letters, digits, _)');

export const attachment = z.strictObject({
  name: text(255),
  type: text(100),
  size: z.number().int().min(0).max(1_000_000_000),
  location: text(2048),
});

/** A file the caller uploaded (POST /uploads), attached by its id. */
export const uploadRef = z.strictObject({ uploadId: z.string().regex(/^u[0-9a-f]{32}$/, 'must be an uploadId from POST /uploads') });

/** What a request may attach: an upload of the caller's, or the metadata of a file kept elsewhere. */
export const attachmentInput = z.union([uploadRef, attachment]);
export type AttachmentInput = z.infer<typeof attachmentInput>;

/** An attachment as a ticket lists it: files the desk keeps have an id (download path in `location`); those of internal notes are marked. */
export const attachmentResource = z.object({
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
  location: z.string(),
  id: z.string().optional(),
  visibility: z.literal('internal').optional(),
});
