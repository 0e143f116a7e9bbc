// SLA policies (SPEC §7): per product line (one default), first-response and resolution targets per priority,
// each counted 24×7 or on a named business calendar; the progress-update cadence; the triage target.
import type { Priority } from '../ticket';
import type { BusinessCalendar } from './calendar';

export interface SlaTarget {
  responseMs: number;
  resolutionMs: number;
  /** Business calendar the clocks count on; null counts around the clock. */
  calendarId: string | null;
}

export interface SlaPolicy {
  id: string;
  name: string;
  /** The product line it covers; null marks the default policy. */
  productLine: string | null;
  targets: Record<Priority, SlaTarget>;
  /** Assignee and supervisors are warned when this share of a target has passed. */
  warnAtPercent: number;
  /** How often the requester must hear from the desk, for the priorities that have a cadence. */
  progressCadenceMs: Partial<Record<Priority, number>>;
  /** Untriaged tickets past this are escalated (to the group, if any, else supervisors only). */
  triage: { targetMs: number; escalateTo: string | null };
}

/** What a ticket keeps for its whole life: later edits to policies or calendars apply to new tickets only. */
export interface SlaSnapshot {
  policy: SlaPolicy;
  calendars: Record<string, BusinessCalendar>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The suggested defaults of SPEC §7: P0 and P1 around the clock, P2 and P3 in business time. */
export function suggestedPolicy(id: string, name: string, productLine: string | null, businessCalendarId: string): SlaPolicy {
  return {
    id,
    name,
    productLine,
    targets: {
      P0: { responseMs: 15 * MIN, resolutionMs: 4 * HOUR, calendarId: null },
      P1: { responseMs: 1 * HOUR, resolutionMs: 1 * DAY, calendarId: null },
      // Business days of the calendar: 3 × 9 h and 5 × 9 h on a 09:00–18:00 calendar.
      P2: { responseMs: 4 * HOUR, resolutionMs: 3 * 9 * HOUR, calendarId: businessCalendarId },
      P3: { responseMs: 9 * HOUR, resolutionMs: 5 * 9 * HOUR, calendarId: businessCalendarId },
    },
    warnAtPercent: 80,
    progressCadenceMs: { P0: 30 * MIN, P1: 2 * HOUR },
    triage: { targetMs: 30 * MIN, escalateTo: null },
  };
}

/** The policy for a product line: its own if there is one, else the default. */
export function policyFor(policies: readonly SlaPolicy[], productLine: string): SlaPolicy | null {
  return policies.find((p) => p.productLine === productLine) ?? policies.find((p) => p.productLine === null) ?? null;
}
