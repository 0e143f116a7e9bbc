// The ticket workflow's messages: what the API may send it and ask it (SPEC §16).
// Every change is an Update, so the caller learns whether the workflow accepted it and gets the result
// only once the change is stored; refusals come back as typed failures the API maps to 404/409/422.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Attachment, Impact, Priority, ReviewAction, Ticket, TicketIntake, Urgency } from '../domain/ticket';
import type { Principal } from '../domain/roles';
import type { Actor, TimelineEvent, Visibility } from '../domain/timeline';
import type { TicketState } from './state';

export const WORKFLOW_TYPE = 'ticketWorkflow';
/** Erasure of a person and the retention policy's runs (workflows/privacy.ts), on the same task queue. */
export const ERASURE_WORKFLOW = 'erasureWorkflow';
export const RETENTION_WORKFLOW = 'retentionWorkflow';

/** Desk-wide settings the API hands each new ticket; they stay fixed for that ticket's life. */
export interface DeskSettings {
  /** How long the requester has to confirm a resolution before it closes by itself (SPEC §10). */
  confirmationWindowMs: number;
  /** How long the satisfaction survey stays open after closure (SPEC §12). */
  surveyWindowMs: number;
  /** Business days to file a post-incident review (SPEC §12). */
  reviewWindowDays: number;
}

export const DEFAULT_SETTINGS: DeskSettings = {
  confirmationWindowMs: 3 * 24 * 3600 * 1000,
  surveyWindowMs: 7 * 24 * 3600 * 1000,
  reviewWindowDays: 5,
};

/** Identifies one intake request, so a repeated submission is recognised and a reused key for another request refused. */
export interface IntakeRequest {
  requestId: string;
  fingerprint: string;
}

export type TicketWorkflowInput = { intake: TicketIntake; request: IntakeRequest; settings: DeskSettings } | { resume: TicketState };

export interface OpenedTicket {
  ticket: Ticket;
  /** False when this request repeated an earlier one and got the original ticket back. */
  created: boolean;
}

/** What every change answers: the ticket as it now stands and the timeline events the change added. */
export interface ChangeResult {
  ticket: Ticket;
  events: TimelineEvent[];
}

/** Who sent a change through the API, as far as seeing the ticket goes (domain/roles.ts canViewTicket). */
export type Caller = Pick<Principal, 'sub' | 'role' | 'email' | 'groups'>;

export interface Command {
  actor: Actor;
  /** The API's caller: the change is refused as NotFound when they may not see the ticket (unknown and invisible alike). */
  caller?: Caller;
  /** The ticket version the caller saw (If-Match): the change is refused, changing nothing, when the ticket has moved on. */
  expectedVersion?: number;
}
export interface AssignCommand extends Command {
  group?: string;
  agent?: string;
  reason?: string;
}
export interface CommentCommand extends Command {
  body: string;
  visibility: Visibility;
  /** How it arrived, e.g. an email's Message-ID, kept on the timeline. */
  source?: { channel: 'email'; messageId: string };
  /** Files that came with it (stored already); listed on its event and on the ticket. */
  attachments?: Attachment[];
}
export interface StatusCommand extends Command {
  status: 'in_progress' | 'waiting_on_customer';
  reason?: string;
}
export interface ResolveCommand extends Command {
  summary: string;
  rootCause: string;
  steps: string;
  kbArticleId?: string;
  newKnowledge?: boolean;
}
export interface ReasonCommand extends Command {
  reason: string;
}
export interface EscalateCommand extends Command {
  reason: string;
  /** Defaults to the escalation target of the ticket's group. */
  toGroup?: string;
}
export interface CollaboratorCommand extends Command {
  agent: string;
}
export interface PriorityCommand extends Command {
  impact?: Impact;
  urgency?: Urgency;
  /** An explicit priority wins over the matrix. */
  priority?: Priority;
  reason: string;
}

/** Answers once the new ticket is recorded and dispatched; sent together with the start. */
export interface AcceptSuggestionCommand extends Command {
  articleId: string;
}
export interface CsatCommand extends Command {
  score: number;
  comment?: string;
}
export interface ReviewCommand extends Command {
  rootCause: string;
  timelineSummary: string;
  actions: ReviewAction[];
  lessons: string;
}

export const ticketOpened = defineUpdate<OpenedTicket, [IntakeRequest]>('ticketOpened');
export const assignTicket = defineUpdate<ChangeResult, [AssignCommand]>('assign');
export const addComment = defineUpdate<ChangeResult, [CommentCommand]>('comment');
export const changeStatus = defineUpdate<ChangeResult, [StatusCommand]>('changeStatus');
export const resolveTicket = defineUpdate<ChangeResult, [ResolveCommand]>('resolve');
export const confirmResolution = defineUpdate<ChangeResult, [Command]>('confirm');
export const rejectResolution = defineUpdate<ChangeResult, [ReasonCommand]>('reject');
export const cancelTicket = defineUpdate<ChangeResult, [ReasonCommand]>('cancel');
export const escalateTicket = defineUpdate<ChangeResult, [EscalateCommand]>('escalate');
export const addCollaborator = defineUpdate<ChangeResult, [CollaboratorCommand]>('addCollaborator');
export const overridePriority = defineUpdate<ChangeResult, [PriorityCommand]>('overridePriority');
export const acceptSuggestion = defineUpdate<ChangeResult, [AcceptSuggestionCommand]>('acceptSuggestion');
export const submitCsat = defineUpdate<ChangeResult, [CsatCommand]>('submitCsat');
export const fileReview = defineUpdate<ChangeResult, [ReviewCommand]>('fileReview');

export const currentTicket = defineQuery<Ticket>('ticket');
