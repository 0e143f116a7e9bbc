// The API's side of the ticket workflows: start them, send them changes, map their refusals to HTTP.
import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { TicketIntake } from '../../domain/ticket';
import { ticketWorkflowId } from '../../domain/ticket';
import type { TicketStore } from '../../store/tickets';
import { ticketOpened, WORKFLOW_TYPE, type ChangeResult, type DeskSettings, type OpenedTicket } from '../../workflows/definitions';
import type { ticketWorkflow } from '../../workflows/ticket';
import { PayloadKeyError } from '../../platform/payload-keys';
import { conflict, HttpProblem, notFound, unprocessable } from '../http/problem';
import { fingerprint } from './ids';

/** Workflow refusals by failure type → HTTP status (SPEC §16). */
const REFUSALS: Record<string, number> = {
  IllegalTransition: 409,
  Conflict: 409,
  IdempotencyKeyReused: 422,
  // If-Match named a version the ticket has left (SPEC §16); the route adds the ticket as it is now.
  VersionMismatch: 412,
  RuleViolation: 422,
  NotFound: 404,
  // The store refused the change for good (e.g. text it cannot hold), or kept failing until its retries ran
  // out; either way nothing of the change was applied and the ticket takes the next one.
  StoreRefused: 422,
  StoreUnavailable: 503,
};

/** The ticket's workflow has ended (or never was): the ticket takes no more changes, if there is one. */
export class TicketEnded extends HttpProblem {
  constructor() {
    super(409, 'the ticket is closed and takes no more changes');
  }
}

export class TicketDesk {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly tickets: TicketStore,
    private readonly settings: DeskSettings,
    private readonly timeoutMs: number,
  ) {}

  /** Runs a call with a deadline, so a request never waits longer than the API promises. */
  private timed<T>(call: () => Promise<T>): Promise<T> {
    return this.client.connection.withDeadline(Date.now() + this.timeoutMs, call);
  }

  /** Starts the ticket's workflow, or finds the one a repeated request started; answers once the ticket is recorded. */
  async open(intake: TicketIntake, requestBody: unknown): Promise<OpenedTicket> {
    const request = { requestId: randomUUID(), fingerprint: fingerprint(requestBody) };
    try {
      return await this.timed(() => this.client.workflow.executeUpdateWithStart(ticketOpened, {
        args: [request],
        startWorkflowOperation: new WithStartWorkflowOperation<typeof ticketWorkflow>(WORKFLOW_TYPE, {
          workflowId: ticketWorkflowId(intake.id),
          taskQueue: this.taskQueue,
          args: [{ intake, request, settings: this.settings }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          // A finished ticket's id is never reused: a late repeat gets the recorded ticket instead.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: intake.title.slice(0, 200),
        }),
      }));
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const ticket = await this.tickets.findById(intake.id);
        if (ticket) return { ticket, created: false };
        // The workflow ended without storing its ticket: the store refused the intake (StoreRefused).
        throw unprocessable('this request was refused before and nothing was stored; send it again with another Idempotency-Key');
      }
      throw refusalToProblem(err);
    }
  }

  /**
   * Sends one change to the ticket's workflow and waits until it is stored. With a request key (Idempotency-Key,
   * an email's Message-ID) the update id is fixed, so Temporal answers a repeat with the first result.
   */
  async change<A extends [unknown, ...unknown[]]>(ticketId: string, update: UpdateDefinition<ChangeResult, A>, args: A, requestKey?: string): Promise<ChangeResult> {
    const handle = this.client.workflow.getHandle(ticketWorkflowId(ticketId));
    try {
      return await this.timed(async () => {
        if (!requestKey) return handle.executeUpdate(update, { args });
        // Temporal answers a repeated update id with its first outcome, so a StoreUnavailable (nothing applied, retry)
        // would come back for ever: a key names ids …, …#2, …#3, and a repeat looks past such outcomes to the next.
        for (let link = 1; ; link++) {
          const updateId = `${update.name}:${requestKey}${link > 1 ? `#${link}` : ''}`;
          try {
            return await handle.getUpdateHandle<ChangeResult>(updateId).result();
          } catch (err) {
            if (link < MAX_RETRIES_PER_KEY && failureType(err) === 'StoreUnavailable') continue;
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            return await handle.executeUpdate(update, { args, updateId });
          }
        }
      });
    } catch (err) {
      throw refusalToProblem(err);
    }
  }
}

const MAX_RETRIES_PER_KEY = 50;

const failureType = (err: unknown) => (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause.type : undefined);

export function refusalToProblem(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = err.cause.type ? REFUSALS[err.cause.type] : undefined;
    if (status === 409) return conflict(err.cause.message);
    if (status === 422) return unprocessable(err.cause.message);
    // The store just spent up to ~10 s failing: a few seconds' pause gives it a chance to come back.
    if (status === 503) return new HttpProblem(503, err.cause.message, undefined, { 'Retry-After': '5' });
    if (status) return new HttpProblem(status, err.cause.message);
  }
  // The workflow has finished: the ticket is closed or cancelled and takes no more changes.
  if (err instanceof WorkflowNotFoundError || /workflow execution already completed/i.test(String((err as Error)?.message))) {
    return new TicketEnded();
  }
  // Its payload key was destroyed (erasure, retention): nothing can be sent to it, and there is nothing left to see.
  if (err instanceof PayloadKeyError || (err as { cause?: unknown })?.cause instanceof PayloadKeyError) return notFound('ticket');
  return err;
}
