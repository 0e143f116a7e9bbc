// "My tickets": the requester's open or closed tickets, newest first, a page at a time.
import { CLOSED_STATUSES, listTickets, OPEN_STATUSES } from '../../api/tickets';
import { Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { StatusBadge, Time } from '../../components/ticket-bits';
import { usePagedList } from '../../hooks';
import { Link } from '../../router';
import type { PageProps } from '../../routes';

const VIEWS = {
  open: { label: 'Open', statuses: OPEN_STATUSES, empty: 'You have no open tickets.' },
  closed: { label: 'Closed', statuses: CLOSED_STATUSES, empty: 'You have no closed tickets.' },
} as const;
type View = keyof typeof VIEWS;

export function MyTicketsPage({ query }: PageProps) {
  const view: View = query.get('show') === 'closed' ? 'closed' : 'open';
  const list = usePagedList((cursor, signal) => listTickets({ status: [...VIEWS[view].statuses], cursor, limit: 20 }, signal), [view]);
  return (
    <Page
      title="My tickets"
      actions={
        <Link class="button" to="/tickets/new">
          New ticket
        </Link>
      }
    >
      <nav aria-label="Which tickets" class="tabs">
        <ul>
          {(Object.keys(VIEWS) as View[]).map((v) => (
            <li key={v}>
              <Link to={v === 'open' ? '/tickets' : '/tickets?show=closed'} aria-current={v === view ? 'page' : undefined}>
                {VIEWS[v].label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ProblemAlert error={list.error} />
      {list.items.length > 0 && (
        <table class="tickets">
          <caption class="visually-hidden">{VIEWS[view].label} tickets, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Ticket</th>
              <th scope="col">Status</th>
              <th scope="col">Opened</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link to={`/tickets/${t.id}`}>{t.title}</Link>
                </td>
                <td class="mono">{t.id}</td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td>
                  <Time iso={t.createdAt} />
                </td>
                <td>
                  <Time iso={t.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.loading && (
        <p class="loading" role="status">
          Loading tickets…
        </p>
      )}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p class="empty">
          {VIEWS[view].empty} {view === 'open' && <Link to="/tickets/new">File a ticket</Link>}
        </p>
      )}
      {list.hasMore && !list.loading && (
        <button type="button" class="button button-quiet" onClick={list.loadMore}>
          Show more tickets
        </button>
      )}
    </Page>
  );
}
