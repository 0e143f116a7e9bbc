// What each durable timer does when it fires (SPEC §7, §10, §12). The timers themselves are derived from the
// ticket's state in timers.ts; here is only their effect, recorded like any other change.
import { nextStatus } from '../domain/lifecycle';
import { message, requesterOf } from '../domain/notifications';
import type { Tier } from '../domain/ticket';
import { SYSTEM } from '../domain/timeline';
import { log } from '@temporalio/workflow';
import type { TicketSteps } from './process';
import { isStoreFailure, nowMs } from './support';
import { humanDuration, nextTimer, type Timer } from './timers';

const FIRST_RETRY_MS = 10_000;
const LAST_RETRY_MS = 15 * 60_000;

/** A timer step the store fails is rolled back (so it stays due) and tried again after 10 s, doubling up to
 *  15 min: a failing write neither fails the workflow nor spins, and changes go through meanwhile. */
export class TimerRetry {
  /** Epoch ms before which no timer fires again; 0 when the last timer step went through. */
  notBefore = 0;
  private delayMs = 0;

  async fire(steps: TicketSteps, timer: Timer): Promise<void> {
    try {
      await steps.attempt(() => fireTimer(steps, timer));
      this.notBefore = this.delayMs = 0;
    } catch (err) {
      if (!isStoreFailure(err)) throw err;
      this.delayMs = Math.min(LAST_RETRY_MS, this.delayMs * 2 || FIRST_RETRY_MS);
      this.notBefore = nowMs() + this.delayMs;
      log.warn('a timer step could not be stored; it will be tried again', { ticketId: steps.ticket.id, timer: timer.kind, retryInMs: this.delayMs, failure: err.type, error: err.message });
    }
  }
}

export async function fireTimer(steps: TicketSteps, timer: Timer): Promise<void> {
  // The state may have moved on while this waited for the lock.
  const due = nextTimer(steps.state);
  if (due?.kind !== timer.kind || nowMs() < due.at) return;
  const change = steps.newChange();
  const clock = steps.state.clock;
  const p = steps.ticket.priority;
  switch (timer.kind) {
    case 'responseWarning':
    case 'resolutionWarning': {
      const which = timer.kind === 'responseWarning' ? 'response' : 'resolution';
      if (which === 'response') clock.responseWarned = true;
      else clock.resolutionWarned = true;
      const percent = steps.state.sla!.policy.warnAtPercent;
      change.events.push({ type: 'sla_warning', actor: SYSTEM, visibility: 'internal', data: { clock: which, percent, due: steps.ticket.sla[`${which}Due`] } });
      const text = `${percent}% of the ${which} target for ${p} has passed; due ${steps.ticket.sla[`${which}Due`]}.`;
      change.notes.push(...steps.toAssigneeIfAny('sla_warning', text), message('sla_warning', steps.ticket, { type: 'supervisors' }, text));
      break;
    }
    case 'responseBreach':
    case 'resolutionBreach': {
      const which = timer.kind === 'responseBreach' ? 'response' : 'resolution';
      const dueAt = steps.ticket.sla[`${which}Due`];
      if (which === 'response') clock.responseBreached = true;
      else clock.resolutionBreached = true;
      change.events.push({ type: 'sla_breached', actor: SYSTEM, visibility: 'internal', data: { clock: which, due: dueAt } });
      const text = `The ${which} target for ${p} was missed (due ${dueAt}).`;
      change.notes.push(...steps.toAssigneeIfAny('sla_breached', text), message('sla_breached', steps.ticket, { type: 'supervisors' }, text));
      const cannot = await steps.escalate(SYSTEM, `${which} SLA ${p} breached`, undefined, change);
      if (cannot) change.events.push({ type: 'escalation_skipped', actor: SYSTEM, visibility: 'internal', data: { reason: cannot } });
      break;
    }
    case 'progressReminder':
      steps.state.lastProgressAt = nowMs();
      change.events.push({ type: 'progress_reminder', actor: SYSTEM, visibility: 'internal', data: {} });
      change.notes.push(steps.toAssignee('progress_reminder', `No public update on ${steps.ticket.id} (${p}) for ${humanDuration(steps.state.sla!.policy.progressCadenceMs[p] ?? 0)}: please update the requester.`));
      break;
    case 'triageTimeout': {
      steps.state.triageEscalated = true;
      const target = steps.state.sla!.policy.triage.escalateTo ?? undefined;
      change.events.push({ type: 'triage_overdue', actor: SYSTEM, visibility: 'internal', data: { since: new Date(steps.state.triageSince ?? nowMs()).toISOString() } });
      change.notes.push(message('triage_overdue', steps.ticket, { type: 'supervisors' }, `Ticket ${steps.ticket.id} is still waiting for dispatch.`));
      if (target) {
        const cannot = await steps.escalate(SYSTEM, 'triage target passed', target, change);
        if (cannot) change.events.push({ type: 'escalation_skipped', actor: SYSTEM, visibility: 'internal', data: { reason: cannot } });
      } else {
        const from = steps.ticket.tier;
        steps.ticket.tier = Math.min(3, from + 1) as Tier;
        change.events.push({ type: 'escalated', actor: SYSTEM, visibility: 'internal', data: { reason: 'triage target passed', automatic: true, from: { tier: from }, to: { tier: steps.ticket.tier } } });
      }
      break;
    }
    case 'confirmationReminder':
      steps.state.remindedFor = steps.ticket.resolution?.resolvedAt ?? null;
      change.events.push({ type: 'confirmation_reminder', actor: SYSTEM, visibility: 'public', data: {} });
      change.notes.push(message('confirmation_reminder', steps.ticket, requesterOf(steps.ticket), 'Reminder: please confirm whether the solution worked, or tell us it did not.'));
      break;
    case 'autoClose': {
      const window = humanDuration(steps.state.settings.confirmationWindowMs);
      change.events.push(steps.close(nextStatus('autoClose', steps.ticket.status), SYSTEM, `closed automatically: no answer within ${window}`));
      change.notes.push(message('closed', steps.ticket, requesterOf(steps.ticket), `We closed your ticket because we did not hear back within ${window}.`), ...steps.toAssigneeIfAny('closed', 'Closed automatically after the confirmation window.'));
      await steps.openClosingLoop(change);
      break;
    }
    case 'surveyClose':
      steps.ticket.closure.survey!.status = 'expired';
      change.events.push({ type: 'survey_expired', actor: SYSTEM, visibility: 'internal', data: { closesAt: steps.ticket.closure.survey!.closesAt } });
      break;
    case 'reviewReminder':
      steps.state.reviewRemindedAt = nowMs();
      change.events.push({ type: 'review_reminder', actor: SYSTEM, visibility: 'internal', data: { dueAt: steps.ticket.closure.review!.dueAt } });
      change.notes.push(message('review_reminder', steps.ticket, { type: 'supervisors' }, `The post-incident review of ${steps.ticket.id} is due ${steps.ticket.closure.review!.dueAt}.`));
      break;
    case 'reviewOverdue':
      steps.ticket.closure.review!.status = 'overdue';
      change.events.push({ type: 'review_overdue', actor: SYSTEM, visibility: 'internal', data: { dueAt: steps.ticket.closure.review!.dueAt } });
      change.notes.push(message('review_overdue', steps.ticket, { type: 'supervisors' }, `The post-incident review of ${steps.ticket.id} was not filed by ${steps.ticket.closure.review!.dueAt}.`));
      break;
  }
  await steps.commit(change);
}
