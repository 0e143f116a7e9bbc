// Everything the ticket workflow knows, in one object: it is what continue-as-new carries over.
import type { SlaClock } from '../domain/sla/clock';
import type { SlaSnapshot } from '../domain/sla/policy';
import type { Ticket } from '../domain/ticket';
import type { DeskSettings, IntakeRequest } from './definitions';

export interface TicketState {
  ticket: Ticket;
  /** Sequence number of the last timeline event. */
  seq: number;
  settings: DeskSettings;
  /** The request that opened the ticket, to recognise its repeats. */
  request: IntakeRequest;
  /** True once intake is stored and dispatched. */
  recorded: boolean;
  /** Template facts the channel could not collect, asked for in the acknowledgement. */
  missingFacts: string[];
  /** The resolution (by its time) the requester was already reminded to confirm. */
  remindedFor: string | null;
  /** The SLA policy and calendars the ticket started with; null when the desk has no policy at all. */
  sla: SlaSnapshot | null;
  clock: SlaClock;
  /** Last time the requester heard from the desk (or the assignee was reminded), for the update cadence. */
  lastProgressAt: number;
  /** When the ticket entered triage, and whether its triage timeout already escalated it. */
  triageSince: number | null;
  triageEscalated: boolean;
  /** Last reminder to file the post-incident review. */
  reviewRemindedAt: number | null;
  /** What the backlog KPIs last recorded of the ticket (status, keys), to write them only when it changes. */
  backlogKey?: string;
  /** The KPI ledger bucket of the ticket's fact, handed out when intake is stored (none for tickets from before). */
  kpiBucket?: string;
}
