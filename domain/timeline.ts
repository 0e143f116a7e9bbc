// The append-only work log of a ticket (SPEC §9). Each event has a per-ticket sequence number.
import type { Role } from './roles';

export type Visibility = 'public' | 'internal';

export interface Actor {
  id: string;
  role: Role | 'system';
  name?: string;
}

export const SYSTEM: Actor = { id: 'system', role: 'system' };

export interface TimelineEvent {
  ticketId: string;
  seq: number;
  at: string;
  type: string;
  actor: Actor;
  visibility: Visibility;
  data: Record<string, unknown>;
}

export type NewTimelineEvent = Omit<TimelineEvent, 'ticketId' | 'seq' | 'at'>;
