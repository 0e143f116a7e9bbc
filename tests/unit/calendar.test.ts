import fc from 'fast-check';
import {
  addBusinessTime,
  businessTimeBetween,
  isBusinessTime,
  nextBusinessInstant,
  validateCalendar,
  type BusinessCalendar,
  type Weekday,
  type WorkingHours,
} from '../../domain/sla/calendar';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const at = (isoInstant: string) => Date.parse(isoInstant);
const iso = (ms: number) => new Date(ms).toISOString();

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const weekdays = (start: string, end: string): WorkingHours[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start, end }));
const calendar = (timeZone: string, weeklyHours: WorkingHours[], holidays: string[] = []): BusinessCalendar => ({
  id: 'test',
  name: 'test',
  timeZone,
  weeklyHours,
  holidays,
});

// Mon–Fri 09:00–18:00 Paris. March 2026 is CET (UTC+1), April 2026 is CEST (UTC+2).
const paris = calendar('Europe/Paris', weekdays('09:00', '18:00'));
const parisEaster = calendar('Europe/Paris', weekdays('09:00', '18:00'), ['2026-04-06']); // Easter Monday

describe('business calendar: office hours', () => {
  it('carries a Friday-afternoon ticket over the weekend', () => {
    // Fri 2026-03-06 17:00 local + 4 h → 1 h on Friday, 3 h on Monday → Mon 12:00 local.
    expect(iso(addBusinessTime(paris, at('2026-03-06T16:00:00Z'), 4 * HOUR))).toBe('2026-03-09T11:00:00.000Z');
  });

  it('starts counting at the next opening when a ticket arrives on the weekend', () => {
    // Sat 2026-03-07 10:00 local + 1 h → Mon 10:00 local.
    expect(iso(addBusinessTime(paris, at('2026-03-07T09:00:00Z'), HOUR))).toBe('2026-03-09T09:00:00.000Z');
    expect(iso(nextBusinessInstant(paris, at('2026-03-07T09:00:00Z')))).toBe('2026-03-09T08:00:00.000Z');
  });

  it('skips a holiday on the Monday', () => {
    // Fri 2026-04-03 17:00 CEST + 4 h, Easter Monday closed → Tue 12:00 CEST.
    expect(iso(addBusinessTime(paris, at('2026-04-03T15:00:00Z'), 4 * HOUR))).toBe('2026-04-06T10:00:00.000Z');
    expect(iso(addBusinessTime(parisEaster, at('2026-04-03T15:00:00Z'), 4 * HOUR))).toBe('2026-04-07T10:00:00.000Z');
  });

  it('returns start for a zero duration inside hours and the next opening outside', () => {
    expect(iso(addBusinessTime(paris, at('2026-03-09T10:30:00Z'), 0))).toBe('2026-03-09T10:30:00.000Z');
    expect(iso(addBusinessTime(paris, at('2026-03-09T17:00:00Z'), 0))).toBe('2026-03-10T08:00:00.000Z'); // 18:00 is closed
  });

  it('treats opening as inside and closing as outside, but may land a deadline exactly on a closing', () => {
    expect(isBusinessTime(paris, at('2026-03-09T08:00:00Z'))).toBe(true); // Mon 09:00
    expect(isBusinessTime(paris, at('2026-03-09T07:59:59.999Z'))).toBe(false);
    expect(isBusinessTime(paris, at('2026-03-09T17:00:00Z'))).toBe(false); // Mon 18:00
    expect(isBusinessTime(paris, at('2026-03-07T12:00:00Z'))).toBe(false); // Saturday
    expect(iso(addBusinessTime(paris, at('2026-03-09T08:00:00Z'), 9 * HOUR))).toBe('2026-03-09T17:00:00.000Z');
  });

  it('handles long durations: 30 business days', () => {
    // Mon 2026-01-05 09:00 CET + 30 × 9 h → end of Fri 2026-02-13 (six full weeks).
    expect(iso(addBusinessTime(paris, at('2026-01-05T08:00:00Z'), 30 * 9 * HOUR))).toBe('2026-02-13T17:00:00.000Z');
  });

  it('skips the lunch break of a multi-interval day', () => {
    const lunch = calendar('Europe/Paris', [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')]);
    // Mon 2026-03-09 11:00 local + 2 h → 1 h before lunch, 1 h after → 14:00 local.
    expect(iso(addBusinessTime(lunch, at('2026-03-09T10:00:00Z'), 2 * HOUR))).toBe('2026-03-09T13:00:00.000Z');
    expect(isBusinessTime(lunch, at('2026-03-09T11:30:00Z'))).toBe(false);
    expect(iso(nextBusinessInstant(lunch, at('2026-03-09T11:30:00Z')))).toBe('2026-03-09T12:00:00.000Z');
    // Mon 16:00 + 3 h → 1 h Monday, then Tue 09:00–11:00.
    expect(iso(addBusinessTime(lunch, at('2026-03-09T15:00:00Z'), 3 * HOUR))).toBe('2026-03-10T10:00:00.000Z');
  });

  it('measures business time across a weekend and a holiday', () => {
    // Fri 2026-04-03 17:00 CEST → Tue 2026-04-07 10:00 CEST: 1 h Friday + 1 h Tuesday.
    expect(businessTimeBetween(parisEaster, at('2026-04-03T15:00:00Z'), at('2026-04-07T08:00:00Z'))).toBe(2 * HOUR);
    expect(businessTimeBetween(paris, at('2026-04-03T15:00:00Z'), at('2026-04-07T08:00:00Z'))).toBe(11 * HOUR);
    expect(businessTimeBetween(paris, at('2026-03-09T12:00:00Z'), at('2026-03-09T11:00:00Z'))).toBe(0);
  });

  it('treats a null calendar as 24x7', () => {
    const start = at('2026-03-07T09:00:00Z');
    expect(addBusinessTime(null, start, 5 * HOUR)).toBe(start + 5 * HOUR);
    expect(businessTimeBetween(null, start, start + 3 * DAY)).toBe(3 * DAY);
    expect(businessTimeBetween(null, start, start - 1)).toBe(0);
  });

  it('refuses calendars without hours, invalid calendars and negative durations instead of looping', () => {
    expect(() => addBusinessTime(calendar('UTC', []), 0, HOUR)).toThrow(/no working hours/);
    expect(() => isBusinessTime(calendar('Mars/Olympus', weekdays('09:00', '18:00')), 0)).toThrow(/invalid.*timeZone/);
    expect(() => addBusinessTime(paris, 0, -1)).toThrow(RangeError);
    const allHolidays = calendar('UTC', [{ day: 'mon', start: '09:00', end: '10:00' }], mondays('2026-01-05', 170));
    expect(() => addBusinessTime(allHolidays, at('2026-01-01T00:00:00Z'), HOUR)).toThrow(/never opens/);
  });
});

/** `count` consecutive Mondays from `first`, as holiday dates. */
function mondays(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => iso(at(`${first}T00:00:00Z`) + i * 7 * DAY).slice(0, 10));
}

describe('business calendar: DST (the real elapsed time across a jump is what counts)', () => {
  const sunday = (timeZone: string, start: string, end: string) => calendar(timeZone, [{ day: 'sun', start, end }]);

  it('Europe/Paris spring forward (2026-03-29, 02:00 → 03:00): a whole Sunday is 23 h', () => {
    const allDay = sunday('Europe/Paris', '00:00', '24:00');
    const midnight = at('2026-03-28T23:00:00Z'); // 00:00 CET
    expect(businessTimeBetween(allDay, midnight - DAY, midnight + 2 * DAY)).toBe(23 * HOUR);
    expect(iso(addBusinessTime(allDay, midnight, 3 * HOUR))).toBe('2026-03-29T02:00:00.000Z'); // 04:00 CEST on the wall
    expect(iso(addBusinessTime(allDay, midnight, 23 * HOUR))).toBe('2026-03-29T22:00:00.000Z'); // midnight CEST
  });

  it('Europe/Paris spring forward: 01:00–04:00 holds only 2 h', () => {
    const night = sunday('Europe/Paris', '01:00', '04:00');
    const open = at('2026-03-29T00:00:00Z'); // 01:00 CET
    expect(iso(nextBusinessInstant(night, at('2026-03-28T12:00:00Z')))).toBe(iso(open));
    expect(businessTimeBetween(night, open - DAY, open + DAY)).toBe(2 * HOUR);
    expect(iso(addBusinessTime(night, open, 2 * HOUR))).toBe('2026-03-29T02:00:00.000Z'); // 04:00 CEST
    expect(iso(addBusinessTime(night, open, 2 * HOUR + 1))).toBe('2026-04-04T23:00:00.001Z'); // next Sunday 01:00 CEST
  });

  it('Europe/Paris fall back (2026-10-25, 03:00 → 02:00): a whole Sunday is 25 h, 01:00–04:00 holds 4 h', () => {
    const allDay = sunday('Europe/Paris', '00:00', '24:00');
    expect(businessTimeBetween(allDay, at('2026-10-24T00:00:00Z'), at('2026-10-27T00:00:00Z'))).toBe(25 * HOUR);
    expect(iso(addBusinessTime(allDay, at('2026-10-24T22:00:00Z'), 25 * HOUR))).toBe('2026-10-25T23:00:00.000Z');
    const night = sunday('Europe/Paris', '01:00', '04:00');
    const open = at('2026-10-24T23:00:00Z'); // 01:00 CEST
    expect(iso(nextBusinessInstant(night, at('2026-10-24T12:00:00Z')))).toBe(iso(open));
    expect(iso(addBusinessTime(night, open, 4 * HOUR))).toBe('2026-10-25T03:00:00.000Z'); // 04:00 CET
    // The repeated 02:30 is business time on both passes.
    expect(isBusinessTime(night, at('2026-10-25T00:30:00Z'))).toBe(true);
    expect(isBusinessTime(night, at('2026-10-25T01:30:00Z'))).toBe(true);
  });

  it('America/New_York spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    const night = sunday('America/New_York', '01:00', '04:00');
    expect(businessTimeBetween(night, at('2026-03-07T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(2 * HOUR);
    expect(iso(addBusinessTime(night, at('2026-03-08T00:00:00Z'), 2 * HOUR))).toBe('2026-03-08T08:00:00.000Z'); // 04:00 EDT
    expect(businessTimeBetween(night, at('2026-10-31T00:00:00Z'), at('2026-11-02T00:00:00Z'))).toBe(4 * HOUR);
    // Opens at the first 01:00 (EDT, 05:00Z), closes at 04:00 EST (09:00Z).
    expect(iso(addBusinessTime(night, at('2026-10-31T00:00:00Z'), 4 * HOUR))).toBe('2026-11-01T09:00:00.000Z');
    const allDay = sunday('America/New_York', '00:00', '24:00');
    expect(businessTimeBetween(allDay, at('2026-03-07T00:00:00Z'), at('2026-03-10T00:00:00Z'))).toBe(23 * HOUR);
    expect(businessTimeBetween(allDay, at('2026-10-31T00:00:00Z'), at('2026-11-03T00:00:00Z'))).toBe(25 * HOUR);
  });

  it('maps nonexistent local times forward to the jump, so hours inside a gap are empty', () => {
    // 02:00–03:00 never happens on 2026-03-08 in New York: the next opening is a week later.
    const gap = sunday('America/New_York', '02:00', '03:00');
    expect(iso(nextBusinessInstant(gap, at('2026-03-08T00:00:00Z')))).toBe('2026-03-15T06:00:00.000Z');
    // 02:30–05:00 opens at the jump (03:00 EDT, 07:00Z) and holds 2 h.
    const straddle = sunday('America/New_York', '02:30', '05:00');
    expect(iso(nextBusinessInstant(straddle, at('2026-03-08T00:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    expect(businessTimeBetween(straddle, at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(2 * HOUR);
  });
});

describe('validateCalendar', () => {
  const paths = (c: BusinessCalendar) => validateCalendar(c).map((p) => p.path);

  it('accepts a sound calendar, including adjacent intervals and 24:00', () => {
    const hours: WorkingHours[] = [
      { day: 'mon', start: '09:00', end: '12:00' },
      { day: 'mon', start: '12:00', end: '24:00' },
      { day: 'sat', start: '00:00', end: '23:59' },
    ];
    expect(validateCalendar(calendar('Asia/Kolkata', hours, ['2028-02-29', '2026-12-25']))).toEqual([]);
  });

  it('reports each problem at its path', () => {
    expect(paths(calendar('Mars/Olympus', weekdays('09:00', '18:00')))).toEqual(['timeZone']);
    expect(paths(calendar('', weekdays('09:00', '18:00')))).toEqual(['timeZone']);
    const overlapping: WorkingHours[] = [
      { day: 'mon', start: '09:00', end: '12:00' },
      { day: 'tue', start: '11:00', end: '13:00' },
      { day: 'mon', start: '11:00', end: '13:00' },
    ];
    expect(paths(calendar('UTC', overlapping))).toEqual(['weeklyHours.2']);
    expect(paths(calendar('UTC', [{ day: 'mon', start: '09:00', end: '25:00' }]))).toEqual(['weeklyHours.0.end']);
    expect(paths(calendar('UTC', [{ day: 'mon', start: '9:00', end: '18:00' }]))).toEqual(['weeklyHours.0.start']);
    expect(paths(calendar('UTC', [{ day: 'mon', start: '18:00', end: '09:00' }]))).toEqual(['weeklyHours.0.end']);
    expect(paths(calendar('UTC', [{ day: 'funday' as Weekday, start: '09:00', end: '18:00' }]))).toEqual(['weeklyHours.0.day']);
    expect(paths(calendar('UTC', weekdays('09:00', '18:00'), ['2026-01-01', '2026-02-30', '2027-02-29', '2026-1-1']))).toEqual([
      'holidays.1',
      'holidays.2',
      'holidays.3',
    ]);
    expect(validateCalendar(calendar('UTC', []))).toEqual([{ path: 'weeklyHours', message: expect.stringMatching(/no working hours/) }]);
  });
});

// ------------------------------------------------------------------ properties

const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
const QUARTER = 15 * MINUTE;

/** Random non-overlapping weekly hours on quarter-hour boundaries, up to two intervals per day. */
const weeklyHoursArb = fc
  .array(fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 4 }), { minLength: 7, maxLength: 7 })
  .map((days) =>
    days.flatMap((marks, d) => {
      const sorted = [...marks].sort((a, b) => a - b);
      const hours: WorkingHours[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) hours.push({ day: WEEKDAYS[d]!, start: hhmm(sorted[i]!), end: hhmm(sorted[i + 1]!) });
      return hours;
    }),
  )
  .filter((hours) => hours.length > 0);

function hhmm(quarters: number): string {
  const minutes = quarters * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const START = at('2025-01-01T00:00:00Z');
const END = at('2028-12-31T00:00:00Z');
const holidaysArb = fc.uniqueArray(fc.integer({ min: 0, max: (END - START) / DAY + 40 }), { maxLength: 40 }).map((days) => days.map((d) => iso(START + d * DAY).slice(0, 10)));

const fixedHours = [
  weekdays('09:00', '18:00'),
  [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')],
  [{ day: 'sun', start: '00:00', end: '24:00' }, { day: 'sat', start: '01:00', end: '04:00' }] as WorkingHours[],
  WEEKDAYS.map((day) => ({ day, start: '02:00', end: '03:00' })), // sits in or next to most DST jumps
];
const calendarArb = fc
  .record({ timeZone: fc.constantFrom(...ZONES), hours: fc.oneof(fc.constantFrom(...fixedHours), weeklyHoursArb), holidays: holidaysArb })
  .map(({ timeZone, hours, holidays }) => calendar(timeZone, hours, holidays));

// Sundays with a DST jump in Paris, New York or Lord Howe, so many runs cross one.
const jumps = ['2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01', '2026-04-05', '2026-10-04', '2027-03-28', '2027-11-07'].map((d) => at(`${d}T00:00:00Z`));
const instantArb = fc.oneof(
  fc.integer({ min: START, max: END }),
  fc.integer({ min: START / QUARTER, max: END / QUARTER }).map((q) => q * QUARTER), // lands on openings and closings
  fc.tuple(fc.constantFrom(...jumps), fc.integer({ min: -10 * DAY, max: 2 * DAY })).map(([j, d]) => j + d),
);

/** Wall-clock business time per week, so "up to 20 business days" scales with sparse calendars. */
function weeklyMs(c: BusinessCalendar): number {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return c.weeklyHours.reduce((sum, h) => sum + (minutes(h.end) - minutes(h.start)) * MINUTE, 0);
}
/** Between 1 ms and four weeks of the calendar's hours (20 business days for Mon–Fri), sometimes quarter-hour aligned. */
const durationArb = fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }), aligned: fc.boolean() });
function duration(c: BusinessCalendar, { fraction, aligned }: { fraction: number; aligned: boolean }): number {
  const d = Math.max(1, Math.floor(4 * weeklyMs(c) * fraction));
  return aligned ? Math.max(QUARTER, d - (d % QUARTER)) : d;
}

const RUNS = { numRuns: 250 };

describe('business calendar properties', () => {
  it('measuring what was added gives back the duration', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (c, s, dArb) => {
        const d = duration(c, dArb);
        expect(businessTimeBetween(c, s, addBusinessTime(c, s, d))).toBe(d);
      }),
      RUNS,
    );
  });

  it('is monotonic in the duration and never ends before start', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, durationArb, (c, s, a, b) => {
        const [d1, d2] = [duration(c, a), duration(c, b)].sort((x, y) => x - y) as [number, number];
        const r1 = addBusinessTime(c, s, d1);
        expect(addBusinessTime(c, s, 0)).toBeGreaterThanOrEqual(s);
        expect(r1).toBeGreaterThan(s);
        expect(addBusinessTime(c, s, d2)).toBeGreaterThanOrEqual(r1);
      }),
      RUNS,
    );
  });

  it('lands a positive duration inside hours or exactly at a closing, never in a closed period', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (c, s, dArb) => {
        const r = addBusinessTime(c, s, duration(c, dArb));
        expect(isBusinessTime(c, r) || isBusinessTime(c, r - 1)).toBe(true);
        expect(isBusinessTime(c, r - 1)).toBe(true); // the last millisecond counted was business time
      }),
      RUNS,
    );
  });

  it('is additive: adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, durationArb, (c, s, a, b) => {
        const [da, db] = [duration(c, a), duration(c, b)];
        expect(addBusinessTime(c, addBusinessTime(c, s, da), db)).toBe(addBusinessTime(c, s, da + db));
      }),
      RUNS,
    );
  });

  it('splits measured time at any intermediate instant', () => {
    const gap = fc.integer({ min: 0, max: 30 * DAY });
    fc.assert(
      fc.property(calendarArb, instantArb, gap, gap, (c, a, x, y) => {
        const [b, end] = [a + x, a + x + y];
        const whole = businessTimeBetween(c, a, end);
        expect(whole).toBe(businessTimeBetween(c, a, b) + businessTimeBetween(c, b, end));
        expect(whole).toBeLessThanOrEqual(end - a);
      }),
      RUNS,
    );
  });

  it('agrees with itself: an instant is business time iff the millisecond after it counts', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (c, t) => {
        expect(isBusinessTime(c, t)).toBe(businessTimeBetween(c, t, t + 1) === 1);
        const next = nextBusinessInstant(c, t);
        expect(isBusinessTime(c, next)).toBe(true);
        expect(businessTimeBetween(c, t, next)).toBe(0);
      }),
      RUNS,
    );
  });

  it('a calendar open around the clock every day equals the null calendar, DST or not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb, fc.integer({ min: 0, max: 20 * DAY }), (timeZone, s, d) => {
        const always = calendar(timeZone, WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' })));
        expect(addBusinessTime(always, s, d)).toBe(addBusinessTime(null, s, d));
        expect(businessTimeBetween(always, s, s + d)).toBe(d);
      }),
      RUNS,
    );
  });
});
