// Every durable timer of a ticket is derived here from its state, so they live in one place and a change of
// state (a pause, a new deadline) simply yields a different next timer.
import type { TicketState } from './state';

export type TimerKind = 'confirmationReminder' | 'autoClose';

export interface Timer {
  kind: TimerKind;
  /** Epoch milliseconds. */
  at: number;
  /** Shown on the timer in the Temporal UI. */
  summary: string;
}

export function pendingTimers(state: TicketState): Timer[] {
  const { ticket, settings } = state;
  const timers: Timer[] = [];
  if (ticket.status === 'resolved' && ticket.resolution) {
    const resolvedAt = Date.parse(ticket.resolution.resolvedAt);
    const window = settings.confirmationWindowMs;
    if (state.remindedFor !== ticket.resolution.resolvedAt) {
      timers.push({ kind: 'confirmationReminder', at: resolvedAt + window / 2, summary: `confirmation reminder (${humanDuration(window / 2)} after resolution)` });
    }
    timers.push({ kind: 'autoClose', at: resolvedAt + window, summary: `auto-close if unconfirmed (${humanDuration(window)})` });
  }
  return timers.sort((a, b) => a.at - b.at);
}

export const nextTimer = (state: TicketState): Timer | null => pendingTimers(state)[0] ?? null;

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
