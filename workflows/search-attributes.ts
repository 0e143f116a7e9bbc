// The custom search attributes a supervisor filters by in the Temporal UI (SPEC §15, §17).
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
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

/** The attributes that describe a ticket right now; unset values are left out. */
export function searchAttributesOf(ticket: Ticket): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: TicketStatus, value: ticket.status },
    { key: TicketPriority, value: ticket.priority },
    { key: ProductLine, value: ticket.productLine },
    { key: TicketChannel, value: ticket.channel },
    { key: EscalationTier, value: ticket.tier },
    { key: SlaBreached, value: ticket.sla.responseBreached || ticket.sla.resolutionBreached },
  ];
  if (ticket.assignment.group) pairs.push({ key: AssignedGroup, value: ticket.assignment.group });
  if (ticket.assignment.agent) pairs.push({ key: Assignee, value: ticket.assignment.agent });
  if (ticket.sla.resolutionDue) pairs.push({ key: SlaResolutionDue, value: new Date(ticket.sla.resolutionDue) });
  return pairs;
}
