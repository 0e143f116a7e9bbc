// Tickets at SLA risk (SPEC §7): those that breached a deadline, and those whose deadline falls within the hour,
// nearest deadline first. From here a supervisor reassigns a ticket or overrides its priority with a reason
// (the deadlines are then recomputed from the ticket's creation).
import { StaffTicketFacts } from '../../components/staff-ticket';
import { SupervisionQueue } from '../../components/supervision-queue';
import { AssignForm, PriorityForm } from '../../components/ticket-actions';
import type { PageProps } from '../../routes';
import { NotFoundPage } from '../not-found';

const VIEWS = {
  breached: { title: 'SLA breached', hint: 'Open tickets that missed their first-response or resolution deadline, nearest running deadline first.', empty: 'No open ticket has breached its SLA.' },
  breaching: { title: 'SLA due within the hour', hint: 'Open tickets whose first-response or resolution deadline falls within the next hour, nearest first.', empty: 'No deadline falls within the hour.' },
} as const;

export function SlaPage({ params }: PageProps) {
  const queue = params.queue as keyof typeof VIEWS;
  if (!(queue in VIEWS)) return <NotFoundPage known={false} />;
  return <SlaQueue key={queue} queue={queue} />;
}

function SlaQueue({ queue }: { queue: keyof typeof VIEWS }) {
  const view = VIEWS[queue];
  return (
    <SupervisionQueue
      queue={queue}
      sort="due"
      title={view.title}
      tab={`/supervisor/sla/${queue}`}
      hint={view.hint}
      loadingWhat="the tickets"
      empty={view.empty}
      card={(ticket, { directory, done, reload }) => (
        <>
          <StaffTicketFacts ticket={ticket} directory={directory} />
          <details class="card-action">
            <summary>
              Change the priority<span class="visually-hidden"> of “{ticket.title}”</span>
            </summary>
            <PriorityForm ticket={ticket} onDone={(_r, said) => done(said)} onStale={reload} />
          </details>
          <details class="card-action">
            <summary>
              Reassign<span class="visually-hidden"> “{ticket.title}”</span>
            </summary>
            <AssignForm ticket={ticket} directory={directory} onDone={(_r, said) => done(said)} onStale={reload} />
          </details>
        </>
      )}
    />
  );
}
