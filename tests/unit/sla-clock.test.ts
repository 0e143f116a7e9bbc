import fc from 'fast-check';
import { businessTimeBetween } from '../../domain/sla/calendar';
import { deadlines, isPaused, pause, pausedMs, respond, resume, startClock, stop } from '../../domain/sla/clock';
import { policyFor, suggestedPolicy, type SlaSnapshot } from '../../domain/sla/policy';
import { demoSlaPolicies } from '../../stack/demo-desk';
import { TEST_OFFICE } from '../helpers/fixtures';

const HOUR = 3_600_000;
const sla: SlaSnapshot = { policy: suggestedPolicy('p', 'P', null, TEST_OFFICE.id), calendars: { [TEST_OFFICE.id]: TEST_OFFICE } };
const at = (iso: string) => Date.parse(iso);

describe('SLA clock', () => {
  it('counts P0 and P1 around the clock and P2 and P3 in business hours', () => {
    const monday9 = at('2026-11-30T08:00:00Z'); // 09:00 Paris
    expect(deadlines(sla, startClock('P0', monday9))).toMatchObject({ responseDue: monday9 + 0.25 * HOUR, resolutionDue: monday9 + 4 * HOUR });
    expect(deadlines(sla, startClock('P1', monday9)).resolutionDue).toBe(monday9 + 24 * HOUR);
    expect(deadlines(sla, startClock('P2', monday9)).resolutionDue).toBe(at('2026-12-02T17:00:00Z')); // Wed 18:00 Paris: 3 × 9 h
    expect(deadlines(sla, startClock('P3', monday9)).responseDue).toBe(at('2026-11-30T17:00:00Z')); // one business day: Mon 18:00
  });

  it('puts the warning at 80% of the target, in the target’s own time', () => {
    const monday9 = at('2026-11-30T08:00:00Z');
    const due = deadlines(sla, startClock('P2', monday9));
    expect(due.responseWarnAt).toBe(monday9 + 3.2 * HOUR);
  });

  it('shifts the resolution deadline by exactly the business time spent paused', () => {
    const clock = startClock('P2', at('2026-11-30T09:00:00Z')); // Mon 10:00 Paris
    const before = deadlines(sla, clock).resolutionDue!;
    pause(clock, at('2026-11-30T11:00:00Z')); // Mon 12:00
    expect(isPaused(clock)).toBe(true);
    expect(deadlines(sla, clock).resolutionDue).toBeNull();
    resume(clock, at('2026-12-02T14:00:00Z')); // Wed 15:00
    expect(pausedMs(sla, clock, 0)).toBe(21 * HOUR);
    const after = deadlines(sla, clock).resolutionDue!;
    expect(businessTimeBetween(TEST_OFFICE, before, after)).toBe(21 * HOUR);
  });

  it('never counts a pause twice and stops for good when closed', () => {
    const clock = startClock('P1', 0);
    pause(clock, 10);
    pause(clock, 20);
    resume(clock, 30);
    resume(clock, 40);
    expect(clock.pauses).toEqual([{ from: 10, to: 30 }]);
    stop(clock, 50);
    pause(clock, 60);
    expect(clock.pauses).toHaveLength(1);
    expect(deadlines(sla, clock).resolutionDue).toBeNull();
  });

  it('meets the response target once, at the first reply', () => {
    const clock = startClock('P1', 0);
    respond(clock, 100);
    respond(clock, 200);
    expect(clock.respondedAt).toBe(100);
  });

  it('never moves a deadline earlier however the clock is paused (property)', () => {
    const start = at('2026-11-30T08:00:00Z');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 * HOUR }), fc.integer({ min: 0, max: 50 * HOUR })), { maxLength: 5 }), (gaps) => {
        const clock = startClock('P3', start);
        let t = start;
        let last = deadlines(sla, clock).resolutionDue!;
        for (const [work, paused] of gaps) {
          t += work;
          pause(clock, t);
          t += paused;
          resume(clock, t);
          const due = deadlines(sla, clock).resolutionDue!;
          expect(due).toBeGreaterThanOrEqual(last);
          last = due;
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('SLA policies', () => {
  it('picks the product line’s own policy, else the default', () => {
    expect(policyFor(demoSlaPolicies, 'billing')?.id).toBe('billing');
    expect(policyFor(demoSlaPolicies, 'network')?.id).toBe('standard');
    expect(policyFor([], 'network')).toBeNull();
  });
});
