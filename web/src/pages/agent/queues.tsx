// The agent's work queues (GET /queues): assigned to me, unassigned in my groups, SLA due within the hour, waiting on
// the customer, breached (supervisors and admins get theirs too), each with its count; the chosen queue's tickets
// (GET /tickets?queue=…), nearest SLA deadline first or newest first, 20 at a time. Counts and list refresh every
// few seconds while the page is open and visible.
import { useEffect, useRef, useState } from 'preact/hooks';
import { agentName, getDirectory, groupName, type Directory } from '../../api/directory';
import { getQueues, listQueue, type Queue, type QueueId, type QueueSort } from '../../api/queues';
import type { StaffTicket } from '../../api/types';
import { countdown } from '../../components/agent/sla';
import { Loading, Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { Time } from '../../components/ticket-bits';
import { humanize } from '../../format';
import { useResource } from '../../hooks';
import { useNow, usePolling } from '../../polling';
import { Link, navigate } from '../../router';
import type { PageProps } from '../../routes';
import { nextDeadline } from '../../../../store/queues';

export const QUEUES_EVERY_MS = 5000;
const PAGE = 20;

const queuePath = (queue: string, sort: QueueSort) => `/queues?queue=${encodeURIComponent(queue)}${sort === 'created' ? '&sort=created' : ''}`;

interface ListState {
  key: string;
  items: StaffTicket[];
  next: string | null;
  loading: boolean;
  error: unknown;
}

export function QueuesPage({ query, session }: PageProps) {
  const sort: QueueSort = query.get('sort') === 'created' ? 'created' : 'due';
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [queuesError, setQueuesError] = useState<unknown>(null);
  const asked = query.get('queue');
  const current = queues ? (queues.find((q) => q.id === asked) ?? (asked ? null : queues[0])) : undefined;
  const key = current ? `${current.id}|${sort}` : '';
  const [list, setList] = useState<ListState>({ key: '', items: [], next: null, loading: true, error: null });
  const listRef = useRef(list);
  listRef.current = list;

  // The queue or the order changed: read its first page.
  useEffect(() => {
    if (!current) return;
    const controller = new AbortController();
    setList({ key, items: [], next: null, loading: true, error: null });
    listQueue(current.id, { sort, limit: PAGE }, controller.signal).then(
      (page) => setList({ key, items: page.items, next: page.nextCursor, loading: false, error: null }),
      (error: Error) => !controller.signal.aborted && error.name !== 'AbortError' && setList((l) => ({ ...l, loading: false, error })),
    );
    return () => controller.abort();
  }, [key]);

  async function loadMore() {
    if (!current || !list.next || list.loading) return;
    const at = list;
    setList({ ...at, loading: true });
    try {
      const page = await listQueue(current.id, { sort, limit: PAGE, cursor: at.next });
      setList((l) => (l.key === at.key ? { ...l, items: [...l.items, ...page.items], next: page.nextCursor, loading: false } : l));
    } catch (error) {
      setList((l) => (l.key === at.key ? { ...l, loading: false, error } : l));
    }
  }

  // Live: the counts, and the tickets shown so far (as many as are shown, up to 100), read again quietly.
  usePolling(
    async (signal) => {
      try {
        setQueues((await getQueues(signal)).items);
        setQueuesError(null);
      } catch (err) {
        if ((err as Error).name !== 'AbortError') setQueuesError(err);
        return;
      }
      const shown = listRef.current;
      const id = shown.key.split('|')[0] as QueueId;
      if (!shown.key || shown.loading) return;
      const page = await listQueue(id, { sort, limit: Math.min(100, Math.max(PAGE, shown.items.length)) }, signal);
      setList((l) => (l.key === shown.key && !l.loading ? { ...l, items: page.items, next: page.nextCursor, error: null } : l));
    },
    QUEUES_EVERY_MS,
    { immediately: true },
  );

  const now = useNow(15_000);
  const directory = useResource((signal) => getDirectory(signal), []);
  const heading = current ? current.title : 'Work queues';

  return (
    <Page title="Work queues">
      {queues === null && !queuesError && <Loading what="your queues" />}
      <ProblemAlert error={queuesError} />
      {queues && (
        <nav aria-label="Queues" class="tabs queue-tabs">
          <ul>
            {queues.map((q) => (
              <li key={q.id}>
                <Link to={queuePath(q.id, sort)} aria-current={current?.id === q.id ? 'page' : undefined}>
                  <span class="visually-hidden">{`${q.title}: ${q.count} ${q.count === 1 ? 'ticket' : 'tickets'}`}</span>
                  <span aria-hidden="true">
                    {q.title} <span class="count">{q.count}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {queues && current === null && (
        <p class="alert alert-error" role="alert">
          There is no queue “{asked}” for you. <Link to="/queues">Show your first queue</Link>
        </p>
      )}
      {current && (
        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">
            {heading} <span class="hint">({current.count === 1 ? '1 ticket' : `${current.count} tickets`})</span>
          </h2>
          <ProblemAlert error={list.error} />
          {list.items.length > 0 && (
            <table class="tickets queue">
              <caption class="visually-hidden">
                {heading}, {sort === 'due' ? 'nearest SLA deadline first' : 'newest first'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col">Ticket</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Status</th>
                  <th scope="col">Group and assignee</th>
                  <th scope="col" aria-sort={sort === 'due' ? 'ascending' : undefined}>
                    <button type="button" class="sort" onClick={() => navigate(queuePath(current.id, 'due'))}>
                      Next SLA deadline{sort === 'due' ? ' ▲' : ''}
                      <span class="visually-hidden">{sort === 'due' ? ' (sorted, nearest first)' : ' (sort by it, nearest first)'}</span>
                    </button>
                  </th>
                  <th scope="col" aria-sort={sort === 'created' ? 'descending' : undefined}>
                    <button type="button" class="sort" onClick={() => navigate(queuePath(current.id, 'created'))}>
                      Opened{sort === 'created' ? ' ▼' : ''}
                      <span class="visually-hidden">{sort === 'created' ? ' (sorted, newest first)' : ' (sort by it, newest first)'}</span>
                    </button>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((t) => (
                  <QueueRow key={t.id} ticket={t} me={session.principal.sub} now={now} directory={directory.data} />
                ))}
              </tbody>
            </table>
          )}
          {list.loading && list.items.length === 0 && <Loading what="tickets" />}
          {!list.loading && !list.error && list.items.length === 0 && <p class="empty">No tickets in this queue.</p>}
          {list.next && (
            <button type="button" class="button button-quiet" onClick={() => void loadMore()} aria-busy={list.loading ? true : undefined}>
              Show more tickets
            </button>
          )}
        </section>
      )}
    </Page>
  );
}

function QueueRow({ ticket: t, me, now, directory }: { ticket: StaffTicket; me: string; now: number; directory: Directory | undefined }) {
  const due = nextDeadline(t);
  const left = due ? countdown(due, now, false) : null;
  const breached = t.sla.responseBreached || t.sla.resolutionBreached;
  return (
    <tr>
      <td>
        <Link to={`/tickets/${t.id}`}>{t.title}</Link>
      </td>
      <td class="mono">{t.id}</td>
      <td>
        <span class={`badge badge-priority badge-${t.priority}`}>{t.priority}</span>
      </td>
      <td>
        <span class={`badge badge-${t.status}`}>{humanize(t.status)}</span>
      </td>
      <td>
        {t.assignment.group ? groupName(directory, t.assignment.group) : 'no group'}, {t.assignment.agent ? (t.assignment.agent === me ? 'you' : agentName(directory, t.assignment.agent)) : 'unassigned'}
      </td>
      <td class={left?.overdue || breached ? 'deadline deadline-overdue' : 'deadline'}>
        {due && left ? (
          <>
            {left.text}
            {breached ? ' (breached)' : ''}
            <br />
            <span class="hint">
              <Time iso={due} />
            </span>
          </>
        ) : t.sla.paused ? (
          'paused'
        ) : breached ? (
          'breached'
        ) : (
          'none'
        )}
      </td>
      <td>
        <Time iso={t.createdAt} />
      </td>
    </tr>
  );
}
