// Ticket ids: ten Crockford base32 characters. A repeated submission maps to the same id, so the
// workflow id (ticket-<id>) itself deduplicates it.
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encode(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[bytes[i]! % 32];
  return out;
}

export const newTicketId = () => encode(randomBytes(10));

/** The same caller and key always give the same ticket id; different callers never share one. */
export const ticketIdForKey = (scope: string, key: string) => encode(createHash('sha256').update(`${scope}\n${key}`).digest());

/** A digest of a request that ignores key order, to tell a true repeat from a reused key. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('base64url');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
