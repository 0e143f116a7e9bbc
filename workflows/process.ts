// How a ticket changes: the plumbing every step of the process uses. One change = one idempotent write of the
// ticket, its timeline events, its notifications and the agents' load, then the Temporal UI's view of it.
import type { UpdateDefinition } from '@temporalio/common';
import { condition, log, proxyLocalActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { TicketActivities } from '../activities';
import { businessDayMs, needsReview, workingCalendar } from '../domain/closure';
import { illegal, Refusal, staleVersion } from '../domain/errors';
import { canApply, isOpen, nextStatus } from '../domain/lifecycle';
import { assigneeOf, message, requesterOf, type NewNotification, type Recipient } from '../domain/notifications';
import { addBusinessTime } from '../domain/sla/calendar';
import { pause, resume, stop } from '../domain/sla/clock';
import type { Ticket, TicketStatus, Tier } from '../domain/ticket';
import { SYSTEM, type Actor, type NewTimelineEvent } from '../domain/timeline';
import type { DispatchOutcome, DispatchRequest } from '../store/dispatcher';
import type { ChangeResult, Command } from './definitions';
import { searchAttributesOf } from './search-attributes';
import type { TicketState } from './state';
import { asFailure, describe, Lock, nowIso, nowMs, restore, snapshot, storeFailure, summarize } from './support';
import { nextTimer, refreshSlaView, type Timer } from './timers';

// MongoDB reads and writes are short, so they run as local activities: no extra workflow task per write.
// Their retries are bounded, and shaped by the error (activities/index.ts): a write the store refuses for good
// fails at once (StoreRefused), an unexplained error after 5 attempts, and a store that cannot be reached (down,
// restarting) is waited for: 5 s an attempt (the driver's server selection timeout), backing off to 5 s, 60
// attempts, about ten minutes. Waiting rather than failing keeps an outage from costing anything: the API answers
// 503 meanwhile, and the caller's retry (same Idempotency-Key, same update id) attaches to this very change.
export const store = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 60 },
});

// Removing what a failed change left is best effort: a few quick tries, then the workflow moves on.
const cleanup = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '2 seconds',
  scheduleToCloseTimeout: '4 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second', maximumAttempts: 3 },
});

interface LoadChange {
  release?: string[];
  claim?: string[];
}

/** What a step of the process wants stored: timeline events, notifications, agent load. */
export interface Change {
  events: NewTimelineEvent[];
  notes: NewNotification[];
  load: LoadChange;
}

/** What the change under way may have written to MongoDB, to take back if it fails. */
interface Written {
  /** Agents dispatch claimed for the ticket: their load counts it already. */
  claimed: string[];
  /** Set once the change went to the store. */
  sent?: { afterSeq: number; notifications: string[]; load: LoadChange };
}

export class TicketSteps {
  readonly lock = new Lock();
  /** Set while a change runs (always under the lock). */
  private written: Written | null = null;

  constructor(readonly state: TicketState) {}

  get ticket(): Ticket {
    return this.state.ticket;
  }

  // ── Where the ticket goes: dispatch, assignment, triage, escalation (SPEC §6, §8) ──────────────────

  dispatch(target: Omit<DispatchRequest, 'ticket' | 'at'>, summary: string): Promise<DispatchOutcome> {
    return store.dispatchTicket.executeWithOptions({ summary }, [{ ticket: this.ticket, ...target, at: nowIso() }]);
  }

