// A ticket as the supervisor's lists show it: its title (a link to the ticket's page), priority, status, where it
// stands with its SLA deadlines, who has it, and who asked. Text from people is rendered as text.
import { agentName, groupName, type Directory } from '../api/directory';
import type { Priority, StaffTicket } from '../api/types';
import { capitalize, humanize } from '../format';
import { Link } from '../router';
import { Time } from './ticket-bits';

export function PriorityBadge({ priority }: { priority: Priority }) {
  return <span class={`badge badge-priority badge-${priority}`}>{priority}</span>;
}

/** A deadline and whether it was missed or met. */
function Deadline({ due, breached, metAt }: { due: string | null; breached: boolean; metAt?: string | null }) {
  if (breached) {
    return (
      <>
        <span class="badge badge-breached">Breached</span> <Time iso={due} />
      </>
    );
  }
  if (metAt) {
    return (
      <>
        Met <Time iso={metAt} />
      </>
    );
  }
  return due ? <Time iso={due} /> : <>None running</>;
}

export function StaffTicketFacts({ ticket, directory }: { ticket: StaffTicket; directory: Directory | undefined }) {
  const { assignment, sla } = ticket;
  return (
    <dl class="facts facts-card">
      <dt>Priority</dt>
      <dd>
        <PriorityBadge priority={ticket.priority} /> ({ticket.impact} impact, {ticket.urgency} urgency)
      </dd>
      <dt>Status</dt>
      <dd>{capitalize(humanize(ticket.status))}</dd>
      <dt>Request</dt>
      <dd>
        {capitalize(humanize(ticket.problemType))} · {humanize(ticket.productLine)}
        {ticket.module ? ` / ${ticket.module}` : ''} · by {ticket.channel}
      </dd>
      <dt>Requester</dt>
      <dd>{ticket.requester.name ?? ticket.requester.id}</dd>
      <dt>Assigned to</dt>
      <dd>
        {assignment.group ? groupName(directory, assignment.group) : 'No group (triage)'}
        {assignment.agent ? `, ${agentName(directory, assignment.agent)}` : assignment.group ? ', nobody yet' : ''} · tier {ticket.tier}
      </dd>
      <dt>Opened</dt>
      <dd>
        <Time iso={ticket.createdAt} />
      </dd>
      <dt>First response</dt>
      <dd>
        <Deadline due={sla.responseDue} breached={sla.responseBreached} metAt={sla.firstRespondedAt} />
      </dd>
      <dt>Resolution</dt>
      <dd>
        <Deadline due={sla.resolutionDue} breached={sla.resolutionBreached} metAt={ticket.resolution?.resolvedAt ?? null} />
        {sla.paused && !ticket.resolution ? ' (clock paused)' : ''}
      </dd>
    </dl>
  );
}

/** The ticket's title as a heading linking to its page (the staff ticket page), with its id. */
export function TicketHeading({ ticket, id }: { ticket: StaffTicket; id?: string }) {
  return (
    <h2 class="card-title" id={id}>
      <Link to={`/tickets/${ticket.id}`}>{ticket.title}</Link> <span class="mono id">{ticket.id}</span>
    </h2>
  );
}
