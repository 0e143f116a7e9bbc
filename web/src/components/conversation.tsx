// A ticket's timeline as a conversation: comments as messages (with their files), everything else as one line
// saying what happened. All text is rendered as text (Preact escapes it); never as HTML.
import type { TimelineEvent, TicketStatus } from '../api/types';
import { formatDateTime, statusLabel } from '../format';
import { Link } from '../router';
import { AttachmentList, type ListedAttachment } from './attachments';
import { Time } from './ticket-bits';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** One line per event type that is not a comment; an unknown type still shows, by its name. */
function describe(event: TimelineEvent): string {
  const d = event.data;
  switch (event.type) {
    case 'created':
      return `Ticket opened${d.priority ? ` with priority ${text(d.priority)}` : ''}${d.channel ? ` (${text(d.channel)})` : ''}.`;
    case 'knowledge_suggested':
      return 'Articles that may help were suggested.';
    case 'status_changed':
      return `Status: ${statusLabel(d.from as TicketStatus)} → ${statusLabel(d.to as TicketStatus)}${d.reason ? ` (${text(d.reason)})` : ''}.`;
    case 'resolved':
      return `Resolved: ${text(d.summary)}`;
    case 'reopened':
      return `Reopened${d.reason ? `: ${text(d.reason)}` : '.'}`;
    case 'self_service':
      return `Solved with the article “${text(d.title)}”.`;
    case 'csat':
      return `Rated ${String(d.score)} out of 5${d.comment ? `: ${text(d.comment)}` : '.'}`;
    case 'survey_offered':
      return `A satisfaction survey is open until ${formatDateTime(text(d.closesAt))}.`;
    case 'confirmation_reminder':
      return 'Reminder: please confirm the resolution or say what is still wrong.';
    default:
      return event.type.replace(/_/g, ' ');
  }
}

export function Conversation({ events, me, onDownload }: { events: TimelineEvent[]; me: string; onDownload?: (file: ListedAttachment) => void }) {
  if (events.length === 0) return <p>Nothing has happened yet.</p>;
  return (
    <ol class="conversation">
      {events.map((event) => {
        const who = event.actor.id === me ? 'You' : event.actor.role === 'system' ? 'Support desk' : (event.actor.name ?? event.actor.id);
        if (event.type === 'comment') {
          const files = Array.isArray(event.data.attachments) ? (event.data.attachments as ListedAttachment[]) : [];
          return (
            <li key={event.seq} class={event.actor.id === me ? 'message message-mine' : 'message'}>
              <p class="message-meta">
                <strong>{who}</strong> <Time iso={event.at} />
              </p>
              <p class="message-body">{text(event.data.body)}</p>
              {files.length > 0 && <AttachmentList files={files} ticketId={event.ticketId} onDownload={onDownload} />}
            </li>
          );
        }
        const suggestions = event.type === 'knowledge_suggested' && Array.isArray(event.data.suggestions) ? (event.data.suggestions as Array<{ articleId: string; title: string }>) : [];
        return (
          <li key={event.seq} class="event">
            <span class="event-text">{describe(event)}</span>
            {suggestions.length > 0 && (
              <ul class="inline-list">
                {suggestions.map((s) => (
                  <li key={s.articleId}>
                    <Link to={`/kb/${encodeURIComponent(s.articleId)}`}>{s.title}</Link>
                  </li>
                ))}
              </ul>
            )}{' '}
            <span class="event-meta">
              {who} · <Time iso={event.at} />
            </span>
          </li>
        );
      })}
    </ol>
  );
}