  /** Puts the ticket with the group and agent dispatch chose, moving the agent load along; escalation also raises the tier. */
  placeWith(outcome: Extract<DispatchOutcome, { kind: 'assigned' }>, how: 'dispatch' | 'assign' | 'escalate', actor: Actor, reason: string | null, change: Change): void {
    const from = { ...this.ticket.assignment, tier: this.ticket.tier };
    const status = nextStatus(how === 'dispatch' ? 'dispatch' : 'assign', this.ticket.status);
    if (status !== this.ticket.status) change.events.push(this.moveTo(status, actor, reason, 'internal'));
    this.ticket.assignment = { group: outcome.group, agent: outcome.agent };
    this.ticket.requiredSkills = outcome.skills;
    this.ticket.tier = (how === 'escalate' ? Math.min(3, Math.max(from.tier + 1, outcome.tier)) : Math.max(from.tier, outcome.tier)) as Tier;
    this.state.triageSince = null;
    const to = { ...this.ticket.assignment, tier: this.ticket.tier };
    const type = how === 'escalate' ? 'escalated' : from.group === null ? 'assigned' : from.group !== outcome.group ? 'transferred' : 'reassigned';
    if (type === 'escalated') this.ticket.stats.escalations += 1;
    else if (type !== 'assigned') this.ticket.stats.transfers += 1;
    const data = how === 'escalate' ? { from, to, reason, automatic: actor.role === 'system' } : { from: { group: from.group, agent: from.agent }, to: this.ticket.assignment, reason, ruleId: outcome.ruleId };
    change.events.push({ type, actor, visibility: 'internal', data });
    change.notes.push(this.toAssignee('assigned', `${this.ticket.priority} ticket ${type} to you: ${this.ticket.title}`));
    if (from.agent !== outcome.agent) {
      if (from.agent) (change.load.release ??= []).push(from.agent);
      if (outcome.agent && !outcome.claimed) (change.load.claim ??= []).push(outcome.agent);
      if (outcome.agent && outcome.claimed) this.written?.claimed.push(outcome.agent);
    }
  }

  /** No rule or agent could take it: a supervisor must dispatch it. */
  toTriage(reason: string, ruleId: string | null, change: Change): void {
    change.events.push(this.moveTo(nextStatus('sendToTriage', this.ticket.status), SYSTEM, reason, 'internal'));
    change.events.push({ type: 'triaged', actor: SYSTEM, visibility: 'internal', data: { reason, ruleId } });
    change.notes.push(message('triage_needed', this.ticket, { type: 'supervisors' }, `Ticket ${this.ticket.id} needs manual dispatch: ${reason}.`));
    this.state.triageSince = nowMs();
  }

  /** Moves the ticket up; returns why not when there is nowhere to go. */
  async escalate(actor: Actor, reason: string, toGroup: string | undefined, change: Change): Promise<string | null> {
    if (!canApply('assign', this.ticket.status)) return `a ${this.ticket.status} ticket is not escalated`;
    const outcome = await this.dispatch({ group: toGroup, escalate: true }, `escalate to ${toGroup ?? 'the next tier'}`);
    if (outcome.kind !== 'assigned') return outcome.reason;
    this.placeWith(outcome, 'escalate', actor, reason, change);
    change.notes.push(message('escalated', this.ticket, { type: 'supervisors' }, `Escalated to ${outcome.group} (tier ${this.ticket.tier}): ${reason}`));
    return null;
  }

  // ── What closing owes: knowledge, survey, review (SPEC §11, §12) ─────────────────────────────────────

  /** Knowledge capture, the survey, and the review where one is due: all owed once the ticket closes. */
  async openClosingLoop(change: Change): Promise<void> {
    const closedAt = nowMs();
    const knowledge = await store.captureKnowledge.executeWithOptions({ summary: 'knowledge capture' }, [{ ticket: this.ticket, at: nowIso() }]);
    if (knowledge?.kind === 'drafted' || knowledge?.kind === 'used') {
      this.ticket.closure.knowledge = { articleId: knowledge.articleId, kind: knowledge.kind };
      change.events.push({ type: knowledge.kind === 'drafted' ? 'knowledge_drafted' : 'knowledge_used', actor: SYSTEM, visibility: 'internal', data: { articleId: knowledge.articleId } });
      if (knowledge.kind === 'drafted') change.notes.push(message('knowledge_draft', this.ticket, { type: 'supervisors' }, `A new solution from ${this.ticket.id} awaits review as article ${knowledge.articleId}.`));
    } else if (knowledge?.kind === 'missing') {
      change.events.push({ type: 'knowledge_missing', actor: SYSTEM, visibility: 'internal', data: { articleId: knowledge.articleId } });
    }
    const closesAt = new Date(closedAt + this.state.settings.surveyWindowMs).toISOString();
    this.ticket.closure.survey = { status: 'open', closesAt };
    change.events.push({ type: 'survey_offered', actor: SYSTEM, visibility: 'public', data: { closesAt } });
    change.notes.push(message('survey', this.ticket, requesterOf(this.ticket), `How did we do? Rate your experience from 1 to 5 until ${closesAt}.`));
    if (needsReview(this.ticket)) {
      const calendar = workingCalendar(this.state.sla);
      const dueAt = new Date(addBusinessTime(calendar, closedAt, this.state.settings.reviewWindowDays * businessDayMs(calendar))).toISOString();
      this.ticket.closure.review = { status: 'pending', dueAt, filed: null };
      change.events.push({ type: 'review_required', actor: SYSTEM, visibility: 'internal', data: { dueAt, priority: this.ticket.priority, breached: this.ticket.sla.responseBreached || this.ticket.sla.resolutionBreached } });
      change.notes.push(message('review_required', this.ticket, { type: 'supervisors' }, `A post-incident review of ${this.ticket.id} is due ${dueAt}.`));
    }
  }

