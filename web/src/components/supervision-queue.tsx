// One supervision queue (triage, SLA, reviews): its tab, a hint, the tickets as cards (nearest first, 20 at a
// time), and after each change a confirmation that keeps the keyboard, with the list and the tab counts read again.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { getDirectory, type Directory } from '../api/directory';
import { listQueue, type QueueId, type QueueSort } from '../api/queues';
import type { StaffTicket } from '../api/types';
import { usePagedList, useResource } from '../hooks';
import { Loading, Page } from './page';
import { Notice, ProblemAlert } from './problem';
import { TicketHeading } from './staff-ticket';
import { SupervisionTabs } from './supervision-tabs';

/** What a card's actions need: the directory, and what to do after a change (`done`) or a stale view (`reload`). */
export interface CardContext {
  directory: Directory | undefined;
  done: (said: string) => void;
  reload: () => void;
}

interface Props {
  queue: QueueId;
  sort: QueueSort;
  title: string;
  tab: string;
  hint: string;
  /** "Loading …" names this. */
  loadingWhat: string;
  empty: string;
  /** What the card shows under the ticket's heading. */
  card: (ticket: StaffTicket, context: CardContext) => ComponentChildren;
}

export function SupervisionQueue({ queue, sort, title, tab, hint, loadingWhat, empty, card }: Props) {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const directory = useResource((signal) => getDirectory(signal), []);
  const list = usePagedList((cursor, signal) => listQueue(queue, { sort, cursor }, signal), [queue, version]);
  const top = useRef<HTMLDivElement>(null);

  const context: CardContext = {
    directory: directory.data,
    reload: () => setVersion((v) => v + 1),
    done: (said) => {
      setNotice(said);
      setVersion((v) => v + 1);
      // The ticket's card is gone with the form that had the focus: keep the keyboard at the confirmation.
      top.current?.focus();
    },
  };

  return (
    <Page title={title}>
      <SupervisionTabs current={tab} version={version} />
      <div ref={top} tabIndex={-1} class="focus-anchor">
        <Notice>{notice}</Notice>
      </div>
      <p class="hint">{hint}</p>
      <ProblemAlert error={list.error ?? directory.error} />
      {list.loading && list.items.length === 0 && <Loading what={loadingWhat} />}
      {!list.loading && !list.error && list.items.length === 0 && <p class="empty">{empty}</p>}
      <ul class="ticket-cards">
        {list.items.map((ticket) => (
          <li key={ticket.id} class="card ticket-card">
            <article aria-labelledby={`t-${ticket.id}`}>
              <TicketHeading ticket={ticket} id={`t-${ticket.id}`} />
              {card(ticket, context)}
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
