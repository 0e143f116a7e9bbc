// The custom search attributes a supervisor filters by in the Temporal UI (SPEC §15, §17).
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { Ticket } from '../domain/ticket';

export const TicketStatus = defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD);
export const TicketPriority = defineSearchAttributeKey('TicketPriority', SearchAttributeType.KEYWORD);
export const ProductLine = defineSearchAttributeKey('ProductLine', SearchAttributeType.KEYWORD);
export const AssignedGroup = defineSearchAttributeKey('AssignedGroup', SearchAttributeType.KEYWORD);
export const Assignee = defineSearchAttributeKey('Assignee', SearchAttributeType.KEYWORD);
export const TicketChannel = defineSearchAttributeKey('TicketChannel', SearchAttributeType.KEYWORD);
export const EscalationTier = defineSearchAttributeKey('EscalationTier', SearchAttributeType.INT);
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);
export const SlaResolutionDue = defineSearchAttributeKey('SlaResolutionDue', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [
  TicketStatus,
  TicketPriority,
  ProductLine,
  AssignedGroup,
  Assignee,
  TicketChannel,
  EscalationTier,
  SlaBreached,
  SlaResolutionDue,
];

/** The attributes that describe a ticket right now; null removes one that no longer applies (no agent, clock paused). */
export function searchAttributesOf(ticket: Ticket): SearchAttributeUpdatePair[] {
  return [
    { key: TicketStatus, value: ticket.status },
    { key: TicketPriority, value: ticket.priority },
    { key: ProductLine, value: ticket.productLine },
    { key: TicketChannel, value: ticket.channel },
    { key: EscalationTier, value: ticket.tier },
    { key: SlaBreached, value: ticket.sla.responseBreached || ticket.sla.resolutionBreached },
    { key: AssignedGroup, value: ticket.assignment.group },
    { key: Assignee, value: ticket.assignment.agent },
    { key: SlaResolutionDue, value: ticket.sla.resolutionDue ? new Date(ticket.sla.resolutionDue) : null },
  ];
}
