// The ticket as the product knows it (SPEC §3, §16). Plain data: workflows, activities and the API share it.

export const STATUSES = ['new', 'triage', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const CHANNELS = ['portal', 'email', 'chat', 'phone', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const IMPACTS = ['extensive', 'significant', 'moderate', 'minor'] as const;
export type Impact = (typeof IMPACTS)[number];

export const URGENCIES = ['critical', 'high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TIERS = [1, 2, 3] as const;
export type Tier = (typeof TIERS)[number];

export type FieldValue = string | number | boolean;

export interface Person {
  id: string;
  name?: string;
  email?: string;
}

export interface Attachment {
  name: string;
  type: string;
  size: number;
  /** Where it is: an outside URL given at intake, or this API's download path for a file the desk keeps. */
  location: string;
  /** The desk's stored file (GridFS), when it keeps one. */
  id?: string;
  /** Attached to an internal note: staff only. */
  visibility?: 'internal';
}

export interface Assignment {
  group: string | null;
  agent: string | null;
}

export interface SlaState {
  policyId: string | null;
  responseDue: string | null;
  resolutionDue: string | null;
  firstRespondedAt: string | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  paused: boolean;
  /** Business time the resolution clock has stood still (waiting on the customer, awaiting confirmation). */
  pausedMs: number;
}

export interface Suggestion {
  articleId: string;
  title: string;
  score: number;
}

export interface Resolution {
  summary: string;
  rootCause: string;
  steps: string;
  kbArticleId: string | null;
  newKnowledge: boolean;
  resolvedBy: string;
  resolvedAt: string;
}

export interface Csat {
  score: number;
  comment: string | null;
  at: string;
}

export interface ReviewAction {
  description: string;
  owner: string;
  dueDate: string;
}

/** A post-incident review (SPEC §12). */
export interface Review {
  rootCause: string;
  timelineSummary: string;
  actions: ReviewAction[];
  lessons: string;
  filedBy: string;
  filedAt: string;
}

/** What the ticket still owes after it closes (SPEC §11, §12). */
export interface Closure {
  knowledge: { articleId: string; kind: 'drafted' | 'used' } | null;
  survey: { status: 'open' | 'answered' | 'expired'; closesAt: string } | null;
  review: { status: 'pending' | 'filed' | 'overdue'; dueAt: string; filed: Review | null } | null;
}

/** Counters the KPIs read (SPEC §13), kept by the workflow as things happen. */
export interface TicketStats {
  publicReplies: number;
  escalations: number;
  transfers: number;
  selfService: boolean;
}

export interface Ticket {
  id: string;
  title: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  impact: Impact;
  urgency: Urgency;
  channel: Channel;
  productLine: string;
  module: string | null;
  problemType: string;
  fields: Record<string, FieldValue>;
  attachments: Attachment[];
  requester: Person;
  assignment: Assignment;
  tier: Tier;
  collaborators: string[];
  sla: SlaState;
  suggestions: Suggestion[];
  reopenCount: number;
  resolution: Resolution | null;
  csat: Csat | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Skills an agent needs for this ticket, from the routing rule that placed it. */
  requiredSkills: string[];
  closure: Closure;
  stats: TicketStats;
  /** Increments with every change the workflow makes; stale writes never overwrite newer ones. */
  version: number;
}

/** What a channel hands over at intake, before the workflow classifies it. */
export interface TicketIntake {
  id: string;
  title: string;
  description: string;
  channel: Channel;
  productLine: string;
  module?: string;
  problemType: string;
  impact?: Impact;
  urgency?: Urgency;
  fields: Record<string, FieldValue>;
  attachments: Attachment[];
  requester: Person;
  /** Facts the template wants that the channel could not collect (email); the desk asks for them. */
  missingFacts?: string[];
}

export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'triage', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved'];

export const ticketWorkflowId = (ticketId: string) => `ticket-${ticketId}`;
