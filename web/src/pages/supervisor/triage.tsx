// Triage (SPEC §6): tickets no routing rule placed (or a rule sent to `manual`), nearest SLA deadline first. The
// supervisor assigns each to a group and, if they like, one of its agents (POST /tickets/{id}/assign); an
// assigned ticket leaves the queue.
import { SupervisionQueue } from '../../components/supervision-queue';
import { StaffTicketFacts } from '../../components/staff-ticket';
import { AssignForm } from '../../components/ticket-actions';

export function TriagePage() {
  return (
    <SupervisionQueue
      queue="triage"
      sort="due"
      title="Needs triage"
      tab="/supervisor/triage"
      hint="Tickets no routing rule placed, nearest SLA deadline first. Assign each to a group; name an agent, or let dispatch pick the available one with the fewest open tickets."
      loadingWhat="the triage queue"
      empty="Nothing to triage."
      card={(ticket, { directory, done, reload }) => (
        <>
          <p class="prose clamp">{ticket.description}</p>
          <StaffTicketFacts ticket={ticket} directory={directory} />
          <AssignForm ticket={ticket} directory={directory} onDone={(_result, said) => done(said)} onStale={reload} />
        </>
      )}
    />
  );
}
