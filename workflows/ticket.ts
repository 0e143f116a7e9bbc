// One support ticket, from intake to the end of its closing loop (SPEC §3–§12), as one durable workflow.
// `run` tells the story; each message handler below is one step of the process. The rules they apply
// (lifecycle, priority, routing, SLA clocks, notifications) are pure modules in domain/; how a change is
// recorded is in process.ts, what timers do in timer-steps.ts.
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { openReview, openSurvey } from '../domain/closure';
import { Refusal, ruleViolation } from '../domain/errors';
import { openTicket } from '../domain/intake';
import { isOpen, nextStatus } from '../domain/lifecycle';
import { message, requesterOf } from '../domain/notifications';
import { priorityOf } from '../domain/priority';
import { respond, startClock } from '../domain/sla/clock';
import type { Ticket } from '../domain/ticket';
import { SYSTEM } from '../domain/timeline';
import {
  acceptSuggestion,
  addCollaborator,
  addComment,
  assignTicket,
  cancelTicket,
  changeStatus,
  confirmResolution,
  currentTicket,
  escalateTicket,
  fileReview,
  overridePriority,
  rejectResolution,
  resolveTicket,
  submitCsat,
  ticketOpened,
  type AcceptSuggestionCommand,
  type AssignCommand,
  type ChangeResult,
  type CollaboratorCommand,
  type Command,
  type CommentCommand,
  type CsatCommand,
  type EscalateCommand,
  type PriorityCommand,
  type ReasonCommand,
  type ResolveCommand,
  type ReviewCommand,
  type StatusCommand,
  type TicketWorkflowInput,
} from './definitions';
import { store, TicketSteps } from './process';
import type { TicketState } from './state';
import { asFailure, isStoreFailure, nowIso, nowMs, STORE_REFUSED } from './support';
import { TimerRetry } from './timer-steps';
import { humanDuration, nextTimer, refreshSlaView } from './timers';

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<Ticket> {
  const process = new TicketProcess('resume' in input ? input.resume : newState(input));
  process.listen();
  return process.run();
}

function newState(input: Extract<TicketWorkflowInput, { intake: unknown }>): TicketState {
  const ticket = openTicket(input.intake, nowIso());
  const createdAt = Date.parse(ticket.createdAt);
  return {
    ticket,
    seq: 0,
    settings: input.settings,
    request: input.request,
    recorded: false,
    remindedFor: null,
    missingFacts: input.intake.missingFacts ?? [],
    sla: null,
    clock: startClock(ticket.priority, createdAt),
    lastProgressAt: createdAt,
    triageSince: null,
    triageEscalated: false,
    reviewRemindedAt: null,
  };
}

class TicketProcess extends TicketSteps {
  private readonly timers = new TimerRetry();
  /** Set when the store refused the intake for good: the opener is told, and the workflow ends. */
  private refused: ApplicationFailure | null = null;

