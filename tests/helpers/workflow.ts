// Driving ticket workflows through the Temporal client, as the API does, for workflow-level tests.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Duration, UpdateDefinition } from '@temporalio/common';
import { ticketWorkflowId, type TicketIntake } from '../../domain/ticket';
import type { Actor } from '../../domain/timeline';
import { DEFAULT_SETTINGS, ticketOpened, WORKFLOW_TYPE, type ChangeResult, type DeskSettings } from '../../workflows/definitions';

export const people = {
  alice: { id: 'alice', role: 'requester', name: 'Alice Martin' },
  bob: { id: 'bob', role: 'requester' },
  ann: { id: 'ann', role: 'agent', name: 'Ann Lee' },
  ben: { id: 'ben', role: 'agent' },
  sam: { id: 'sam', role: 'supervisor', name: 'Sam Supervisor' },
} satisfies Record<string, Actor>;

export function openTicket(client: Client, taskQueue: string, intake: TicketIntake, settings: DeskSettings = DEFAULT_SETTINGS, workflowTaskTimeout?: Duration) {
  const request = { requestId: `r-${intake.id}`, fingerprint: `f-${intake.id}` };
  return client.workflow.executeUpdateWithStart(ticketOpened, {
    args: [request],
    startWorkflowOperation: new WithStartWorkflowOperation(WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(intake.id),
      taskQueue,
      args: [{ intake, request, settings }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      ...(workflowTaskTimeout ? { workflowTaskTimeout } : {}),
    }),
  });
}

export function change<C>(client: Client, ticketId: string, update: UpdateDefinition<ChangeResult, [C]>, command: C): Promise<ChangeResult> {
  return client.workflow.getHandle(ticketWorkflowId(ticketId)).executeUpdate(update, { args: [command] });
}

/** The failure type of a refused update (IllegalTransition, RuleViolation, …). */
export async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { cause?: { type?: string } }).cause?.type ?? (err as Error).name;
  }
  throw new Error('expected the update to be refused');
}
