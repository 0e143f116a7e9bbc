// Safe updates (SPEC §16): a ticket's version is its ETag. GET answers it and honours If-None-Match; a change
// may carry If-Match, which the ticket's workflow checks atomically with the change (workflows/ticket.ts).
import { z } from 'zod';
import { anyText } from '../http/text';

/** `"12"` or `12`; weak tags (W/"12") are refused, as RFC 9110 requires for If-Match. */
export const ifMatchHeader = z
  .string()
  .regex(/^\s*(?:"\d{1,15}"|\d{1,15})\s*$/, 'must be a ticket version such as "12" (the ETag of GET /tickets/{id})')
  .transform((v) => v.replace(/[\s"]/g, ''));

/** Any list of entity tags; one that is not the ticket's simply does not match. */
export const ifNoneMatchHeader = anyText(1000);

export const IF_MATCH = {
  'If-Match': { description: 'The ticket version the change was made against ("12" or 12): 412 with the current ticket when it has moved on', schema: ifMatchHeader },
};

export const etagOf = (ticket: { version: number }) => `"${ticket.version}"`;

export const expectedVersion = (ifMatch: string | undefined) => (ifMatch === undefined ? undefined : Number(ifMatch));

/** If-None-Match (RFC 9110 §13.1.2): `*` or any listed tag, weak or strong, equal to the ticket's. */
export function unchangedSince(ifNoneMatch: string | undefined, ticket: { version: number }): boolean {
  if (ifNoneMatch === undefined) return false;
  const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etagOf(ticket));
}
