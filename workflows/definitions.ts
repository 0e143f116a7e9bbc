// The ticket workflow's messages: what the API may send it and ask it.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Ticket, TicketIntake } from '../domain/ticket';

export const WORKFLOW_TYPE = 'ticketWorkflow';

/** Identifies one intake request, so a repeated submission is recognised and a reused key for another request refused. */
export interface IntakeRequest {
  requestId: string;
  fingerprint: string;
}

export interface TicketWorkflowInput {
  intake: TicketIntake;
  request: IntakeRequest;
}

export interface OpenedTicket {
  ticket: Ticket;
  /** False when this request repeated an earlier one and got the original ticket back. */
  created: boolean;
}

/** Answers once the new ticket is recorded in MongoDB; sent together with the start. */
export const ticketOpened = defineUpdate<OpenedTicket, [IntakeRequest]>('ticketOpened');

export const currentTicket = defineQuery<Ticket>('ticket');
