// A ticket's whole timeline as staff read it (SPEC §9): public replies and internal notes as messages, each saying
// in words which it is (an internal note is also drawn differently), and every other event as one line saying what
// happened. Events that arrived while the page was open are marked "New". Everything is rendered as text.
import type { TimelineEvent } from '../../api/types';
import { formatDateTime, humanize } from '../../format';
import { Time } from '../ticket-bits';
import { AttachmentList, type ListedAttachment } from '../attachments';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Names for ids (groups, agents) where the page knows them. */
export interface Names {
  group(id: string | null | undefined): string;
  agent(id: string | null | undefined): string;
}

export const idNames: Names = { group: (id) => id ?? 'no group', agent: (id) => id ?? 'nobody' };

function placement(value: unknown, names: Names): string {
  const p = record(value);
  const group = p.group === null || p.group === undefined ? 'no group' : names.group(text(p.group));
  const agent = p.agent ? `, ${names.agent(text(p.agent))}` : ', nobody yet';
  const tier = typeof p.tier === 'number' ? ` (tier ${p.tier})` : '';
  return `${group}${tier}${agent}`;
}

const because = (reason: unknown) => (typeof reason === 'string' && reason ? `: ${reason}` : '.');

function recipient(value: unknown, names: Names): string {
  const to = record(value);
  switch (to.type) {
    case 'requester':
      return 'the requester';
    case 'agent':
      return names.agent(text(to.id));
    case 'supervisors':
      return 'the supervisors';
    case 'group':
      return `group ${names.group(text(to.id))}`;
    default:
      return text(to.type) || 'someone';
  }
}

/** One sentence per event type; an unknown type still shows, by its name. */
export function describeEvent(event: TimelineEvent, names: Names = idNames): string {
  const d = event.data;
  switch (event.type) {
    case 'created':
      return `Ticket opened${d.channel ? ` (${text(d.channel)})` : ''}${d.priority ? ` with priority ${text(d.priority)}` : ''}${Array.isArray(d.missingFacts) && d.missingFacts.length ? `; missing facts: ${d.missingFacts.map(text).join(', ')}` : ''}.`;
    case 'knowledge_suggested':
      return `Articles suggested to the requester: ${Array.isArray(d.suggestions) ? d.suggestions.map((s) => `“${text(record(s).title)}”`).join(', ') : ''}.`;
    case 'status_changed':
      return `Status: ${humanize(text(d.from))} → ${humanize(text(d.to))}${d.reason ? ` (${text(d.reason)})` : ''}.`;
    case 'assigned':
      return `Assigned to ${placement(d.to, names)}.`;
    case 'transferred':
      return `Transferred from ${placement(d.from, names)} to ${placement(d.to, names)}${because(d.reason)}`;
    case 'reassigned':
      return `Reassigned to ${placement(d.to, names)}${because(d.reason)}`;
    case 'escalated':
      return `${d.automatic ? 'Escalated automatically' : 'Escalated'} from ${placement(d.from, names)} to ${placement(d.to, names)}${because(d.reason)}`;
    case 'escalation_skipped':
      return `No automatic escalation${because(d.reason)}`;
    case 'triaged':
      return `Sent to triage${because(d.reason)}`;
    case 'triage_overdue':
      return 'The triage target has passed.';
    case 'sla_started':
      return `SLA policy “${text(d.policy)}” (${text(d.priority)}): first response due ${formatDateTime(text(d.responseDue))}, resolution due ${formatDateTime(text(d.resolutionDue))}.`;
    case 'sla_warning':
      return `SLA warning: ${String(d.percent)}% of the ${text(d.clock)} target has passed (due ${formatDateTime(text(d.due))}).`;
    case 'sla_breached':
      return `SLA breached: the ${text(d.clock)} target was missed (due ${formatDateTime(text(d.due))}).`;
    case 'progress_reminder':
      return 'Reminder: no public update within the progress interval.';
    case 'collaborator_added':
      return `${names.agent(text(d.agent))} was added as a collaborator.`;
    case 'priority_changed':
      return `Priority ${text(record(d.from).priority)} → ${text(record(d.to).priority)}${because(d.reason)}`;
    case 'resolved':
      return `Resolved: ${text(d.summary)}`;
    case 'reopened':
      return `Reopened by the requester${because(d.reason)}`;
    case 'self_service':
      return `Solved by the requester with the article “${text(d.title)}”.`;
    case 'csat':
      return `The requester rated it ${String(d.score)} out of 5${d.comment ? `: ${text(d.comment)}` : '.'}`;
    case 'survey_offered':
      return `Satisfaction survey open until ${formatDateTime(text(d.closesAt))}.`;
    case 'survey_expired':
      return 'The satisfaction survey closed without an answer.';
    case 'confirmation_reminder':
      return 'The requester was reminded to confirm the resolution.';
    case 'knowledge_drafted':
      return `New solution drafted as article ${text(d.articleId)}, awaiting review.`;
    case 'knowledge_used':
      return `Another use of article ${text(d.articleId)} recorded.`;
    case 'knowledge_missing':
      return `The linked article ${text(d.articleId)} no longer exists.`;
    case 'review_required':
      return `A post-incident review is due by ${formatDateTime(text(d.dueAt))}.`;
    case 'review_filed':
      return 'The post-incident review was filed.';
    case 'review_overdue':
      return 'The post-incident review is overdue.';
    case 'review_reminder':
      return 'The supervisors were reminded of the post-incident review.';
    case 'notified':
      return `Notified ${recipient(d.to, names)} (${humanize(text(d.kind))}).`;
    default:
      return `${humanize(event.type)}.`;
  }
}

