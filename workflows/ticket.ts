// One support ticket, from intake to closure (SPEC §3–§10), as one durable workflow.
// `run` tells the story; each message handler below is one step of the process; the rules they apply
// (lifecycle, priority, routing, notifications) are pure modules in domain/.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { TicketActivities } from '../activities';
import { illegal, Refusal, ruleViolation } from '../domain/errors';
import { openTicket } from '../domain/intake';
import { isOpen, nextStatus } from '../domain/lifecycle';
import { assigneeOf, message, requesterOf, type NewNotification, type Recipient } from '../domain/notifications';
import type { Ticket } from '../domain/ticket';
import { SYSTEM, type Actor, type NewTimelineEvent } from '../domain/timeline';
import type { DispatchOutcome } from '../store/dispatcher';
import {
  addComment,
  assignTicket,
  cancelTicket,
  changeStatus,
  confirmResolution,
  currentTicket,
  rejectResolution,
  resolveTicket,
  ticketOpened,
  type AssignCommand,
  type ChangeResult,
  type Command,
  type CommentCommand,
  type ReasonCommand,
  type ResolveCommand,
  type StatusCommand,
  type TicketWorkflowInput,
} from './definitions';
import { searchAttributesOf } from './search-attributes';
import type { TicketState } from './state';
import { asFailure, describe, Lock, nowIso, nowMs } from './support';
import { humanDuration, nextTimer, type Timer } from './timers';

// MongoDB writes are short, so they run as local activities: no extra workflow task per write.
const store = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

interface LoadChange {
  release?: string[];
  claim?: string[];
}

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<Ticket> {
  const ticket = new TicketProcess(
    'resume' in input
      ? input.resume
      : {
          ticket: openTicket(input.intake, nowIso()),
          seq: 0,
          settings: input.settings,
          request: input.request,
          recorded: false,
          remindedFor: null,
          missingFacts: input.intake.missingFacts ?? [],
        },
  );
  ticket.listen();
  return ticket.run();
}

class TicketProcess {
  private readonly lock = new Lock();

  constructor(private readonly state: TicketState) {}

  private get ticket(): Ticket {
    return this.state.ticket;
  }

