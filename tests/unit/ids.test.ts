import { fingerprint, newTicketId, ticketIdForKey } from '../../api/tickets/ids';

describe('ticket ids', () => {
  it('are ten Crockford base32 characters', () => {
    for (let i = 0; i < 100; i++) expect(newTicketId()).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{10}$/);
  });

  it('repeat for the same caller and Idempotency-Key, and differ across callers and keys', () => {
    expect(ticketIdForKey('alice', 'k1')).toBe(ticketIdForKey('alice', 'k1'));
    expect(ticketIdForKey('alice', 'k1')).not.toBe(ticketIdForKey('bob', 'k1'));
    expect(ticketIdForKey('alice', 'k1')).not.toBe(ticketIdForKey('alice', 'k2'));
  });

  it('fingerprint requests regardless of key order but not of content', () => {
    expect(fingerprint({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(fingerprint({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
    expect(fingerprint({ a: [1, 2] })).not.toBe(fingerprint({ a: [2, 1] }));
  });
});
