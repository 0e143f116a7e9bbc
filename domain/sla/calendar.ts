// Business-time math for SLA clocks. Pure and deterministic because workflows import it: local time comes
// from Intl.DateTimeFormat only, and every instant is explicit epoch milliseconds (never the current time).

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** 'HH:MM' 24 h local time; start < end; end may be '24:00'. */
export interface WorkingHours {
  day: Weekday;
  start: string;
  end: string;
}
export interface BusinessCalendar {
  id: string;
  name: string;
  /** IANA zone, e.g. 'Europe/Paris'. */
  timeZone: string;
  /** Several intervals per day are allowed; they must not overlap. */
  weeklyHours: WorkingHours[];
  /** 'YYYY-MM-DD' local dates, closed all day. */
  holidays: string[];
}
/** path like 'timeZone', 'weeklyHours.2.end', 'holidays.0'. */
export interface CalendarProblem {
  path: string;
  message: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
// Indexed like Date#getUTCDay() so a day number maps to its weekday without another Intl call.
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
// Any calendar with hours opens weekly, so three closed years means its holidays shut it for good.
const MAX_CLOSED_DAYS = 3 * 366;
// A walk this long can only come from a corrupt duration; stopping beats hanging a workflow task.
const MAX_SCAN_DAYS = 100 * 366;
// Bounds the per-zone memo so a long-lived worker does not grow without limit.
const MAX_CACHED_INSTANTS = 20_000;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------- time zones

interface Zone {
  format: Intl.DateTimeFormat;
  instants: Map<number, number>; // local wall time → instant, memoised because walks revisit the same boundaries
}
// Formatters are expensive to build; a process-wide cache of pure values keeps replay deterministic.
const zones = new Map<string, Zone>();

function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    const options = { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;
    zone = { format: new Intl.DateTimeFormat('en-US', options), instants: new Map() };
    zones.set(timeZone, zone);
  }
  return zone;
}

/** Local wall-clock time of an instant, written as if it were a UTC epoch (so day = floor(wall / DAY)). */
function wallOf(zone: Zone, at: number): number {
  const f: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of zone.format.formatToParts(at)) if (part.type !== 'literal') f[part.type] = Number(part.value);
  const wall = Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
  return wall + (at - Math.floor(at / 1000) * 1000); // Intl drops milliseconds
}

/**
 * Earliest instant whose local time is at or after `wall`: an ambiguous time (fall back) maps to its first
 * occurrence and a nonexistent one (spring forward) to the instant the clocks jump. Monotonic in `wall`.
 */
function instantOf(zone: Zone, wall: number): number {
  const cached = zone.instants.get(wall);
  if (cached !== undefined) return cached;
  // Offsets a day either side of the target straddle any single DST jump near it.
  const offsetBefore = wallOf(zone, wall - DAY) - (wall - DAY);
  const offsetAfter = wallOf(zone, wall + DAY) - (wall + DAY);
  let lo = Math.min(wall - offsetBefore, wall - offsetAfter);
  let hi = Math.max(wall - offsetBefore, wall - offsetAfter);
  let instant: number;
  if (wallOf(zone, lo) === wall) instant = lo;
  else if (wallOf(zone, hi) === wall) instant = hi;
  else {
    // In a gap: wall(lo) < wall < wall(hi) with one jump between, so bisect for the jump itself.
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (wallOf(zone, mid) >= wall) hi = mid;
      else lo = mid;
    }
    instant = hi;
  }
  if (zone.instants.size >= MAX_CACHED_INSTANTS) zone.instants.clear();
  zone.instants.set(wall, instant);
  return instant;
}

// ---------------------------------------------------------------- validation

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function isRealDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return length !== undefined && day >= 1 && day <= length;
}

export function validateCalendar(calendar: BusinessCalendar): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });

  // An empty or missing zone would make Intl fall back to the host's zone, which differs between workers.
  if (typeof calendar.timeZone !== 'string' || calendar.timeZone === '') report('timeZone', 'a time zone is required');
  else {
    try {
      zoneOf(calendar.timeZone);
    } catch {
      report('timeZone', `unknown time zone '${calendar.timeZone}'`);
    }
  }

  const hours = Array.isArray(calendar.weeklyHours) ? calendar.weeklyHours : [];
  if (hours.length === 0) report('weeklyHours', 'no working hours: at least one interval is required');
  const valid: { index: number; day: Weekday; start: number; end: number }[] = [];
  hours.forEach((entry, index) => {
    const path = `weeklyHours.${index}`;
    const dayOk = WEEKDAYS.includes(entry.day);
    const startOk = HHMM.test(entry.start);
    const endOk = HHMM.test(entry.end) || entry.end === '24:00';
    if (!dayOk) report(`${path}.day`, `'${entry.day}' is not one of ${WEEKDAYS.join(', ')}`);
    if (!startOk) report(`${path}.start`, `'${entry.start}' is not a time HH:MM (00:00–23:59)`);
    if (!endOk) report(`${path}.end`, `'${entry.end}' is not a time HH:MM (00:00–24:00)`);
    if (!dayOk || !startOk || !endOk) return;
    const [start, end] = [minutesOf(entry.start), minutesOf(entry.end)];
    if (start >= end) {
      report(`${path}.end`, `end ${entry.end} must be after start ${entry.start}`);
      return;
    }
    const clash = valid.find((other) => other.day === entry.day && other.start < end && start < other.end);
    if (clash) report(path, `overlaps weeklyHours.${clash.index} on ${entry.day}`);
    valid.push({ index, day: entry.day, start, end });
  });

  const holidays = Array.isArray(calendar.holidays) ? calendar.holidays : [];
  if (!Array.isArray(calendar.holidays)) report('holidays', 'must be a list of YYYY-MM-DD dates');
  holidays.forEach((date, index) => {
    const m = ISO_DATE.exec(date);
    if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) report(`holidays.${index}`, `'${date}' is not a real date YYYY-MM-DD`);
  });
  return problems;
}

