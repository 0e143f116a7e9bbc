// How a support organisation is set up (SPEC §6, §8, §14): groups, agents, routing rules, templates.
// Admins edit these; the rules below read them.
import type { Channel, Impact, Priority, Tier, Urgency } from './ticket';

export interface Group {
  id: string;
  name: string;
  tier: Tier;
  /** Where escalations from this group go; null at the top. */
  escalationTarget: string | null;
}

export interface Agent {
  id: string;
  name: string;
  email?: string;
  groups: string[];
  skills: string[];
  available: boolean;
}

/** What dispatch knows about an agent's current work. */
export interface AgentLoad {
  agentId: string;
  openTickets: number;
  lastAssignedAt: string | null;
}

export interface RoutingMatch {
  productLines?: string[];
  modules?: string[];
  problemTypes?: string[];
  channels?: Channel[];
  priorities?: Priority[];
  /** Any of these words in the title or description. */
  keywords?: string[];
}

export interface RoutingRule {
  id: string;
  name: string;
  match: RoutingMatch;
  /** A group id, or 'manual' for supervisor triage. */
  target: string;
  /** Skills an agent needs to take tickets routed by this rule. */
  skills: string[];
}

/** A canned reply (macro) agents start a reply from: for one group's agents, or (group null) for every group. */
export interface CannedReply {
  id: string;
  title: string;
  body: string;
  group: string | null;
}

export type FieldType = 'string' | 'text' | 'number' | 'boolean' | 'date' | 'enum';

export interface TemplateField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options?: string[];
}

export interface Template {
  problemType: string;
  name: string;
  description: string;
  fields: TemplateField[];
  defaultImpact?: Impact;
  defaultUrgency?: Urgency;
}
