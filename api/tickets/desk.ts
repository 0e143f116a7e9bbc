// The API's side of the ticket workflows: start them, send them changes, map their refusals to HTTP.
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TicketIntake } from '../../domain/ticket';
import { ticketWorkflowId } from '../../domain/ticket';
import type { TicketStore } from '../../store/tickets';
import { ticketOpened, WORKFLOW_TYPE, type OpenedTicket } from '../../workflows/definitions';
import type { ticketWorkflow } from '../../workflows/ticket';
import { conflict, HttpProblem, unprocessable } from '../http/problem';
import { fingerprint } from './ids';

/** Workflow refusals by failure type → HTTP status (SPEC §16). */
const REFUSALS: Record<string, number> = {
  IllegalTransition: 409,
  Conflict: 409,
  IdempotencyKeyReused: 422,
  RuleViolation: 422,
  NotFound: 404,
};

export class TicketDesk {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly tickets: TicketStore,
  ) {}

  /** Starts the ticket's workflow, or finds the one a repeated request started; answers once the ticket is recorded. */
  async open(intake: TicketIntake, requestBody: unknown): Promise<OpenedTicket> {
    const { id } = intake;
    const intakeRequest = { requestId: randomUUID(), fingerprint: fingerprint(requestBody) };
    const workflowId = ticketWorkflowId(id);
    try {
      return await this.client.workflow.executeUpdateWithStart(ticketOpened, {
        args: [intakeRequest],
        startWorkflowOperation: new WithStartWorkflowOperation<typeof ticketWorkflow>(WORKFLOW_TYPE, {
          workflowId,
          taskQueue: this.taskQueue,
          args: [{ intake, request: intakeRequest }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          // A finished ticket's id is never reused: a late repeat gets the recorded ticket instead.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: intake.title.slice(0, 200),
        }),
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const ticket = await this.tickets.findById(id);
        if (ticket) return { ticket, created: false };
      }
      throw refusalToProblem(err);
    }
  }
}

export function refusalToProblem(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = err.cause.type ? REFUSALS[err.cause.type] : undefined;
    if (status === 409) return conflict(err.cause.message);
    if (status === 422) return unprocessable(err.cause.message);
    if (status) return new HttpProblem(status, err.cause.message);
  }
  return err;
}

