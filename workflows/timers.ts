// Every durable timer of a ticket is derived here from its state, so they live in one place and a change of
// state (a pause, a reply, a new priority) simply yields a different next timer. The workflow waits for the next
// one, keeping it while its deadline holds (WaitForNext), and backs off when its step cannot be stored (TimerRetry).
import { CancellationScope, condition, log, patched, sleep } from '@temporalio/workflow';
import { businessDayMs, workingCalendar } from '../domain/closure';
import { addBusinessTime } from '../domain/sla/calendar';
import { deadlines, isPaused, pausedMs } from '../domain/sla/clock';
import { isStoreFailure } from './failures';
import type { TicketState } from './state';

/** Workflow time: inside the sandbox Date is Temporal's deterministic clock. */
export const nowMs = () => new Date().getTime();
export const nowIso = () => new Date().toISOString();

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

/**
 * Waits for the next timer or a change of the ticket. The timer is kept across changes while its deadline holds (a
 * comment does not move the resolution deadline), so a change costs no timer cancelled and started again.
 */
export class WaitForNext {
  private running: { kind: TimerKind; at: number; fired: Promise<boolean> } | null = null;
  private scope: CancellationScope | null = null;

  /** True when the ticket changed (its version moved), false when the timer is due. */
  async changeOrTimer(timer: Timer | null, notBefore: number, version: () => number): Promise<boolean> {
    const seen = version();
    const changed = () => version() !== seen;
    // Histories from before kept no timer: each wait started its own.
    if (!patched('timer-kept-while-its-deadline-holds')) return this.startEachTime(timer, notBefore, changed);
    if (!timer) {
      this.stop();
      await condition(changed);
      return true;
    }
    const at = Math.max(timer.at, notBefore);
    if (this.running?.kind !== timer.kind || this.running.at !== at) {
      this.stop();
      if (at <= nowMs()) return false;
      const scope = (this.scope = new CancellationScope());
      const fired = scope.run(() => sleep(at - nowMs(), { summary: timer.summary })).then(
        () => true,
        () => false,
      );
      this.running = { kind: timer.kind, at, fired };
    }
    const running = this.running;
    const outcome = await Promise.race([running.fired.then((fired) => (fired ? 'due' : 'cancelled')), condition(changed).then(() => 'changed' as const)]);
    if (outcome === 'due') this.running = null;
    return outcome !== 'due';
  }

  private stop(): void {
    this.scope?.cancel();
    this.scope = null;
    this.running = null;
  }

  private async startEachTime(timer: Timer | null, notBefore: number, changed: () => boolean): Promise<boolean> {
    if (!timer) {
      await condition(changed);
      return true;
    }
    const wait = Math.max(timer.at, notBefore) - nowMs();
    if (wait <= 0) return false;
    return condition(changed, wait, { summary: timer.summary });
  }
}

const FIRST_RETRY_MS = 10_000;
const LAST_RETRY_MS = 15 * 60_000;

/** A timer step the store fails is rolled back (so it stays due) and tried again after 10 s, doubling up to
 *  15 min: a failing write neither fails the workflow nor spins, and changes go through meanwhile. */
export class TimerRetry {
  /** Epoch ms before which no timer fires again; 0 when the last timer step went through. */
  notBefore = 0;
  private delayMs = 0;

  async run(ticketId: string, timer: Timer, step: () => Promise<void>): Promise<void> {
    try {
      await step();
      this.notBefore = this.delayMs = 0;
    } catch (err) {
      if (!isStoreFailure(err)) throw err;
      this.delayMs = Math.min(LAST_RETRY_MS, this.delayMs * 2 || FIRST_RETRY_MS);
      this.notBefore = nowMs() + this.delayMs;
      log.warn('a timer step could not be stored; it will be tried again', { ticketId, timer: timer.kind, retryInMs: this.delayMs, failure: err.type, error: err.message });
    }
  }
}
