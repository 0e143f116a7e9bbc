// The SLA clocks of one ticket (SPEC §7), as plain data and pure functions. The response clock runs from
// creation until the first public reply of an agent. The resolution clock runs from creation until
// resolution and stands still while the ticket waits on the customer or awaits confirmation; every pause is
// kept as an interval, so paused time is exact on any calendar, and a priority change can recompute
// everything from creation.
import type { Priority } from '../ticket';
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from './calendar';
import type { SlaSnapshot, SlaTarget } from './policy';

export interface SlaClock {
  priority: Priority;
  startedAt: number;
  respondedAt: number | null;
  pauses: Array<{ from: number; to: number | null }>;
  /** Set when the ticket closes or is cancelled: no clock runs after. */
  stoppedAt: number | null;
  responseWarned: boolean;
  responseBreached: boolean;
  resolutionWarned: boolean;
  resolutionBreached: boolean;
}

export interface Deadlines {
  responseDue: number;
  responseWarnAt: number;
  /** Null while the resolution clock stands still. */
  resolutionDue: number | null;
  resolutionWarnAt: number | null;
}

export function startClock(priority: Priority, at: number): SlaClock {
  return { priority, startedAt: at, respondedAt: null, pauses: [], stoppedAt: null, responseWarned: false, responseBreached: false, resolutionWarned: false, resolutionBreached: false };
}

export const targetOf = (sla: SlaSnapshot, clock: SlaClock): SlaTarget => sla.policy.targets[clock.priority];

export function calendarOf(sla: SlaSnapshot, target: SlaTarget): BusinessCalendar | null {
  return target.calendarId ? (sla.calendars[target.calendarId] ?? null) : null;
}

export const isPaused = (clock: SlaClock) => clock.pauses.some((p) => p.to === null);

/** Business time the resolution clock has stood still, counting an open pause up to `now`. */
export function pausedMs(sla: SlaSnapshot, clock: SlaClock, now: number): number {
  const calendar = calendarOf(sla, targetOf(sla, clock));
  return clock.pauses.reduce((sum, p) => sum + businessTimeBetween(calendar, p.from, p.to ?? Math.max(now, p.from)), 0);
}

export function deadlines(sla: SlaSnapshot, clock: SlaClock): Deadlines {
  const target = targetOf(sla, clock);
  const calendar = calendarOf(sla, target);
  const warn = sla.policy.warnAtPercent / 100;
  const at = (duration: number) => addBusinessTime(calendar, clock.startedAt, Math.round(duration));
  const running = !isPaused(clock) && clock.stoppedAt === null;
  const paused = running ? pausedMs(sla, clock, clock.startedAt) : 0;
  return {
    responseDue: at(target.responseMs),
    responseWarnAt: at(target.responseMs * warn),
    resolutionDue: running ? at(target.resolutionMs + paused) : null,
    resolutionWarnAt: running ? at(target.resolutionMs * warn + paused) : null,
  };
}

export function pause(clock: SlaClock, at: number): void {
  if (!isPaused(clock) && clock.stoppedAt === null) clock.pauses.push({ from: at, to: null });
}

export function resume(clock: SlaClock, at: number): void {
  const open = clock.pauses.find((p) => p.to === null);
  if (open) open.to = Math.max(at, open.from);
}

export function stop(clock: SlaClock, at: number): void {
  resume(clock, at);
  clock.stoppedAt ??= at;
}

export function respond(clock: SlaClock, at: number): void {
  clock.respondedAt ??= at;
}
