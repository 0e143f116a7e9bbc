// Every durable timer of a ticket is derived here from its state, so they live in one place and a change of
// state (a pause, a reply, a new priority) simply yields a different next timer.
import { businessDayMs, workingCalendar } from '../domain/closure';
import { addBusinessTime } from '../domain/sla/calendar';
import { deadlines, isPaused, pausedMs } from '../domain/sla/clock';
import type { TicketState } from './state';

export type TimerKind =
  | 'responseWarning'
  | 'responseBreach'
  | 'resolutionWarning'
  | 'resolutionBreach'
  | 'progressReminder'
  | 'triageTimeout'
  | 'confirmationReminder'
  | 'autoClose'
  | 'surveyClose'
  | 'reviewReminder'
  | 'reviewOverdue';

export interface Timer {
  kind: TimerKind;
  /** Epoch milliseconds. */
  at: number;
  /** Shown on the timer in the Temporal UI. */
  summary: string;
}

export function pendingTimers(state: TicketState): Timer[] {
  return [...slaTimers(state), ...confirmationTimers(state), ...closingTimers(state)].sort((a, b) => a.at - b.at);
}

export const nextTimer = (state: TicketState): Timer | null => pendingTimers(state)[0] ?? null;

function slaTimers(state: TicketState): Timer[] {
  const { sla, clock, ticket } = state;
  if (!sla || clock.stoppedAt !== null) return [];
  const due = deadlines(sla, clock);
  const p = clock.priority;
  const warn = `${sla.policy.warnAtPercent}%`;
  const timers: Timer[] = [];
  if (clock.respondedAt === null && !clock.responseBreached) {
    if (!clock.responseWarned) timers.push({ kind: 'responseWarning', at: due.responseWarnAt, summary: `response SLA ${p}: ${warn} warning` });
    timers.push({ kind: 'responseBreach', at: due.responseDue, summary: `response SLA ${p}` });
  }
  if (due.resolutionDue !== null && due.resolutionWarnAt !== null && !clock.resolutionBreached) {
    if (!clock.resolutionWarned) timers.push({ kind: 'resolutionWarning', at: due.resolutionWarnAt, summary: `resolution SLA ${p}: ${warn} warning` });
    timers.push({ kind: 'resolutionBreach', at: due.resolutionDue, summary: `resolution SLA ${p}` });
  }
  const cadence = sla.policy.progressCadenceMs[ticket.priority];
  if (cadence && (ticket.status === 'assigned' || ticket.status === 'in_progress')) {
    timers.push({ kind: 'progressReminder', at: state.lastProgressAt + cadence, summary: `progress update due (${p} every ${humanDuration(cadence)})` });
  }
  if (ticket.status === 'triage' && state.triageSince !== null && !state.triageEscalated) {
    timers.push({ kind: 'triageTimeout', at: state.triageSince + sla.policy.triage.targetMs, summary: `triage target (${humanDuration(sla.policy.triage.targetMs)})` });
  }
  return timers;
}

function confirmationTimers(state: TicketState): Timer[] {
  const { ticket, settings } = state;
  if (ticket.status !== 'resolved' || !ticket.resolution) return [];
  const resolvedAt = Date.parse(ticket.resolution.resolvedAt);
  const window = settings.confirmationWindowMs;
  const timers: Timer[] = [];
  if (state.remindedFor !== ticket.resolution.resolvedAt) {
    timers.push({ kind: 'confirmationReminder', at: resolvedAt + window / 2, summary: `confirmation reminder (${humanDuration(window / 2)} after resolution)` });
  }
  timers.push({ kind: 'autoClose', at: resolvedAt + window, summary: `auto-close if unconfirmed (${humanDuration(window)})` });
  return timers;
}

function closingTimers(state: TicketState): Timer[] {
  const { survey, review } = state.ticket.closure;
  const timers: Timer[] = [];
  if (survey?.status === 'open') timers.push({ kind: 'surveyClose', at: Date.parse(survey.closesAt), summary: `survey window (${humanDuration(state.settings.surveyWindowMs)})` });
  if (review?.status === 'pending') {
    const calendar = workingCalendar(state.sla);
    const due = Date.parse(review.dueAt);
    const next = addBusinessTime(calendar, state.reviewRemindedAt ?? Date.parse(state.ticket.closedAt!), businessDayMs(calendar));
    if (next < due) timers.push({ kind: 'reviewReminder', at: next, summary: 'post-incident review reminder (daily)' });
    timers.push({ kind: 'reviewOverdue', at: due, summary: `post-incident review due (${state.settings.reviewWindowDays} business days)` });
  }
  return timers;
}

/** Brings the ticket's public SLA fields (SPEC §16) in line with its clocks. */
export function refreshSlaView(state: TicketState, now: number): void {
  const { sla, clock, ticket } = state;
  if (!sla) return;
  const due = deadlines(sla, clock);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  ticket.sla = {
    policyId: sla.policy.id,
    responseDue: iso(due.responseDue),
    resolutionDue: clock.stoppedAt === null ? iso(due.resolutionDue) : ticket.sla.resolutionDue,
    firstRespondedAt: iso(clock.respondedAt),
    responseBreached: clock.responseBreached,
    resolutionBreached: clock.resolutionBreached,
    paused: isPaused(clock),
    pausedMs: Math.round(pausedMs(sla, clock, now)),
  };
}

export function humanDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  for (const [size, unit] of units) if (ms >= size) return `${Math.round((ms / size) * 10) / 10} ${unit}`;
  return `${ms} ms`;
}
