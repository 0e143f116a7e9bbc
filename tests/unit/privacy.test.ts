// The pure rules of erasure and retention (domain/privacy.ts): what an anonymised ticket keeps, what its events and
// notices keep, and which closed tickets a retention policy makes due.
import fc from 'fast-check';
import { openTicket } from '../../domain/intake';
import { encodeFact, factOf } from '../../domain/kpis';
import {
  anonymiseTicket,
  checkRetentionPolicy,
  fileIdsOf,
  identifiersOf,
  isDueForRetention,
  mentions,
  PLACEHOLDER,
  redact,
  retentionCutoff,
  scrubEvent,
  scrubNotification,
} from '../../domain/privacy';
import type { Ticket } from '../../domain/ticket';
import type { TimelineEvent } from '../../domain/timeline';
import { vpnIntake } from '../helpers/fixtures';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');

function closedTicket(): Ticket {
  const t = openTicket(vpnIntake({ attachments: [{ name: 'alice-badge.png', type: 'image/png', size: 10, location: '/tickets/X/attachments/f1', id: 'f1' }] }), '2026-11-20T09:00:00Z');
  return {
    ...t,
    status: 'closed',
    assignment: { group: 'network-l1', agent: 'ann' },
    sla: { ...t.sla, firstRespondedAt: '2026-11-20T09:30:00Z' },
    resolution: { summary: 'Alice’s tunnel fixed', rootCause: 'MTU', steps: 'lowered MTU', kbArticleId: null, newKnowledge: true, resolvedBy: 'ann', resolvedAt: '2026-11-21T10:00:00Z' },
    csat: { score: 4, comment: 'Thanks, Ann!', at: '2026-11-22T10:00:00Z' },
    closedAt: '2026-11-22T09:00:00Z',
    closure: {
      knowledge: null,
      survey: { status: 'answered', closesAt: '2026-11-29T09:00:00Z' },
      review: { status: 'filed', dueAt: '2026-11-28T09:00:00Z', filed: { rootCause: 'r', timelineSummary: 'Alice called', actions: [{ description: 'call Alice back', owner: 'ann', dueDate: '2026-12-01' }], lessons: 'l', filedBy: 'sam', filedAt: '2026-11-23T09:00:00Z' } },
    },
  };
}

const alice = identifiersOf({ id: 'alice', name: 'Alice Martin', email: 'Alice@Example.com' });

describe('anonymiseTicket', () => {
  it('leaves nothing personal: no name, email, id or free text, files unlinked', () => {
    const text = JSON.stringify(anonymiseTicket(closedTicket()));
    for (const gone of ['Alice', 'alice', 'VPN drops', 'Since Monday', 'peer unreachable', 'Windows 11', 'tunnel fixed', 'Thanks', 'call Alice', 'f1']) expect([gone, text.includes(gone)]).toEqual([gone, false]);
    expect(anonymiseTicket(closedTicket())).toMatchObject({ title: PLACEHOLDER, description: PLACEHOLDER, requester: { id: PLACEHOLDER } });
  });

  it('keeps every KPI fact: the ledger reads the same numbers', () => {
    const t = closedTicket();
    expect(encodeFact(factOf(anonymiseTicket(t)))).toBe(encodeFact(factOf(t)));
  });

  it('is idempotent: anonymising twice is anonymising once', () => {
    const once = anonymiseTicket(closedTicket());
    expect(anonymiseTicket(once)).toEqual(once);
  });
});