export function actorName(event: TimelineEvent, me: string, names: Names = idNames): string {
  if (event.actor.id === me) return 'You';
  if (event.actor.role === 'system') return 'Support desk';
  return event.actor.name ?? (event.actor.role === 'agent' ? names.agent(event.actor.id) : event.actor.id);
}

const ROLE_WORDS: Record<string, string> = { requester: 'requester', agent: 'agent', supervisor: 'supervisor', admin: 'admin' };

interface TimelineProps {
  events: TimelineEvent[];
  me: string;
  names?: Names;
  /** Seqs of events that arrived while the page was open (marked "New"). */
  fresh?: ReadonlySet<number>;
  /** Offers downloads of a comment's files. */
  onDownload?: (file: ListedAttachment) => void;
}

export function StaffTimeline({ events, me, names = idNames, fresh, onDownload }: TimelineProps) {
  if (events.length === 0) return <p>Nothing has happened yet.</p>;
  return (
    <ol class="conversation timeline">
      {events.map((event) => (
        <TimelineItem key={event.seq} event={event} me={me} names={names} fresh={fresh?.has(event.seq) ?? false} onDownload={onDownload} />
      ))}
    </ol>
  );
}

export function TimelineItem({ event, me, names = idNames, fresh = false, onDownload }: { event: TimelineEvent; me: string; names?: Names; fresh?: boolean; onDownload?: (file: ListedAttachment) => void }) {
  const who = actorName(event, me, names);
  const isNew = fresh ? <span class="badge badge-new">New</span> : null;
  if (event.type === 'comment') {
    const internal = event.visibility === 'internal';
    const files = Array.isArray(event.data.attachments) ? (event.data.attachments as ListedAttachment[]) : [];
    const source = record(event.data.source).channel;
    const classes = ['message', internal ? 'message-internal' : 'message-public', event.actor.role === 'requester' ? 'message-requester' : '', event.actor.id === me ? 'message-mine' : '', fresh ? 'message-new' : '']
      .filter(Boolean)
      .join(' ');
    return (
      <li class={classes}>
        <p class="message-meta">
          <span class={internal ? 'kind kind-internal' : 'kind kind-public'}>{internal ? 'Internal note' : event.actor.role === 'requester' ? 'Requester' : 'Public reply'}</span>{' '}
          <strong>{who}</strong>
          {event.actor.role !== 'system' && event.actor.id !== me && ROLE_WORDS[event.actor.role] && event.actor.role !== 'requester' ? ` (${ROLE_WORDS[event.actor.role]})` : ''}
          {source ? ` by ${text(source)}` : ''} · <Time iso={event.at} /> {isNew}
        </p>
        <p class="message-body">{text(event.data.body)}</p>
        {files.length > 0 && <AttachmentList files={files} ticketId={event.ticketId} onDownload={onDownload} />}
      </li>
    );
  }
  const resolution = event.type === 'resolved' ? event.data : null;
  return (
    <li class={fresh ? 'event event-new' : event.type === 'notified' ? 'event event-quiet' : 'event'}>
      <span class="event-text">{describeEvent(event, names)}</span>
      {event.visibility === 'internal' && <span class="visually-hidden"> (internal)</span>}{' '}
      <span class="event-meta">
        {who} · <Time iso={event.at} />
      </span>{' '}
      {isNew}
      {resolution && (
        <dl class="facts facts-compact">
          <dt>Root cause</dt>
          <dd class="prose">{text(resolution.rootCause)}</dd>
          <dt>Steps</dt>
          <dd class="prose">{text(resolution.steps)}</dd>
          <dt>Knowledge</dt>
          <dd>{resolution.kbArticleId ? `article ${text(resolution.kbArticleId)}` : 'a new solution, to be drafted as an article'}</dd>
        </dl>
      )}
    </li>
  );
}