  /** The life of the ticket: intake, then wait for people (updates) and timers until it closes. */
  async run(): Promise<Ticket> {
    if (!this.state.recorded) await this.lock.run(() => this.intake());
    while (isOpen(this.ticket.status)) {
      const timer = nextTimer(this.state);
      if (!(await this.changeOrTimer(timer)) && timer) await this.lock.run(() => this.fire(timer));
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof ticketWorkflow>({ resume: this.state });
      }
    }
    await condition(allHandlersFinished);
    return this.ticket;
  }

  listen(): void {
    setHandler(
      ticketOpened,
      async (request) => {
        await condition(() => this.state.recorded);
        return { ticket: this.ticket, created: request.requestId === this.state.request.requestId };
      },
      {
        validator: (request) => {
          if (request.fingerprint !== this.state.request.fingerprint) {
            throw asFailure(new Refusal('IdempotencyKeyReused', 'this Idempotency-Key was already used for a different request'));
          }
        },
      },
    );
    setHandler(currentTicket, () => this.ticket);
    this.handle(assignTicket, (cmd) => this.assign(cmd), () => nextStatus('assign', this.ticket.status));
    this.handle(addComment, (cmd) => this.comment(cmd), () => this.mustBeOpen());
    this.handle(changeStatus, (cmd) => this.setStatus(cmd), (cmd) => nextStatus(cmd.status === 'in_progress' ? 'startWork' : 'waitOnCustomer', this.ticket.status));
    this.handle(resolveTicket, (cmd) => this.resolve(cmd), () => nextStatus('resolve', this.ticket.status));
    this.handle(confirmResolution, (cmd) => this.confirm(cmd), () => nextStatus('confirm', this.ticket.status));
    this.handle(rejectResolution, (cmd) => this.reject(cmd), () => nextStatus('reject', this.ticket.status));
    this.handle(cancelTicket, (cmd) => this.cancel(cmd), () => nextStatus('cancel', this.ticket.status));
  }

  // ── Intake and dispatch (SPEC §4–§6) ────────────────────────────────────────────────────────────

  private async intake(): Promise<void> {
    const outcome = await this.dispatch({}, 'dispatch by routing rules');
    const { requester } = this.ticket;
    const missing = this.state.missingFacts;
    const events: NewTimelineEvent[] = [
      {
        type: 'created',
        actor: { id: requester.id, role: 'requester', ...(requester.name ? { name: requester.name } : {}) },
        visibility: 'public',
        data: { channel: this.ticket.channel, priority: this.ticket.priority, ...(missing.length ? { missingFacts: missing } : {}) },
      },
    ];
    const ask = missing.length ? ` To help us, please reply with: ${missing.join('; ')}.` : '';
    const notes: NewNotification[] = [message('ticket_received', this.ticket, requesterOf(this.ticket), `We received your request and will keep you posted. Reference: ${this.ticket.id}.${ask}`)];
    if (outcome.kind === 'assigned') {
      this.ticket.status = nextStatus('dispatch', this.ticket.status);
      this.ticket.assignment = { group: outcome.group, agent: outcome.agent };
      this.ticket.requiredSkills = outcome.skills;
      events.push({ type: 'assigned', actor: SYSTEM, visibility: 'internal', data: { to: this.ticket.assignment, ruleId: outcome.ruleId } });
      notes.push(this.toAssignee('assigned', `New ${this.ticket.priority} ticket assigned to you: ${this.ticket.title}`));
    } else {
      this.ticket.status = nextStatus('sendToTriage', this.ticket.status);
      events.push({ type: 'triaged', actor: SYSTEM, visibility: 'internal', data: { reason: outcome.kind === 'triage' ? outcome.reason : 'dispatch refused', ruleId: outcome.kind === 'triage' ? outcome.ruleId : null } });
      notes.push(message('triage_needed', this.ticket, { type: 'supervisors' }, `Ticket ${this.ticket.id} needs manual dispatch.`));
    }
    await this.commit(events, notes, { claim: this.ticket.assignment.agent ? [this.ticket.assignment.agent] : [] });
    this.state.recorded = true;
  }

  /** A supervisor assigns (group and/or agent), an agent transfers to another group or takes a ticket of their group. */
  private async assign(cmd: AssignCommand): Promise<ChangeResult> {
    const status = nextStatus('assign', this.ticket.status);
    const outcome = await this.dispatch({ group: cmd.group, agent: cmd.agent }, `dispatch to ${cmd.agent ?? cmd.group}`);
    if (outcome.kind !== 'assigned') throw ruleViolation(outcome.reason);
    const from = { ...this.ticket.assignment };
    this.ticket.status = status;
    this.ticket.assignment = { group: outcome.group, agent: outcome.agent };
    this.ticket.requiredSkills = outcome.skills;
    const type = from.group === null ? 'assigned' : from.group !== outcome.group ? 'transferred' : 'reassigned';
    return this.commit(
      [{ type, actor: cmd.actor, visibility: 'internal', data: { from, to: this.ticket.assignment, reason: cmd.reason ?? null } }],
      [this.toAssignee('assigned', `Ticket ${type} to you by ${cmd.actor.name ?? cmd.actor.id}: ${this.ticket.title}`)],
      swap(from.agent, outcome.agent),
    );
  }

  private dispatch(target: { group?: string; agent?: string }, summary: string): Promise<DispatchOutcome> {
    return store.dispatchTicket.executeWithOptions({ summary }, [{ ticket: this.ticket, ...target, at: nowIso() }]);
  }

  // ── Work: the conversation and its statuses (SPEC §3, §9) ─────────────────────────────────────────

  private async comment(cmd: CommentCommand): Promise<ChangeResult> {
    this.mustBeOpen();
    const events: NewTimelineEvent[] = [{ type: 'comment', actor: cmd.actor, visibility: cmd.visibility, data: { body: cmd.body, ...(cmd.source ? { source: cmd.source } : {}) } }];
    const notes: NewNotification[] = [];
    const fromStaff = cmd.actor.role !== 'requester';
    if (fromStaff && cmd.visibility === 'public') {
      this.ticket.sla.firstRespondedAt ??= nowIso();
      if (this.ticket.status === 'assigned') events.push(this.moveTo(nextStatus('startWork', this.ticket.status), cmd.actor, 'agent replied'));
      notes.push(message('public_reply', this.ticket, requesterOf(this.ticket), cmd.body));
    } else if (!fromStaff) {
      // The customer answered: the ball is back with the desk (Zendesk: pending → open).
      if (this.ticket.status === 'waiting_on_customer') events.push(this.moveTo(nextStatus('startWork', this.ticket.status), cmd.actor, 'requester replied'));
      const assignee = assigneeOf(this.ticket);
      if (assignee) notes.push(message('requester_reply', this.ticket, assignee, cmd.body));
    }
    return this.commit(events, notes);
  }

  private async setStatus(cmd: StatusCommand): Promise<ChangeResult> {
    const status = nextStatus(cmd.status === 'in_progress' ? 'startWork' : 'waitOnCustomer', this.ticket.status);
    const notes = status === 'waiting_on_customer' ? [message('waiting_on_you', this.ticket, requesterOf(this.ticket), cmd.reason ?? 'We need more information from you to continue.')] : [];
    return this.commit([this.moveTo(status, cmd.actor, cmd.reason ?? null)], notes);
  }

  // ── Resolution, confirmation, closure (SPEC §10) ──────────────────────────────────────────────────

  private async resolve(cmd: ResolveCommand): Promise<ChangeResult> {
    const status = nextStatus('resolve', this.ticket.status);
    const at = nowIso();
    this.ticket.resolution = {
      summary: cmd.summary,
      rootCause: cmd.rootCause,
      steps: cmd.steps,
      kbArticleId: cmd.kbArticleId ?? null,
      newKnowledge: cmd.newKnowledge ?? false,
      resolvedBy: cmd.actor.id,
      resolvedAt: at,
    };
    const window = humanDuration(this.state.settings.confirmationWindowMs);
    return this.commit(
      [this.moveTo(status, cmd.actor, null), { type: 'resolved', actor: cmd.actor, visibility: 'public', data: { ...this.ticket.resolution } }],
      [message('resolved', this.ticket, requesterOf(this.ticket), `${cmd.summary}\n\nPlease confirm the problem is solved, or tell us it is not, within ${window}; after that the ticket closes by itself.`)],
      { release: this.agentHolding() },
    );
  }

  private async confirm(cmd: Command): Promise<ChangeResult> {
    const closed = this.close(nextStatus('confirm', this.ticket.status), cmd.actor, 'requester confirmed the solution');
    return this.commit([closed], this.toAssigneeIfAny('confirmed', 'The requester confirmed the solution; the ticket is closed.'));
  }

  private async reject(cmd: ReasonCommand): Promise<ChangeResult> {
    const status = nextStatus('reject', this.ticket.status);
    const rejected = this.ticket.resolution;
    this.ticket.resolution = null;
    this.ticket.reopenCount += 1;
    const events = [this.moveTo(status, cmd.actor, cmd.reason), { type: 'reopened', actor: cmd.actor, visibility: 'public' as const, data: { reason: cmd.reason, rejected, reopenCount: this.ticket.reopenCount } }];
    return this.commit(events, this.toAssigneeIfAny('reopened', `The requester says it is not solved: ${cmd.reason}`), { claim: this.agentHolding() });
  }

  private async cancel(cmd: ReasonCommand): Promise<ChangeResult> {
    // A resolved ticket already left its agent's load.
    const held = this.ticket.status === 'resolved' ? [] : this.agentHolding();
    const cancelled = this.close(nextStatus('cancel', this.ticket.status), cmd.actor, cmd.reason);
    const notes = this.toAssigneeIfAny('cancelled', `Cancelled: ${cmd.reason}`);
    if (cmd.actor.role !== 'requester') notes.push(message('cancelled', this.ticket, requesterOf(this.ticket), `Your ticket was cancelled: ${cmd.reason}`));
    return this.commit([cancelled], notes, { release: held });
  }

  // ── Timers (SPEC §10): derived from the state in timers.ts ───────────────────────────────────────

  private async fire(timer: Timer): Promise<void> {
    // The state may have moved on while this waited for the lock.
    if (nextTimer(this.state)?.kind !== timer.kind || nowMs() < timer.at) return;
    switch (timer.kind) {
      case 'confirmationReminder':
        this.state.remindedFor = this.ticket.resolution?.resolvedAt ?? null;
        await this.commit(
          [{ type: 'confirmation_reminder', actor: SYSTEM, visibility: 'public', data: {} }],
          [message('confirmation_reminder', this.ticket, requesterOf(this.ticket), 'Reminder: please confirm whether the solution worked, or tell us it did not.')],
        );
        return;
      case 'autoClose': {
        const window = humanDuration(this.state.settings.confirmationWindowMs);
        const closed = this.close(nextStatus('autoClose', this.ticket.status), SYSTEM, `closed automatically: no answer within ${window}`);
        await this.commit(
          [closed],
          [message('closed', this.ticket, requesterOf(this.ticket), `We closed your ticket because we did not hear back within ${window}.`), ...this.toAssigneeIfAny('closed', 'Closed automatically after the confirmation window.')],
        );
        return;
      }
    }
  }

  // ── Plumbing ──────────────────────────────────────────────────────────────────────────────────────

  /** Registers an update whose validator refuses illegal changes before they reach the history. */
  private handle<A extends Command>(def: UpdateDefinition<ChangeResult, [A]>, apply: (cmd: A) => Promise<ChangeResult>, check: (cmd: A) => unknown): void {
    setHandler(
      def,
      (cmd) =>
        this.lock.run(async () => {
          try {
            return await apply(cmd);
          } catch (err) {
            throw asFailure(err);
          }
        }),
      {
        validator: (cmd) => {
          try {
            check(cmd);
          } catch (err) {
            throw asFailure(err);
          }
        },
      },
    );
  }

  /** Waits until something changes the ticket or the next timer is due; true when it was a change. */
  private async changeOrTimer(timer: Timer | null): Promise<boolean> {
    const version = this.ticket.version;
    const changed = () => this.ticket.version !== version;
    if (!timer) {
      await condition(changed);
      return true;
    }
    const wait = timer.at - nowMs();
    if (wait <= 0) return false;
    return condition(changed, wait, { summary: timer.summary });
  }

  /** Stores the change (ticket, events, notifications, load) in one idempotent step, then updates the UI's view. */
  private async commit(events: NewTimelineEvent[], notes: NewNotification[] = [], load: LoadChange = {}): Promise<ChangeResult> {
    const at = nowIso();
    const ticket = this.ticket;
    ticket.version += 1;
    ticket.updatedAt = at;
    const notified: NewTimelineEvent[] = notes.map((n) => ({ type: 'notified', actor: SYSTEM, visibility: 'internal', data: { kind: n.kind, to: n.to } }));
    const stamped = [...events, ...notified].map((event) => ({ ...event, ticketId: ticket.id, seq: ++this.state.seq, at }));
    const notifications = notes.map((n) => ({ ...n, id: `${ticket.id}:${ticket.version}:${n.kind}:${recipientKey(n.to)}`, ticketId: ticket.id, at }));
    await store.recordChange.executeWithOptions({ summary: events.map((e) => e.type).join(', ') }, [{ ticket, events: stamped, notifications, load }]);
    upsertSearchAttributes(searchAttributesOf(ticket));
    setCurrentDetails(describe(ticket, nextTimer(this.state)));
    return { ticket, events: stamped.slice(0, events.length) };
  }

  private moveTo(status: Ticket['status'], actor: Actor, reason: string | null): NewTimelineEvent {
    const from = this.ticket.status;
    this.ticket.status = status;
    return { type: 'status_changed', actor, visibility: 'public', data: { from, to: status, reason } };
  }

  private close(status: Ticket['status'], actor: Actor, reason: string): NewTimelineEvent {
    const event = this.moveTo(status, actor, reason);
    this.ticket.closedAt = nowIso();
    return event;
  }

  private mustBeOpen(): void {
    if (!isOpen(this.ticket.status)) throw illegal(`the ticket is ${this.ticket.status}`);
  }

  private agentHolding(): string[] {
    return this.ticket.assignment.agent ? [this.ticket.assignment.agent] : [];
  }

  private toAssignee(kind: string, text: string): NewNotification {
    return message(kind, this.ticket, assigneeOf(this.ticket) ?? { type: 'supervisors' }, text);
  }

  private toAssigneeIfAny(kind: string, text: string): NewNotification[] {
    const to = assigneeOf(this.ticket);
    return to ? [message(kind, this.ticket, to, text)] : [];
  }
}

/** Load moves from the previous agent to the new one; nothing moves when they are the same. */
function swap(from: string | null, to: string | null): LoadChange {
  if (from === to) return {};
  return { release: from ? [from] : [], claim: to ? [to] : [] };
}

function recipientKey(to: Recipient): string {
  return 'id' in to ? `${to.type}-${to.id}` : to.type;
}