  // ── Plumbing ──────────────────────────────────────────────────────────────────────────────────────

  /** Registers an update whose validator refuses illegal changes before they reach the history. */
  handle<A extends Command>(def: UpdateDefinition<ChangeResult, [A]>, apply: (cmd: A) => Promise<ChangeResult>, check: (cmd: A) => unknown): void {
    setHandler(
      def,
      (cmd) =>
        this.lock.run(async () => {
          try {
            // Only after a failed intake (its opener was refused) could a change find the ticket unrecorded.
            if (!this.state.recorded) throw new Refusal('NotFound', 'the ticket was never recorded');
            // Checked again under the lock: a change accepted while another was under way may find the ticket moved on.
            this.mustBeAt(cmd.expectedVersion);
            return await this.attempt(() => apply(cmd));
          } catch (err) {
            throw asFailure(err);
          }
        }),
      {
        validator: (cmd) => {
          try {
            // While a change is under way the ticket may be moving on, unstored yet: the handler decides, under the lock.
            if (!this.lock.busy) this.mustBeAt(cmd.expectedVersion);
            check(cmd);
          } catch (err) {
            throw asFailure(err);
          }
        },
      },
    );
  }

  /** If-Match (SPEC §16): a change made against an older version of the ticket is refused. */
  private mustBeAt(expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && expectedVersion !== this.ticket.version) throw staleVersion(expectedVersion, this.ticket.version);
  }

  /** Runs one change; if the store fails it, the state goes back (but for version and seq, which only go up, so
   *  the next change never reuses a key of its leftovers), its leftovers are removed, and the failure is thrown. */
  async attempt<T>(work: () => Promise<T>): Promise<T> {
    const before = snapshot(this.state);
    const written: Written = (this.written = { claimed: [] });
    try {
      return await work();
    } catch (err) {
      const failure = storeFailure(err);
      if (!failure) throw err;
      await this.rollBack(before, written);
      throw failure;
    } finally {
      this.written = null;
    }
  }

  private async rollBack(before: TicketState, { claimed, sent }: Written): Promise<void> {
    const { seq } = this.state;
    const { version } = this.ticket;
    restore(this.state, before);
    this.state.seq = seq;
    this.ticket.version = version;
    if (!sent && claimed.length === 0) return;
    const release = sent?.load.release ?? [];
    const discarded = {
      ticket: this.ticket,
      recorded: this.state.recorded,
      afterSeq: sent?.afterSeq ?? seq,
      lastSeq: seq,
      notifications: sent?.notifications ?? [],
      rehold: release,
      unclaim: [...(sent?.load.claim ?? []), ...claimed].filter((agent) => !release.includes(agent)),
    };
    try {
      await cleanup.discardChange.executeWithOptions({ summary: 'discard a change the store failed' }, [discarded]);
    } catch (err) {
      // The next change does not depend on it: its sequence numbers and version are new.
      log.warn('could not remove what a failed change left in MongoDB', { ticketId: this.ticket.id, afterSeq: discarded.afterSeq, lastSeq: seq, error: String(err) });
    }
  }

  /** Waits until something changes the ticket or the next timer is due (not before `notBefore`); true when it was a change. */
  async changeOrTimer(timer: Timer | null, notBefore = 0): Promise<boolean> {
    const version = this.ticket.version;
    const changed = () => this.ticket.version !== version;
    if (!timer) {
      await condition(changed);
      return true;
    }
    const wait = Math.max(timer.at, notBefore) - nowMs();
    if (wait <= 0) return false;
    return condition(changed, wait, { summary: timer.summary });
  }

  newChange(): Change {
    return { events: [], notes: [], load: {} };
  }

  /** Stores the change (ticket, events, notifications, load) in one idempotent step, then updates the UI's view. */
  async commit({ events, notes, load }: Change): Promise<ChangeResult> {
    const at = nowIso();
    const ticket = this.ticket;
    ticket.version += 1;
    ticket.updatedAt = at;
    refreshSlaView(this.state, nowMs());
    const notified: NewTimelineEvent[] = notes.map((n) => ({ type: 'notified', actor: SYSTEM, visibility: 'internal', data: { kind: n.kind, to: n.to } }));
    const stamped = [...events, ...notified].map((event) => ({ ...event, ticketId: ticket.id, seq: ++this.state.seq, at }));
    const notifications = notes.map((n) => ({ ...n, id: `${ticket.id}:${ticket.version}:${n.kind}:${recipientKey(n.to)}`, ticketId: ticket.id, at }));
    const backlogKey = [isOpen(ticket.status), ticket.priority, ticket.productLine, ticket.channel, ticket.assignment.group, ticket.assignment.agent].join('|');
    const backlogChanged = backlogKey !== this.state.backlogKey;
    if (this.written) this.written.sent = { afterSeq: this.state.seq - stamped.length, notifications: notifications.map((n) => n.id), load };
    await store.recordChange.executeWithOptions({ summary: `record: ${summarize(events)}` }, [{ ticket, events: stamped, notifications, load, backlogChanged }]);
    this.state.backlogKey = backlogKey;
    upsertSearchAttributes(searchAttributesOf(ticket));
    setCurrentDetails(describe(ticket, nextTimer(this.state)));
    return { ticket, events: stamped.slice(0, events.length) };
  }

  /** Changes the status and keeps the SLA clocks in step: waiting on the customer and awaiting confirmation pause the resolution clock. */
  moveTo(status: TicketStatus, actor: Actor, reason: string | null, visibility: 'public' | 'internal' = 'public'): NewTimelineEvent {
    const from = this.ticket.status;
    this.ticket.status = status;
    const now = nowMs();
    if (status === 'waiting_on_customer' || status === 'resolved') pause(this.state.clock, now);
    else if (status === 'closed' || status === 'cancelled') stop(this.state.clock, now);
    else resume(this.state.clock, now);
    return { type: 'status_changed', actor, visibility, data: { from, to: status, reason } };
  }

  close(status: TicketStatus, actor: Actor, reason: string): NewTimelineEvent {
    const event = this.moveTo(status, actor, reason);
    this.ticket.closedAt = nowIso();
    return event;
  }

  mustBeOpen(): void {
    if (!isOpen(this.ticket.status)) throw illegal(`the ticket is ${this.ticket.status}`);
  }

  agentHolding(): string[] {
    return this.ticket.assignment.agent ? [this.ticket.assignment.agent] : [];
  }

  toAssignee(kind: string, text: string): NewNotification {
    return message(kind, this.ticket, assigneeOf(this.ticket) ?? { type: 'supervisors' }, text);
  }

  toAssigneeIfAny(kind: string, text: string): NewNotification[] {
    const to = assigneeOf(this.ticket);
    return to ? [message(kind, this.ticket, to, text)] : [];
  }
}

function recipientKey(to: Recipient): string {
  return 'id' in to ? `${to.type}-${to.id}` : to.type;
}
