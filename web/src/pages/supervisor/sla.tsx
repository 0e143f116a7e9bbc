// Tickets at SLA risk (SPEC §7): those that breached a deadline, and those whose deadline falls within the hour,
// nearest deadline first. From here a supervisor reassigns a ticket or overrides its priority with a reason
// (the deadlines are then recomputed from the ticket's creation).
import { useRef, useState } from 'preact/hooks';
import { getDirectory } from '../../api/directory';
import { listQueue } from '../../api/queues';
import { Loading, Page } from '../../components/page';
import { Notice, ProblemAlert } from '../../components/problem';
import { StaffTicketFacts, TicketHeading } from '../../components/staff-ticket';
import { SupervisionTabs } from '../../components/supervision-tabs';
import { AssignForm, PriorityForm } from '../../components/ticket-actions';
import { usePagedList, useResource } from '../../hooks';
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
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const directory = useResource((signal) => getDirectory(signal), []);
  const list = usePagedList((cursor, signal) => listQueue(queue, { sort: 'due', cursor }, signal), [queue, version]);
  const top = useRef<HTMLDivElement>(null);

  const reload = () => setVersion((v) => v + 1);
  const done = (said: string) => {
    setNotice(said);
    setVersion((v) => v + 1);
    top.current?.focus();
  };

  return (
    <Page title={view.title}>
      <SupervisionTabs current={`/supervisor/sla/${queue}`} version={version} />
      <div ref={top} tabIndex={-1} class="focus-anchor">
        <Notice>{notice}</Notice>
      </div>
      <p class="hint">{view.hint}</p>
      <ProblemAlert error={list.error ?? directory.error} />
      {list.loading && list.items.length === 0 && <Loading what="the tickets" />}
      {!list.loading && !list.error && list.items.length === 0 && <p class="empty">{view.empty}</p>}
      <ul class="ticket-cards">
        {list.items.map((ticket) => (
          <li key={ticket.id} class="card ticket-card">
            <article aria-labelledby={`t-${ticket.id}`}>
              <TicketHeading ticket={ticket} id={`t-${ticket.id}`} />
              <StaffTicketFacts ticket={ticket} directory={directory.data} />
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
                <AssignForm ticket={ticket} directory={directory.data} onDone={(_r, said) => done(said)} onStale={reload} />
              </details>
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