// ---------------------------------------------------------------- walking business intervals

interface Compiled {
  zone: Zone;
  byWeekday: [number, number][][]; // minutes since local midnight, sorted, indexed like WEEKDAYS
  holidays: Set<string>;
}

function compile(calendar: BusinessCalendar): Compiled {
  const problems = validateCalendar(calendar);
  if (problems.length > 0) {
    const noHours = problems.some((p) => p.path === 'weeklyHours');
    const detail = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new Error(`business calendar '${calendar.id}' ${noHours ? 'has no working hours' : 'is invalid'} (${detail})`);
  }
  const byWeekday = WEEKDAYS.map(() => [] as [number, number][]);
  for (const h of calendar.weeklyHours) byWeekday[WEEKDAYS.indexOf(h.day)]!.push([minutesOf(h.start), minutesOf(h.end)]);
  for (const list of byWeekday) list.sort((a, b) => a[0] - b[0]);
  return { zone: zoneOf(calendar.timeZone), byWeekday, holidays: new Set(calendar.holidays) };
}

/** Open intervals [open, close) of one local day as instants; real elapsed time, so DST jumps inside count. */
function intervalsOn(c: Compiled, day: number): [number, number][] {
  if (c.holidays.has(new Date(day * DAY).toISOString().slice(0, 10))) return [];
  const hours = c.byWeekday[(((day + 4) % 7) + 7) % 7]!; // 1970-01-01 (day 0) was a Thursday
  const result: [number, number][] = [];
  for (const [start, end] of hours) {
    const open = instantOf(c.zone, day * DAY + start * MINUTE);
    const close = instantOf(c.zone, day * DAY + end * MINUTE);
    if (close > open) result.push([open, close]); // hours that fall entirely in a DST gap never happen
  }
  return result;
}

/**
 * Every business interval, in order, that may end after `at`. An instant never belongs to an earlier local
 * day's hours (closings map to the earliest instant), so starting at its own local date misses nothing.
 */
function* intervalsFrom(c: Compiled, at: number): Generator<[number, number]> {
  const first = Math.floor(wallOf(c.zone, at) / DAY);
  let closedDays = 0;
  for (let day = first; day - first < MAX_SCAN_DAYS; day++) {
    const intervals = intervalsOn(c, day);
    closedDays = intervals.length > 0 ? 0 : closedDays + 1;
    if (closedDays > MAX_CLOSED_DAYS) throw new Error(`business calendar never opens in the ${MAX_CLOSED_DAYS} days after ${new Date(at).toISOString()}`);
    yield* intervals;
  }
  throw new Error(`business time walk exceeded ${MAX_SCAN_DAYS} days from ${new Date(at).toISOString()}`);
}

function checkInstant(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number of epoch milliseconds, got ${value}`);
}

// ---------------------------------------------------------------- public API

/** The instant at which `durationMs` of business time has elapsed from `start`; null calendar = 24x7. */
export function addBusinessTime(calendar: BusinessCalendar | null, start: number, durationMs: number): number {
  checkInstant('start', start);
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError(`durationMs must be a finite number >= 0, got ${durationMs}`);
  if (calendar === null) return start + durationMs;
  let remaining = durationMs;
  for (const [open, close] of intervalsFrom(compile(calendar), start)) {
    if (close <= start) continue;
    const from = Math.max(open, start);
    // `<=` so a deadline may land exactly on a closing time: that is the last business moment of the day.
    if (remaining <= close - from) return from + remaining;
    remaining -= close - from;
  }
  throw new Error('unreachable: intervalsFrom throws before it runs out');
}

/** Business milliseconds in [from, to); 0 when to <= from; null calendar = 24x7. */
export function businessTimeBetween(calendar: BusinessCalendar | null, from: number, to: number): number {
  checkInstant('from', from);
  checkInstant('to', to);
  if (to <= from) return 0;
  if (calendar === null) return to - from;
  let total = 0;
  for (const [open, close] of intervalsFrom(compile(calendar), from)) {
    if (open >= to) break;
    total += Math.max(0, Math.min(close, to) - Math.max(open, from));
  }
  return total;
}

/** `at` itself when inside hours, else the next opening. */
export function nextBusinessInstant(calendar: BusinessCalendar, at: number): number {
  return addBusinessTime(calendar, at, 0);
}

// Defined through the same walk as addBusinessTime so the two can never disagree at a boundary.
export function isBusinessTime(calendar: BusinessCalendar, at: number): boolean {
  return nextBusinessInstant(calendar, at) === at;
}
