// Triage (SPEC §6): tickets no routing rule placed (or a rule sent to `manual`), nearest SLA deadline first. The
// supervisor assigns each to a group and, if they like, one of its agents (POST /tickets/{id}/assign); an
// assigned ticket leaves the queue.
import { useRef, useState } from 'preact/hooks';
import { getDirectory } from '../../api/directory';
import { listQueue } from '../../api/queues';
import { Loading, Page } from '../../components/page';
import { Notice, ProblemAlert } from '../../components/problem';
import { StaffTicketFacts, TicketHeading } from '../../components/staff-ticket';
import { SupervisionTabs } from '../../components/supervision-tabs';
import { AssignForm } from '../../components/ticket-actions';
import { usePagedList, useResource } from '../../hooks';

export function TriagePage() {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const directory = useResource((signal) => getDirectory(signal), []);
  const list = usePagedList((cursor, signal) => listQueue('triage', { sort: 'due', cursor }, signal), [version]);
  const top = useRef<HTMLDivElement>(null);

  const reload = () => setVersion((v) => v + 1);
  const done = (said: string) => {
    setNotice(said);
    setVersion((v) => v + 1);
    // The ticket's card is gone with the form that had the focus: keep the keyboard at the confirmation.
    top.current?.focus();
  };

  return (
    <Page title="Needs triage">
      <SupervisionTabs current="/supervisor/triage" version={version} />
      <div ref={top} tabIndex={-1} class="focus-anchor">
        <Notice>{notice}</Notice>
      </div>
      <p class="hint">Tickets no routing rule placed, nearest SLA deadline first. Assign each to a group; name an agent, or let dispatch pick the available one with the fewest open tickets.</p>
      <ProblemAlert error={list.error ?? directory.error} />
      {list.loading && list.items.length === 0 && <Loading what="the triage queue" />}
      {!list.loading && !list.error && list.items.length === 0 && <p class="empty">Nothing to triage.</p>}
      <ul class="ticket-cards">
        {list.items.map((ticket) => (
          <li key={ticket.id} class="card ticket-card">
            <article aria-labelledby={`t-${ticket.id}`}>
              <TicketHeading ticket={ticket} id={`t-${ticket.id}`} />
              <p class="prose clamp">{ticket.description}</p>
              <StaffTicketFacts ticket={ticket} directory={directory.data} />
              <AssignForm ticket={ticket} directory={directory.data} onDone={(_result, said) => done(said)} onStale={reload} />
            </article>
          </li>
        ))}
      </ul>
      {list.hasMore && !list.loading && (
        <button type="button" class="button button-quiet" onClick={list.loadMore}>
          Show more tickets
        </button>
      )}
    </Page>
  );
}