  /** The life of the ticket: intake, then wait for people (updates) and timers until it closes. */
  async run(): Promise<Ticket> {
    if (!this.state.recorded) await this.lock.run(() => this.intakeUntilStored());
    if (this.refused) {
      await condition(allHandlersFinished);
      throw this.refused;
    }
    while (this.owesSomething()) {
      const timer = nextTimer(this.state);
      if (!(await this.changeOrTimer(timer, this.timers.notBefore)) && timer) await this.lock.run(() => this.timers.fire(this, timer));
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
        await condition(() => this.state.recorded || this.refused !== null);
        if (this.refused) throw this.refused;
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
    this.handle(escalateTicket, (cmd) => this.escalateByHand(cmd), () => nextStatus('assign', this.ticket.status));
    this.handle(addCollaborator, (cmd) => this.addCollaborator(cmd), () => this.mustBeOpen());
    this.handle(overridePriority, (cmd) => this.overridePriority(cmd), () => this.mustBeOpen());
    this.handle(addComment, (cmd) => this.comment(cmd), () => this.mustBeOpen());
    this.handle(changeStatus, (cmd) => this.setStatus(cmd), (cmd) => nextStatus(cmd.status === 'in_progress' ? 'startWork' : 'waitOnCustomer', this.ticket.status));
    this.handle(resolveTicket, (cmd) => this.resolve(cmd), () => nextStatus('resolve', this.ticket.status));
    this.handle(confirmResolution, (cmd) => this.confirm(cmd), () => nextStatus('confirm', this.ticket.status));
    this.handle(rejectResolution, (cmd) => this.reject(cmd), () => nextStatus('reject', this.ticket.status));
    this.handle(cancelTicket, (cmd) => this.cancel(cmd), () => nextStatus('cancel', this.ticket.status));
    this.handle(acceptSuggestion, (cmd) => this.selfServe(cmd), (cmd) => this.checkSuggestion(cmd.articleId));
    this.handle(submitCsat, (cmd) => this.rate(cmd), () => openSurvey(this.ticket));
    this.handle(fileReview, (cmd) => this.review(cmd), () => openReview(this.ticket));
  }

  /** A ticket's workflow lives until it is closed and everything the closing loop owes is done or expired. */
  private owesSomething(): boolean {
    const { survey, review } = this.ticket.closure;
    return isOpen(this.ticket.status) || survey?.status === 'open' || review?.status === 'pending';
  }

  // ── Intake, SLA and dispatch (SPEC §4–§7) ───────────────────────────────────────────────────────

  /** Nothing can happen to an unrecorded ticket, so intake keeps the lock and retries (1 s, 2 s, … 1 min) while the
   *  store is unavailable (a retried opener finds this workflow); one the store refuses for good ends it. */
  private async intakeUntilStored(): Promise<void> {
    for (let round = 0; ; round++) {
      try {
        return await this.attempt(() => this.intake());
      } catch (err) {
        if (!isStoreFailure(err)) throw err;
        if (err.type === STORE_REFUSED) {
          this.refused = err;
          return;
        }
        const delayMs = Math.min(60_000, 1_000 * 2 ** round);
        log.warn('the new ticket could not be stored; trying again', { ticketId: this.ticket.id, retryInMs: delayMs, error: err.message });
        await sleep(delayMs);
      }
    }
  }

  private async intake(): Promise<void> {
    const [outcome, sla, suggestions] = await Promise.all([
      this.dispatch({}, 'dispatch by routing rules'),
      store.slaPolicyFor.executeWithOptions({ summary: `SLA policy for ${this.ticket.productLine}` }, [this.ticket.productLine]),
      store.suggestArticles.executeWithOptions({ summary: 'known-issue lookup' }, [this.ticket]),
    ]);
    this.state.sla = sla;
    this.ticket.suggestions = suggestions;
    const { requester } = this.ticket;
    const missing = this.state.missingFacts;
    const change = this.newChange();
    change.events.push({
      type: 'created',
      actor: { id: requester.id, role: 'requester', ...(requester.name ? { name: requester.name } : {}) },
      visibility: 'public',
      data: { channel: this.ticket.channel, priority: this.ticket.priority, ...(missing.length ? { missingFacts: missing } : {}) },
    });
    const ask = missing.length ? ` To help us, please reply with: ${missing.join('; ')}.` : '';
    const known = suggestions.length ? `\n\nThese articles may already solve it: ${suggestions.map((s) => s.title).join('; ')}.` : '';
    change.notes.push(message('ticket_received', this.ticket, requesterOf(this.ticket), `We received your request and will keep you posted. Reference: ${this.ticket.id}.${ask}${known}`));
    if (suggestions.length) change.events.push({ type: 'knowledge_suggested', actor: SYSTEM, visibility: 'public', data: { suggestions } });
    if (outcome.kind === 'assigned') {
      this.placeWith(outcome, 'dispatch', SYSTEM, null, change);
    } else {
      this.toTriage(outcome.kind === 'triage' ? outcome.reason : 'dispatch refused', outcome.kind === 'triage' ? outcome.ruleId : null, change);
    }
    if (sla) {
      refreshSlaView(this.state, nowMs());
      change.events.push({
        type: 'sla_started',
        actor: SYSTEM,
        visibility: 'internal',
        data: {
          policyId: sla.policy.id,
          policy: sla.policy.name,
          priority: this.ticket.priority,
          responseDue: this.ticket.sla.responseDue,
          resolutionDue: this.ticket.sla.resolutionDue,
          note: 'this ticket keeps this policy; later edits to policies or calendars apply to new tickets',
        },
      });
    }
    await this.commit(change);
    this.state.recorded = true;
  }

  /** A supervisor assigns (group and/or agent), an agent transfers to another group or takes a ticket of their group. */
  private async assign(cmd: AssignCommand): Promise<ChangeResult> {
    nextStatus('assign', this.ticket.status);
    const outcome = await this.dispatch({ group: cmd.group, agent: cmd.agent }, `dispatch to ${cmd.agent ?? cmd.group}`);
    if (outcome.kind !== 'assigned') throw ruleViolation(outcome.reason);
    const change = this.newChange();
    this.placeWith(outcome, 'assign', cmd.actor, cmd.reason ?? null, change);
    return this.commit(change);
  }

  /** Escalation (SPEC §8): to the named group or the group's escalation target, one tier up at least. */
  private async escalateByHand(cmd: EscalateCommand): Promise<ChangeResult> {
    nextStatus('assign', this.ticket.status);
    const change = this.newChange();
    const refused = await this.escalate(cmd.actor, cmd.reason, cmd.toGroup, change);
    if (refused) throw ruleViolation(refused);
    return this.commit(change);
  }

  /** Collaborators from other groups help without taking ownership (SPEC §8). */
  private async addCollaborator(cmd: CollaboratorCommand): Promise<ChangeResult> {
    this.mustBeOpen();
    const change = this.newChange();
    if (!this.ticket.collaborators.includes(cmd.agent)) {
      this.ticket.collaborators.push(cmd.agent);
      change.events.push({ type: 'collaborator_added', actor: cmd.actor, visibility: 'internal', data: { agent: cmd.agent } });
      change.notes.push(message('collaboration', this.ticket, { type: 'agent', id: cmd.agent }, `${cmd.actor.name ?? cmd.actor.id} asked for your help on ${this.ticket.id}.`));
    }
    return this.commit(change);
  }

  /** A supervisor's override (SPEC §5): deadlines are recomputed from the ticket's creation. */
  private async overridePriority(cmd: PriorityCommand): Promise<ChangeResult> {
    this.mustBeOpen();
    const from = { priority: this.ticket.priority, impact: this.ticket.impact, urgency: this.ticket.urgency };
    this.ticket.impact = cmd.impact ?? this.ticket.impact;
    this.ticket.urgency = cmd.urgency ?? this.ticket.urgency;
    this.ticket.priority = cmd.priority ?? priorityOf(this.ticket.impact, this.ticket.urgency);
    const clock = this.state.clock;
    clock.priority = this.ticket.priority;
    // New targets deserve their own warnings; breaches already recorded stay recorded.
    clock.responseWarned = clock.responseBreached;
    clock.resolutionWarned = clock.resolutionBreached;
    refreshSlaView(this.state, nowMs());
    const change = this.newChange();
    change.events.push({
      type: 'priority_changed',
      actor: cmd.actor,
      visibility: 'internal',
      data: { from, to: { priority: this.ticket.priority, impact: this.ticket.impact, urgency: this.ticket.urgency }, reason: cmd.reason, responseDue: this.ticket.sla.responseDue, resolutionDue: this.ticket.sla.resolutionDue },
    });
    change.notes.push(...this.toAssigneeIfAny('priority_changed', `Priority ${from.priority} → ${this.ticket.priority}: ${cmd.reason}`));
    return this.commit(change);
  }

  // ── Work: the conversation and its statuses (SPEC §3, §7, §9) ──────────────────────────────────

  private async comment(cmd: CommentCommand): Promise<ChangeResult> {
    this.mustBeOpen();
    const change = this.newChange();
    // Files go on the event and the ticket's list; those of an internal note stay marked internal (staff only).
    const attachments = (cmd.attachments ?? []).map((a) => ({ ...a, ...(cmd.visibility === 'internal' ? { visibility: 'internal' as const } : {}) }));
    this.ticket.attachments.push(...attachments);
    change.events.push({ type: 'comment', actor: cmd.actor, visibility: cmd.visibility, data: { body: cmd.body, ...(cmd.source ? { source: cmd.source } : {}), ...(attachments.length ? { attachments } : {}) } });
    const fromStaff = cmd.actor.role !== 'requester';
    if (fromStaff && cmd.visibility === 'public') {
      // The first public reply of an agent meets the response target; every public reply counts as progress.
      respond(this.state.clock, nowMs());
      this.state.lastProgressAt = nowMs();
      this.ticket.stats.publicReplies += 1;
      if (this.ticket.status === 'assigned') change.events.push(this.moveTo(nextStatus('startWork', this.ticket.status), cmd.actor, 'agent replied'));
      change.notes.push(message('public_reply', this.ticket, requesterOf(this.ticket), cmd.body));
    } else if (!fromStaff) {
      // The customer answered: the ball is back with the desk (Zendesk: pending → open).
      if (this.ticket.status === 'waiting_on_customer') change.events.push(this.moveTo(nextStatus('startWork', this.ticket.status), cmd.actor, 'requester replied'));
      change.notes.push(...this.toAssigneeIfAny('requester_reply', cmd.body));
    }
    return this.commit(change);
  }

  private async setStatus(cmd: StatusCommand): Promise<ChangeResult> {
    const change = this.newChange();
    change.events.push(this.moveTo(nextStatus(cmd.status === 'in_progress' ? 'startWork' : 'waitOnCustomer', this.ticket.status), cmd.actor, cmd.reason ?? null));
    if (cmd.status === 'waiting_on_customer') change.notes.push(message('waiting_on_you', this.ticket, requesterOf(this.ticket), cmd.reason ?? 'We need more information from you to continue.'));
    return this.commit(change);
  }

  // ── Resolution, confirmation, closure (SPEC §10) ──────────────────────────────────────────────────

  private async resolve(cmd: ResolveCommand): Promise<ChangeResult> {
    const change = this.newChange();
    change.events.push(this.moveTo(nextStatus('resolve', this.ticket.status), cmd.actor, null));
    // The resolution goes to the requester in public, so it answers them too.
    respond(this.state.clock, nowMs());
    this.ticket.resolution = {
      summary: cmd.summary,
      rootCause: cmd.rootCause,
      steps: cmd.steps,
      kbArticleId: cmd.kbArticleId ?? null,
      newKnowledge: cmd.newKnowledge ?? false,
      resolvedBy: cmd.actor.id,
      resolvedAt: nowIso(),
    };
    change.events.push({ type: 'resolved', actor: cmd.actor, visibility: 'public', data: { ...this.ticket.resolution } });
    const window = humanDuration(this.state.settings.confirmationWindowMs);
    change.notes.push(message('resolved', this.ticket, requesterOf(this.ticket), `${cmd.summary}\n\nPlease confirm the problem is solved, or tell us it is not, within ${window}; after that the ticket closes by itself.`));
    change.load.release = this.agentHolding();
    return this.commit(change);
  }

  private async confirm(cmd: Command): Promise<ChangeResult> {
    const change = this.newChange();
    change.events.push(this.close(nextStatus('confirm', this.ticket.status), cmd.actor, 'requester confirmed the solution'));
    change.notes.push(...this.toAssigneeIfAny('confirmed', 'The requester confirmed the solution; the ticket is closed.'));
    await this.openClosingLoop(change);
    return this.commit(change);
  }

  private async reject(cmd: ReasonCommand): Promise<ChangeResult> {
    const change = this.newChange();
    change.events.push(this.moveTo(nextStatus('reject', this.ticket.status), cmd.actor, cmd.reason));
    const rejected = this.ticket.resolution;
    this.ticket.resolution = null;
    this.ticket.reopenCount += 1;
    change.events.push({ type: 'reopened', actor: cmd.actor, visibility: 'public', data: { reason: cmd.reason, rejected, reopenCount: this.ticket.reopenCount } });
    change.notes.push(...this.toAssigneeIfAny('reopened', `The requester says it is not solved: ${cmd.reason}`));
    change.load.claim = this.agentHolding();
    return this.commit(change);
  }

  private async cancel(cmd: ReasonCommand): Promise<ChangeResult> {
    // A resolved ticket already left its agent's load.
    const held = this.ticket.status === 'resolved' ? [] : this.agentHolding();
    const change = this.newChange();
    change.events.push(this.close(nextStatus('cancel', this.ticket.status), cmd.actor, cmd.reason));
    change.notes.push(...this.toAssigneeIfAny('cancelled', `Cancelled: ${cmd.reason}`));
    if (cmd.actor.role !== 'requester') change.notes.push(message('cancelled', this.ticket, requesterOf(this.ticket), `Your ticket was cancelled: ${cmd.reason}`));
    change.load.release = held;
    return this.commit(change);
  }

  // ── Self-service and the closing loop (SPEC §4, §11, §12) ──────────────────────────────────────────

  /** The requester accepts a suggested article: solved by self-service, counted as a deflection. */
  private async selfServe(cmd: AcceptSuggestionCommand): Promise<ChangeResult> {
    const article = this.checkSuggestion(cmd.articleId);
    const held = this.agentHolding();
    const at = nowIso();
    this.ticket.resolution = { summary: `Solved with the knowledge article "${article.title}"`, rootCause: '', steps: '', kbArticleId: article.articleId, newKnowledge: false, resolvedBy: cmd.actor.id, resolvedAt: at };
    this.ticket.stats.selfService = true;
    respond(this.state.clock, nowMs());
    const change = this.newChange();
    change.events.push(this.close(nextStatus('selfServe', this.ticket.status), cmd.actor, 'solved by self-service'));
    change.events.push({ type: 'self_service', actor: cmd.actor, visibility: 'public', data: { articleId: article.articleId, title: article.title, score: article.score } });
    change.notes.push(...this.toAssigneeIfAny('self_service', `The requester solved it with "${article.title}".`));
    change.load.release = held;
    await this.openClosingLoop(change);
    return this.commit(change);
  }

  private async rate(cmd: CsatCommand): Promise<ChangeResult> {
    const survey = openSurvey(this.ticket);
    survey.status = 'answered';
    this.ticket.csat = { score: cmd.score, comment: cmd.comment ?? null, at: nowIso() };
    const change = this.newChange();
    change.events.push({ type: 'csat', actor: cmd.actor, visibility: 'public', data: { ...this.ticket.csat } });
    change.notes.push(...this.toAssigneeIfAny('csat', `The requester rated the ticket ${cmd.score}/5.`));
    return this.commit(change);
  }

  private async review(cmd: ReviewCommand): Promise<ChangeResult> {
    const review = openReview(this.ticket);
    review.status = 'filed';
    review.filed = { rootCause: cmd.rootCause, timelineSummary: cmd.timelineSummary, actions: cmd.actions, lessons: cmd.lessons, filedBy: cmd.actor.id, filedAt: nowIso() };
    const change = this.newChange();
    change.events.push({ type: 'review_filed', actor: cmd.actor, visibility: 'internal', data: { ...review.filed } });
    change.notes.push(...cmd.actions.map((a) => message('review_action', this.ticket, { type: 'agent', id: a.owner }, `Action from the review of ${this.ticket.id}: ${a.description} (due ${a.dueDate})`)));
    return this.commit(change);
  }

  private checkSuggestion(articleId: string) {
    nextStatus('selfServe', this.ticket.status);
    const found = this.ticket.suggestions.find((s) => s.articleId === articleId);
    if (!found) throw new Refusal('NotFound', `article ${articleId} was not suggested for this ticket`);
    return found;
  }

}
