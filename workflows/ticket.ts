// One support ticket, from intake to the end of its closing loop (SPEC §3–§12), as one durable workflow.
// `run` tells the story; each message handler below is one step of the process, and `onTimer` what each durable timer
// does. The rules they apply (lifecycle, priority, routing, SLA clocks, notifications) are pure modules in domain/;
// how a change is stored is recording.ts, which timer is next timers.ts, what the Temporal UI shows temporal-ui.ts.
import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, patched, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { IntakeLookups } from '../activities';
import { businessDayMs, needsReview, openReview, openSurvey, workingCalendar } from '../domain/closure';
import { illegal, Refusal, ruleViolation, staleVersion } from '../domain/errors';
import { openTicket } from '../domain/intake';
import { articleIdFor } from '../domain/knowledge';
import { canApply, isOpen, nextStatus } from '../domain/lifecycle';
import { assigneeOf, message, requesterOf, type NewNotification } from '../domain/notifications';
import { priorityOf } from '../domain/priority';
import { canViewTicket } from '../domain/roles';
import { addBusinessTime } from '../domain/sla/calendar';
import { pause, respond, resume, startClock, stop } from '../domain/sla/clock';
import type { Ticket, TicketStatus, Tier } from '../domain/ticket';
import { SYSTEM, type Actor, type NewTimelineEvent } from '../domain/timeline';
import type { DispatchOutcome, DispatchRequest } from '../store/dispatcher';
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
import { asFailure, isStoreFailure, STORE_REFUSED } from './failures';
import { ChangeRecorder, helpdesk, newChange, type Change } from './recording';
import type { TicketState } from './state';
import { humanDuration, nextTimer, nowIso, nowMs, refreshSlaView, TimerRetry, WaitForNext, type Timer } from './timers';

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<Ticket> {
  const ticket = new SupportTicket('resume' in input ? input.resume : newState(input));
  ticket.listen();
  return ticket.run();
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

class SupportTicket {
  private readonly changes: ChangeRecorder;
  private readonly waiting = new WaitForNext();
  private readonly timerRetry = new TimerRetry();
  /** Set when the store refused the intake for good: the opener is told, and the workflow ends. */
  private refused: ApplicationFailure | null = null;

  constructor(private readonly state: TicketState) {
    this.changes = new ChangeRecorder(state);
  }

  private get ticket(): Ticket {
    return this.state.ticket;
  }

  /** The life of the ticket: intake, then wait for people (updates) and timers until it closes. */
  async run(): Promise<Ticket> {
    if (!this.state.recorded) await this.changes.lock.run(() => this.intakeUntilStored());
    if (this.refused) {
      await condition(allHandlersFinished);
      throw this.refused;
    }
    while (this.owesSomething()) {
      const timer = nextTimer(this.state);
      const changed = await this.waiting.changeOrTimer(timer, this.timerRetry.notBefore, () => this.ticket.version);
      if (!changed && timer) await this.changes.lock.run(() => this.timerRetry.run(this.ticket.id, timer, () => this.changes.attempt(() => this.onTimer(timer))));
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
        return await this.changes.attempt(() => this.intake());
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
    const { dispatch: outcome, sla, suggestions } = await this.lookUpIntake();
    this.state.sla = sla;
    this.ticket.suggestions = suggestions;
    const { requester } = this.ticket;
    const missing = this.state.missingFacts;
    const change = newChange();
    change.events.push({
      type: 'created',
      actor: { id: requester.id, role: 'requester', ...(requester.name ? { name: requester.name } : {}) },
      visibility: 'public',
      data: { channel: this.ticket.channel, priority: this.ticket.priority, ...(missing.length ? { missingFacts: missing } : {}) },
    });
    const ask = missing.length ? ` To help us, please reply with: ${missing.join('; ')}.` : '';
    const known = suggestions.length ? `\n\nThese articles may already solve it: ${suggestions.map((s) => s.title).join('; ')}.` : '';
    change.notifications.push(message('ticket_received', this.ticket, requesterOf(this.ticket), `We received your request and will keep you posted. Reference: ${this.ticket.id}.${ask}${known}`));
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
    await this.changes.record(change);
    this.state.recorded = true;
  }

  /** Where the new ticket goes, its SLA policy and known issues: one local activity (three, in histories from before). */
  private async lookUpIntake(): Promise<IntakeLookups> {
    if (patched('intake-lookups-in-one-step')) {
      return helpdesk.prepareIntake.executeWithOptions({ summary: `intake: dispatch by routing rules, SLA policy for ${this.ticket.productLine}, known issues` }, [{ ticket: this.ticket, at: nowIso() }]);
    }
    const [dispatch, sla, suggestions] = await Promise.all([
      this.dispatch({}, 'dispatch by routing rules'),
      helpdesk.slaPolicyFor.executeWithOptions({ summary: `SLA policy for ${this.ticket.productLine}` }, [this.ticket.productLine]),
      helpdesk.suggestArticles.executeWithOptions({ summary: 'known-issue lookup' }, [this.ticket]),
    ]);
    return { dispatch, sla, suggestions };
  }

  /** A supervisor assigns (group and/or agent), an agent transfers to another group or takes a ticket of their group. */
  private async assign(cmd: AssignCommand): Promise<ChangeResult> {
    nextStatus('assign', this.ticket.status);
    const outcome = await this.dispatch({ group: cmd.group, agent: cmd.agent }, `dispatch to ${cmd.agent ?? cmd.group}`);
    if (outcome.kind !== 'assigned') throw ruleViolation(outcome.reason);
    const change = newChange();
    this.placeWith(outcome, 'assign', cmd.actor, cmd.reason ?? null, change);
    return this.changes.record(change);
  }

  /** Escalation by hand (SPEC §8): to the named group or the group's escalation target, one tier up at least. */
  private async escalateByHand(cmd: EscalateCommand): Promise<ChangeResult> {
    nextStatus('assign', this.ticket.status);
    const change = newChange();
    const refused = await this.escalate(cmd.actor, cmd.reason, cmd.toGroup, change);
    if (refused) throw ruleViolation(refused);
    return this.changes.record(change);
  }

  /** Moves the ticket up, by hand or when an SLA or the triage target is missed; returns why not when there is nowhere to go. */
  private async escalate(actor: Actor, reason: string, toGroup: string | undefined, change: Change): Promise<string | null> {
    if (!canApply('assign', this.ticket.status)) return `a ${this.ticket.status} ticket is not escalated`;
    const outcome = await this.dispatch({ group: toGroup, escalate: true }, `escalate to ${toGroup ?? 'the next tier'}`);
    if (outcome.kind !== 'assigned') return outcome.reason;
    this.placeWith(outcome, 'escalate', actor, reason, change);
    change.notifications.push(message('escalated', this.ticket, { type: 'supervisors' }, `Escalated to ${outcome.group} (tier ${this.ticket.tier}): ${reason}`));
    return null;
  }

  /** Picks the group and agent (store/dispatcher.ts); it writes nothing: the change that records it claims the agent. */
  private dispatch(target: Omit<DispatchRequest, 'ticket' | 'at'>, summary: string): Promise<DispatchOutcome> {
    return helpdesk.dispatchTicket.executeWithOptions({ summary }, [{ ticket: this.ticket, ...target, at: nowIso() }]);
  }

  /** Puts the ticket with the group and agent dispatch chose, moving the agent load along; escalation also raises the tier. */
  private placeWith(outcome: Extract<DispatchOutcome, { kind: 'assigned' }>, how: 'dispatch' | 'assign' | 'escalate', actor: Actor, reason: string | null, change: Change): void {
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
    change.notifications.push(this.toAssignee('assigned', `${this.ticket.priority} ticket ${type} to you: ${this.ticket.title}`));
    if (from.agent !== outcome.agent) {
      if (from.agent) (change.load.release ??= []).push(from.agent);
      // Dispatch in histories from before claimed automatic picks itself.
      if (outcome.agent && !outcome.claimed) (change.load.claim ??= []).push(outcome.agent);
    }
  }

  /** No rule or agent could take it: a supervisor must dispatch it. */
  private toTriage(reason: string, ruleId: string | null, change: Change): void {
    change.events.push(this.moveTo(nextStatus('sendToTriage', this.ticket.status), SYSTEM, reason, 'internal'));
    change.events.push({ type: 'triaged', actor: SYSTEM, visibility: 'internal', data: { reason, ruleId } });
    change.notifications.push(message('triage_needed', this.ticket, { type: 'supervisors' }, `Ticket ${this.ticket.id} needs manual dispatch: ${reason}.`));
    this.state.triageSince = nowMs();
  }

  /** Collaborators from other groups help without taking ownership (SPEC §8). */
  private async addCollaborator(cmd: CollaboratorCommand): Promise<ChangeResult> {
    this.mustBeOpen();
    const change = newChange();
    if (!this.ticket.collaborators.includes(cmd.agent)) {
      this.ticket.collaborators.push(cmd.agent);
      change.events.push({ type: 'collaborator_added', actor: cmd.actor, visibility: 'internal', data: { agent: cmd.agent } });
      change.notifications.push(message('collaboration', this.ticket, { type: 'agent', id: cmd.agent }, `${cmd.actor.name ?? cmd.actor.id} asked for your help on ${this.ticket.id}.`));
    }
    return this.changes.record(change);
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
    const change = newChange();
    change.events.push({
      type: 'priority_changed',
      actor: cmd.actor,
      visibility: 'internal',
      data: { from, to: { priority: this.ticket.priority, impact: this.ticket.impact, urgency: this.ticket.urgency }, reason: cmd.reason, responseDue: this.ticket.sla.responseDue, resolutionDue: this.ticket.sla.resolutionDue },
    });
    change.notifications.push(...this.toAssigneeIfAny('priority_changed', `Priority ${from.priority} → ${this.ticket.priority}: ${cmd.reason}`));
    return this.changes.record(change);
  }

  // ── Work: the conversation and its statuses (SPEC §3, §7, §9) ──────────────────────────────────

  private async comment(cmd: CommentCommand): Promise<ChangeResult> {
    this.mustBeOpen();
    const change = newChange();
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
      change.notifications.push(message('public_reply', this.ticket, requesterOf(this.ticket), cmd.body));
    } else if (!fromStaff) {
      // The customer answered: the ball is back with the desk (Zendesk: pending → open).
      if (this.ticket.status === 'waiting_on_customer') change.events.push(this.moveTo(nextStatus('startWork', this.ticket.status), cmd.actor, 'requester replied'));
      change.notifications.push(...this.toAssigneeIfAny('requester_reply', cmd.body));
    }
    return this.changes.record(change);
  }

  private async setStatus(cmd: StatusCommand): Promise<ChangeResult> {
    const change = newChange();
    change.events.push(this.moveTo(nextStatus(cmd.status === 'in_progress' ? 'startWork' : 'waitOnCustomer', this.ticket.status), cmd.actor, cmd.reason ?? null));
    if (cmd.status === 'waiting_on_customer') change.notifications.push(message('waiting_on_you', this.ticket, requesterOf(this.ticket), cmd.reason ?? 'We need more information from you to continue.'));
    return this.changes.record(change);
  }

  // ── Resolution, confirmation, closure (SPEC §10) ──────────────────────────────────────────────────

  private async resolve(cmd: ResolveCommand): Promise<ChangeResult> {
    const change = newChange();
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
    change.notifications.push(message('resolved', this.ticket, requesterOf(this.ticket), `${cmd.summary}\n\nPlease confirm the problem is solved, or tell us it is not, within ${window}; after that the ticket closes by itself.`));
    change.load.release = this.agentHolding();
    return this.changes.record(change);
  }

  private async confirm(cmd: Command): Promise<ChangeResult> {
    const change = newChange();
    change.events.push(this.close(nextStatus('confirm', this.ticket.status), cmd.actor, 'requester confirmed the solution'));
    change.notifications.push(...this.toAssigneeIfAny('confirmed', 'The requester confirmed the solution; the ticket is closed.'));
    await this.openClosingLoop(change);
    return this.changes.record(change);
  }

  private async reject(cmd: ReasonCommand): Promise<ChangeResult> {
    const change = newChange();
    change.events.push(this.moveTo(nextStatus('reject', this.ticket.status), cmd.actor, cmd.reason));
    const rejected = this.ticket.resolution;
    this.ticket.resolution = null;
    this.ticket.reopenCount += 1;
    change.events.push({ type: 'reopened', actor: cmd.actor, visibility: 'public', data: { reason: cmd.reason, rejected, reopenCount: this.ticket.reopenCount } });
    change.notifications.push(...this.toAssigneeIfAny('reopened', `The requester says it is not solved: ${cmd.reason}`));
    change.load.claim = this.agentHolding();
    return this.changes.record(change);
  }

  private async cancel(cmd: ReasonCommand): Promise<ChangeResult> {
    // A resolved ticket already left its agent's load.
    const held = this.ticket.status === 'resolved' ? [] : this.agentHolding();
    const change = newChange();
    change.events.push(this.close(nextStatus('cancel', this.ticket.status), cmd.actor, cmd.reason));
    change.notifications.push(...this.toAssigneeIfAny('cancelled', `Cancelled: ${cmd.reason}`));
    if (cmd.actor.role !== 'requester') change.notifications.push(message('cancelled', this.ticket, requesterOf(this.ticket), `Your ticket was cancelled: ${cmd.reason}`));
    change.load.release = held;
    return this.changes.record(change);
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
    const change = newChange();
    change.events.push(this.close(nextStatus('selfServe', this.ticket.status), cmd.actor, 'solved by self-service'));
    change.events.push({ type: 'self_service', actor: cmd.actor, visibility: 'public', data: { articleId: article.articleId, title: article.title, score: article.score } });
    change.notifications.push(...this.toAssigneeIfAny('self_service', `The requester solved it with "${article.title}".`));
    change.load.release = held;
    await this.openClosingLoop(change);
    return this.changes.record(change);
  }

  /** Knowledge capture, the survey, and the review where one is due: all owed once the ticket closes. */
  private async openClosingLoop(change: Change): Promise<void> {
    const closedAt = nowMs();
    await this.captureKnowledge(change);
    const closesAt = new Date(closedAt + this.state.settings.surveyWindowMs).toISOString();
    this.ticket.closure.survey = { status: 'open', closesAt };
    change.events.push({ type: 'survey_offered', actor: SYSTEM, visibility: 'public', data: { closesAt } });
    change.notifications.push(message('survey', this.ticket, requesterOf(this.ticket), `How did we do? Rate your experience from 1 to 5 until ${closesAt}.`));
    if (needsReview(this.ticket)) {
      const calendar = workingCalendar(this.state.sla);
      const dueAt = new Date(addBusinessTime(calendar, closedAt, this.state.settings.reviewWindowDays * businessDayMs(calendar))).toISOString();
      this.ticket.closure.review = { status: 'pending', dueAt, filed: null };
      change.events.push({ type: 'review_required', actor: SYSTEM, visibility: 'internal', data: { dueAt, priority: this.ticket.priority, breached: this.ticket.sla.responseBreached || this.ticket.sla.resolutionBreached } });
      change.notifications.push(message('review_required', this.ticket, { type: 'supervisors' }, `A post-incident review of ${this.ticket.id} is due ${dueAt}.`));
    }
  }

  /** A new solution becomes a draft article, a linked one counts another use (SPEC §11): stored by the closing change. */
  private async captureKnowledge(change: Change): Promise<void> {
    const resolution = this.ticket.resolution;
    if (!patched('knowledge-in-the-closing-change')) return this.captureKnowledgeFirst(change);
    if (resolution?.kbArticleId) {
      // The article was checked at resolution; should it be gone, the store says so and the change records it missing.
      this.ticket.closure.knowledge = { articleId: resolution.kbArticleId, kind: 'used' };
      change.events.push({ type: 'knowledge_used', actor: SYSTEM, visibility: 'internal', data: { articleId: resolution.kbArticleId } });
      change.knowledge = { kind: 'use', articleId: resolution.kbArticleId };
    } else if (resolution?.newKnowledge) {
      const articleId = articleIdFor(this.ticket.id);
      this.ticket.closure.knowledge = { articleId, kind: 'drafted' };
      change.events.push({ type: 'knowledge_drafted', actor: SYSTEM, visibility: 'internal', data: { articleId } });
      change.notifications.push(message('knowledge_draft', this.ticket, { type: 'supervisors' }, `A new solution from ${this.ticket.id} awaits review as article ${articleId}.`));
      change.knowledge = { kind: 'draft' };
    }
  }

  /** Histories from before captured knowledge in a step of its own, before the closing change. */
  private async captureKnowledgeFirst(change: Change): Promise<void> {
    const knowledge = await helpdesk.captureKnowledge.executeWithOptions({ summary: 'knowledge capture' }, [{ ticket: this.ticket, at: nowIso() }]);
    if (knowledge?.kind === 'drafted' || knowledge?.kind === 'used') {
      this.ticket.closure.knowledge = { articleId: knowledge.articleId, kind: knowledge.kind };
      change.events.push({ type: knowledge.kind === 'drafted' ? 'knowledge_drafted' : 'knowledge_used', actor: SYSTEM, visibility: 'internal', data: { articleId: knowledge.articleId } });
      if (knowledge.kind === 'drafted') change.notifications.push(message('knowledge_draft', this.ticket, { type: 'supervisors' }, `A new solution from ${this.ticket.id} awaits review as article ${knowledge.articleId}.`));
    } else if (knowledge?.kind === 'missing') {
      change.events.push({ type: 'knowledge_missing', actor: SYSTEM, visibility: 'internal', data: { articleId: knowledge.articleId } });
    }
  }

  private async rate(cmd: CsatCommand): Promise<ChangeResult> {
    const survey = openSurvey(this.ticket);
    survey.status = 'answered';
    this.ticket.csat = { score: cmd.score, comment: cmd.comment ?? null, at: nowIso() };
    const change = newChange();
    change.events.push({ type: 'csat', actor: cmd.actor, visibility: 'public', data: { ...this.ticket.csat } });
    change.notifications.push(...this.toAssigneeIfAny('csat', `The requester rated the ticket ${cmd.score}/5.`));
    return this.changes.record(change);
  }

  private async review(cmd: ReviewCommand): Promise<ChangeResult> {
    const review = openReview(this.ticket);
    review.status = 'filed';
    review.filed = { rootCause: cmd.rootCause, timelineSummary: cmd.timelineSummary, actions: cmd.actions, lessons: cmd.lessons, filedBy: cmd.actor.id, filedAt: nowIso() };
    const change = newChange();
    change.events.push({ type: 'review_filed', actor: cmd.actor, visibility: 'internal', data: { ...review.filed } });
    change.notifications.push(...cmd.actions.map((a) => message('review_action', this.ticket, { type: 'agent', id: a.owner }, `Action from the review of ${this.ticket.id}: ${a.description} (due ${a.dueDate})`)));
    return this.changes.record(change);
  }

  private checkSuggestion(articleId: string) {
    nextStatus('selfServe', this.ticket.status);
    const found = this.ticket.suggestions.find((s) => s.articleId === articleId);
    if (!found) throw new Refusal('NotFound', `article ${articleId} was not suggested for this ticket`);
    return found;
  }

  // ── What each durable timer does when it fires (SPEC §7, §10, §12); timers.ts derives which is next ────

  private async onTimer(timer: Timer): Promise<void> {
    // The state may have moved on while this waited for the lock.
    const due = nextTimer(this.state);
    if (due?.kind !== timer.kind || nowMs() < due.at) return;
    const change = newChange();
    const clock = this.state.clock;
    const p = this.ticket.priority;
    switch (timer.kind) {
      case 'responseWarning':
      case 'resolutionWarning': {
        const which = timer.kind === 'responseWarning' ? 'response' : 'resolution';
        if (which === 'response') clock.responseWarned = true;
        else clock.resolutionWarned = true;
        const percent = this.state.sla!.policy.warnAtPercent;
        change.events.push({ type: 'sla_warning', actor: SYSTEM, visibility: 'internal', data: { clock: which, percent, due: this.ticket.sla[`${which}Due`] } });
        const text = `${percent}% of the ${which} target for ${p} has passed; due ${this.ticket.sla[`${which}Due`]}.`;
        change.notifications.push(...this.toAssigneeIfAny('sla_warning', text), message('sla_warning', this.ticket, { type: 'supervisors' }, text));
        break;
      }
      case 'responseBreach':
      case 'resolutionBreach': {
        // Recorded, told, and escalated one tier (SPEC §7): the same escalation as by hand, by the system.
        const which = timer.kind === 'responseBreach' ? 'response' : 'resolution';
        const dueAt = this.ticket.sla[`${which}Due`];
        if (which === 'response') clock.responseBreached = true;
        else clock.resolutionBreached = true;
        change.events.push({ type: 'sla_breached', actor: SYSTEM, visibility: 'internal', data: { clock: which, due: dueAt } });
        const text = `The ${which} target for ${p} was missed (due ${dueAt}).`;
        change.notifications.push(...this.toAssigneeIfAny('sla_breached', text), message('sla_breached', this.ticket, { type: 'supervisors' }, text));
        const cannot = await this.escalate(SYSTEM, `${which} SLA ${p} breached`, undefined, change);
        if (cannot) change.events.push({ type: 'escalation_skipped', actor: SYSTEM, visibility: 'internal', data: { reason: cannot } });
        break;
      }
      case 'progressReminder':
        this.state.lastProgressAt = nowMs();
        change.events.push({ type: 'progress_reminder', actor: SYSTEM, visibility: 'internal', data: {} });
        change.notifications.push(this.toAssignee('progress_reminder', `No public update on ${this.ticket.id} (${p}) for ${humanDuration(this.state.sla!.policy.progressCadenceMs[p] ?? 0)}: please update the requester.`));
        break;
      case 'triageTimeout': {
        this.state.triageEscalated = true;
        const target = this.state.sla!.policy.triage.escalateTo ?? undefined;
        change.events.push({ type: 'triage_overdue', actor: SYSTEM, visibility: 'internal', data: { since: new Date(this.state.triageSince ?? nowMs()).toISOString() } });
        change.notifications.push(message('triage_overdue', this.ticket, { type: 'supervisors' }, `Ticket ${this.ticket.id} is still waiting for dispatch.`));
        if (target) {
          const cannot = await this.escalate(SYSTEM, 'triage target passed', target, change);
          if (cannot) change.events.push({ type: 'escalation_skipped', actor: SYSTEM, visibility: 'internal', data: { reason: cannot } });
        } else {
          const from = this.ticket.tier;
          this.ticket.tier = Math.min(3, from + 1) as Tier;
          change.events.push({ type: 'escalated', actor: SYSTEM, visibility: 'internal', data: { reason: 'triage target passed', automatic: true, from: { tier: from }, to: { tier: this.ticket.tier } } });
        }
        break;
      }
      case 'confirmationReminder':
        this.state.remindedFor = this.ticket.resolution?.resolvedAt ?? null;
        change.events.push({ type: 'confirmation_reminder', actor: SYSTEM, visibility: 'public', data: {} });
        change.notifications.push(message('confirmation_reminder', this.ticket, requesterOf(this.ticket), 'Reminder: please confirm whether the solution worked, or tell us it did not.'));
        break;
      case 'autoClose': {
        const window = humanDuration(this.state.settings.confirmationWindowMs);
        change.events.push(this.close(nextStatus('autoClose', this.ticket.status), SYSTEM, `closed automatically: no answer within ${window}`));
        change.notifications.push(message('closed', this.ticket, requesterOf(this.ticket), `We closed your ticket because we did not hear back within ${window}.`), ...this.toAssigneeIfAny('closed', 'Closed automatically after the confirmation window.'));
        await this.openClosingLoop(change);
        break;
      }
      case 'surveyClose':
        this.ticket.closure.survey!.status = 'expired';
        change.events.push({ type: 'survey_expired', actor: SYSTEM, visibility: 'internal', data: { closesAt: this.ticket.closure.survey!.closesAt } });
        break;
      case 'reviewReminder':
        this.state.reviewRemindedAt = nowMs();
        change.events.push({ type: 'review_reminder', actor: SYSTEM, visibility: 'internal', data: { dueAt: this.ticket.closure.review!.dueAt } });
        change.notifications.push(message('review_reminder', this.ticket, { type: 'supervisors' }, `The post-incident review of ${this.ticket.id} is due ${this.ticket.closure.review!.dueAt}.`));
        break;
      case 'reviewOverdue':
        this.ticket.closure.review!.status = 'overdue';
        change.events.push({ type: 'review_overdue', actor: SYSTEM, visibility: 'internal', data: { dueAt: this.ticket.closure.review!.dueAt } });
        change.notifications.push(message('review_overdue', this.ticket, { type: 'supervisors' }, `The post-incident review of ${this.ticket.id} was not filed by ${this.ticket.closure.review!.dueAt}.`));
        break;
    }
    await this.changes.record(change);
  }

  // ── How changes arrive: one Update per change, refused before the history when it cannot apply ─────────

  /** Registers an update whose validator refuses illegal changes before they reach the history. */
  private handle<A extends Command>(def: UpdateDefinition<ChangeResult, [A]>, apply: (cmd: A) => Promise<ChangeResult>, check: (cmd: A) => unknown): void {
    setHandler(
      def,
      (cmd) =>
        this.changes.lock.run(async () => {
          try {
            // Only after a failed intake (its opener was refused) could a change find the ticket unrecorded.
            if (!this.state.recorded) throw new Refusal('NotFound', 'the ticket was never recorded');
            // Checked again under the lock: a change accepted while another was under way may find the ticket moved on.
            this.mustSee(cmd.caller);
            this.mustBeAt(cmd.expectedVersion);
            return await this.changes.attempt(() => apply(cmd));
          } catch (err) {
            throw asFailure(err);
          }
        }),
      {
        validator: (cmd) => {
          try {
            // Unknown and invisible answer alike (SPEC §16): the API reads nothing before a change.
            this.mustSee(cmd.caller);
            // While a change is under way the ticket may be moving on, unstored yet: the handler decides, under the lock.
            if (!this.changes.lock.busy) this.mustBeAt(cmd.expectedVersion);
            check(cmd);
          } catch (err) {
            throw asFailure(err);
          }
        },
      },
    );
  }

  /** A caller who may not see the ticket (domain/roles.ts) learns nothing of it, not even that it exists. */
  private mustSee(caller: Command['caller']): void {
    if (caller && !canViewTicket(caller, this.ticket)) throw new Refusal('NotFound', 'ticket not found');
  }

  /** If-Match (SPEC §16): a change made against an older version of the ticket is refused. */
  private mustBeAt(expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && expectedVersion !== this.ticket.version) throw staleVersion(expectedVersion, this.ticket.version);
  }

  private mustBeOpen(): void {
    if (!isOpen(this.ticket.status)) throw illegal(`the ticket is ${this.ticket.status}`);
  }

  // ── Statuses, clocks and who hears of it ───────────────────────────────────────────────────────

  /** Changes the status and keeps the SLA clocks in step: waiting on the customer and awaiting confirmation pause the resolution clock. */
  private moveTo(status: TicketStatus, actor: Actor, reason: string | null, visibility: 'public' | 'internal' = 'public'): NewTimelineEvent {
    const from = this.ticket.status;
    this.ticket.status = status;
    const now = nowMs();
    if (status === 'waiting_on_customer' || status === 'resolved') pause(this.state.clock, now);
    else if (status === 'closed' || status === 'cancelled') stop(this.state.clock, now);
    else resume(this.state.clock, now);
    return { type: 'status_changed', actor, visibility, data: { from, to: status, reason } };
  }

  private close(status: TicketStatus, actor: Actor, reason: string): NewTimelineEvent {
    const event = this.moveTo(status, actor, reason);
    this.ticket.closedAt = nowIso();
    return event;
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