describe('events and notices of an anonymised ticket', () => {
  const event = (data: Record<string, unknown>, actor = { id: 'alice', role: 'requester' as const, name: 'Alice Martin' }): TimelineEvent => ({ ticketId: 'T', seq: 3, at: '2026-11-20T10:00:00Z', type: 'comment', actor, visibility: 'public', data });

  it('replaces free text and the person, keeps the desk’s vocabulary, order and numbers', () => {
    const scrubbed = scrubEvent(event({ body: 'my badge 0451', attachments: [{ name: 'a.png', type: 'image/png', size: 3, id: 'f9' }], status: 'in_progress', to: { type: 'requester', id: 'alice', email: 'alice@example.com' }, score: 4 }), alice);
    expect(scrubbed).toEqual({
      ...event({}),
      actor: { id: PLACEHOLDER, role: 'requester' },
      data: { body: PLACEHOLDER, attachments: [{ name: PLACEHOLDER, type: 'image/png', size: 3, id: PLACEHOLDER }], status: 'in_progress', to: { type: 'requester', id: PLACEHOLDER, email: PLACEHOLDER }, score: 4 },
    });
    // Staff stay who they are.
    expect(scrubEvent(event({}, { id: 'ann', role: 'agent', name: 'Ann Lee' } as never), alice).actor).toEqual({ id: 'ann', role: 'agent', name: 'Ann Lee' });
    // A vocabulary value that names the person goes too.
    expect(scrubEvent(event({ from: 'alice@example.com' }), alice).data).toEqual({ from: PLACEHOLDER });
  });

  it('keeps no string of any shape it does not know (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !['type', 'status', 'kind', 'visibility'].includes(k)), fc.string()), (data) => {
        const out = scrubEvent(event(data), alice).data;
        const known = new Set(['from', 'to', 'priority', 'impact', 'urgency', 'clock', 'channel', 'agent', 'group', 'toGroup', 'articleId', 'kbArticleId', 'ruleId', 'policyId', 'at', 'due', 'dueAt', 'closesAt', 'since', 'responseDue', 'resolutionDue', 'resolvedAt', 'resolvedBy', 'filedAt', 'filedBy', 'dueDate', 'missingFacts']);
        for (const [k, v] of Object.entries(out)) if (!known.has(k)) expect(v).toBe(PLACEHOLDER);
      }),
    );
  });

  it('blanks a notice’s subject and body and its requester, not the staff it went to', () => {
    expect(scrubNotification({ to: { type: 'requester', id: 'alice', email: 'alice@example.com' }, subject: '[#T] VPN', body: 'Hi Alice' }, alice)).toEqual({ to: { type: 'requester', id: PLACEHOLDER }, subject: PLACEHOLDER, body: PLACEHOLDER });
    expect(scrubNotification({ to: { type: 'agent', id: 'ann' }, subject: 's', body: 'b' }, alice).to).toEqual({ type: 'agent', id: 'ann' });
  });

  it('finds the files of a ticket and its events', () => {
    expect(fileIdsOf(closedTicket(), [event({ attachments: [{ id: 'f2' }, { id: 'f1' }] })]).sort()).toEqual(['f1', 'f2']);
  });
});

describe('who is meant', () => {
  it('matches ids whole and emails and names anywhere, in any case', () => {
    expect(mentions('alice', alice)).toBe(true);
    expect(mentions('malice', alice)).toBe(false);
    expect(mentions('Mail from ALICE@example.com', alice)).toBe(true);
    expect(mentions('alice martin called', alice)).toBe(true);
    // A mail ticket's requester id is the address.
    expect(identifiersOf({ id: 'Bob@Example.com' }).emails).toEqual(['bob@example.com']);
  });

  it('redacts mentions from an audit reason, keeping its sense', () => {
    expect(redact('Alice Martin (alice@example.com) asked by phone', alice)).toBe('[erased] ([erased]) asked by phone');
  });
});

describe('retention', () => {
  const at = (closedAt: string | null, status: Ticket['status'] = 'closed', requester = { id: 'alice' }) => ({ status, closedAt, requester });

  it('makes due the tickets closed or cancelled longer ago than the policy says, once', () => {
    const cutoff = retentionCutoff({ anonymiseClosedAfterDays: 30 }, NOW);
    expect(cutoff).toBe(new Date(NOW - 30 * DAY).toISOString());
    expect(isDueForRetention(at(new Date(NOW - 31 * DAY).toISOString()), cutoff)).toBe(true);
    expect(isDueForRetention(at(new Date(NOW - 31 * DAY).toISOString(), 'cancelled'), cutoff)).toBe(true);
    expect(isDueForRetention(at(new Date(NOW - 29 * DAY).toISOString()), cutoff)).toBe(false);
    expect(isDueForRetention(at(null, 'in_progress'), cutoff)).toBe(false);
    expect(isDueForRetention(at(new Date(NOW - 31 * DAY).toISOString(), 'closed', { id: PLACEHOLDER }), cutoff)).toBe(false);
  });

  it('anonymises nothing without a policy, and everything closed before now with 0 days', () => {
    expect(retentionCutoff({ anonymiseClosedAfterDays: null }, NOW)).toBeNull();
    expect(isDueForRetention(at(new Date(NOW - 1).toISOString()), retentionCutoff({ anonymiseClosedAfterDays: 0 }, NOW))).toBe(true);
  });

  it('accepts whole days from 0 to a century, or null', () => {
    expect(checkRetentionPolicy({ anonymiseClosedAfterDays: null })).toEqual([]);
    expect(checkRetentionPolicy({ anonymiseClosedAfterDays: 0 })).toEqual([]);
    for (const bad of [-1, 1.5, 36_501]) expect(checkRetentionPolicy({ anonymiseClosedAfterDays: bad })).toEqual([{ path: 'anonymiseClosedAfterDays', message: expect.any(String) }]);
  });
});
