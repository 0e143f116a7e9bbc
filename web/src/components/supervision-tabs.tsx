// The supervisor's work queues as tabs, each with how many tickets it holds now (GET /queues), and the
// knowledge drafts waiting for review. `version` changes after each change a page makes, so the counts follow.
import { getQueues, type QueueId } from '../api/queues';
import { useResource } from '../hooks';
import { Link } from '../router';

const TABS: Array<{ queue: QueueId; to: string }> = [
  { queue: 'triage', to: '/supervisor/triage' },
  { queue: 'breached', to: '/supervisor/sla/breached' },
  { queue: 'breaching', to: '/supervisor/sla/breaching' },
  { queue: 'reviews', to: '/supervisor/reviews' },
];

export const KNOWLEDGE_DRAFTS = '/knowledge/drafts';

export function SupervisionTabs({ current, version = 0 }: { current: string; version?: number }) {
  const queues = useResource((signal) => getQueues(signal), [version]);
  return (
    <nav aria-label="Supervision" class="tabs">
      <ul>
        {TABS.map(({ queue, to }) => {
          const found = queues.data?.items.find((q) => q.id === queue);
          return (
            <li key={queue}>
              <Link to={to} aria-current={current === to ? 'page' : undefined}>
                {found?.title ?? defaultTitle(queue)}
                {found && <span class="tab-count"> ({found.count})</span>}
              </Link>
            </li>
          );
        })}
        <li>
          <Link to={KNOWLEDGE_DRAFTS} aria-current={current === KNOWLEDGE_DRAFTS ? 'page' : undefined}>
            Knowledge drafts
          </Link>
        </li>
      </ul>
    </nav>
  );
}

/** What a tab says before GET /queues answers (the API's own titles replace these). */
const TITLES: Partial<Record<QueueId, string>> = { triage: 'Needs triage', breached: 'SLA breached', breaching: 'SLA due within the hour', reviews: 'Post-incident reviews pending' };
const defaultTitle = (queue: QueueId) => TITLES[queue] ?? queue;
