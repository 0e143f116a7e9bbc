// One of the requester's tickets: what was asked, its files, the public conversation (the API gives requesters public
// events only, and the files of those), a reply box that takes files, and what the ticket's stage asks of the
// requester: confirm or reject a resolution, accept a suggested article, rate the closed ticket while the survey is
// open, or withdraw the ticket. Each action answers with the ticket as it now stands and the events it added; the
// page shows those. Files are downloaded through the API with the session's token.
import { Fragment } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { attachmentRefs, type Upload } from '../../api/attachments';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { getIntakeCatalogue } from '../../api/intake';
import { acceptSuggestion, addComment, cancelTicket, confirmResolution, getTicket, getTimeline, rateTicket, rejectResolution } from '../../api/tickets';
import type { ChangeResult, RequesterTicket } from '../../api/types';
import { canApply } from '../../../../domain/lifecycle';
import { AttachmentList, AttachmentPicker, useDownload } from '../../components/attachments';
import { Conversation } from '../../components/conversation';
import { onSubmit, SubmitButton, TextArea } from '../../components/fields';
import { Loading, Page } from '../../components/page';
import { Notice, ProblemAlert } from '../../components/problem';
import { StatusBadge, Time } from '../../components/ticket-bits';
import { capitalize, formatDateTime, humanize } from '../../format';
import { useResource } from '../../hooks';
import { Link } from '../../router';
import type { PageProps } from '../../routes';


/**
 * Runs one change at a time and keeps its outcome: the sentence that says it is done, or the error, kept with
 * the name of the action that failed so the form that asked shows it.
 */
function useAction(apply: (result: ChangeResult) => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<{ name: string; error: unknown } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(name: string, change: () => Promise<ChangeResult>, said: string): Promise<boolean> {
    if (busy) return false;
    setBusy(name);
    setFailed(null);
    setDone(null);
    try {
      apply(await change());
      setDone(said);
      return true;
    } catch (error) {
      setFailed({ name, error });
      return false;
    } finally {
      setBusy(null);
    }
  }
  /** The error of the named action, if it was the last to fail. */
  const errorOf = (name: string) => (failed?.name === name ? failed.error : null);
  /** Its field errors by field ("reason", "score", …). */
  const fieldErrorsOf = (name: string) => {
    const error = errorOf(name);
    return error instanceof ApiError ? error.fieldErrors() : {};
  };
  return { busy, done, run, errorOf, fieldErrorsOf };
}

export function TicketPage({ params, query, session }: PageProps) {
  const id = params.id!;
  const data = useResource(async (signal) => {
    const [ticket, events] = await Promise.all([getTicket(id, signal), getTimeline(id, signal)]);
    return { ticket, events };
  }, [id]);
  const catalogue = useResource((signal) => getIntakeCatalogue(signal), []);
  const apply = (result: ChangeResult) => {
    if (!data.data) return;
    const known = new Set(data.data.events.map((e) => e.seq));
    data.set({ ticket: result.ticket, events: [...data.data.events, ...result.events.filter((e) => !known.has(e.seq))].sort((a, b) => a.seq - b.seq) });
  };
  const action = useAction(apply);
  const { download, error: downloadError } = useDownload(id);

  if (!data.data) {
    return (
      <Page title="Ticket">
        {data.loading && <Loading what="the ticket" />}
        <ProblemAlert error={data.error} />
        <p>
          <Link to="/tickets">Back to my tickets</Link>
        </p>
      </Page>
    );
  }

  const { ticket, events } = data.data;
  const template = catalogue.data?.items.find((t) => t.problemType === ticket.problemType);
  const labelOf = (key: string) => template?.fields.find((f) => f.key === key)?.label ?? humanize(key);
  // What the requester may do now follows the lifecycle's table (domain/lifecycle.ts), as the workflow does.
  const finished = !canApply('cancel', ticket.status);

  return (
    <Page title={ticket.title}>
      <p class="meta">
        Ticket <span class="mono">{ticket.id}</span> · <StatusBadge status={ticket.status} /> · priority {ticket.priority} · opened <Time iso={ticket.createdAt} />
        {ticket.closedAt && (
          <>
            {' '}
            · closed <Time iso={ticket.closedAt} />
          </>
        )}
      </p>
      {query.get('filed') === '1' && (
        <p class="alert alert-ok" role="status">
          Your ticket was filed as {ticket.id}. You will find it under <Link to="/tickets">My tickets</Link>.
        </p>
      )}
      <Notice>{action.done}</Notice>
      <ProblemAlert error={downloadError} />

      {canApply('confirm', ticket.status) && ticket.resolution && <ResolutionPanel ticket={ticket} action={action} />}
      {ticket.closure.survey?.status === 'open' && !ticket.csat && <RatingForm ticket={ticket} action={action} />}
      {ticket.csat && (
        <p class="panel">
          You rated this ticket {ticket.csat.score} out of 5{ticket.csat.comment ? `: “${ticket.csat.comment}”` : '.'}
        </p>
      )}
      {canApply('selfServe', ticket.status) && ticket.suggestions.length > 0 && <SuggestedArticles ticket={ticket} action={action} />}

      <section aria-labelledby="request-heading" class="section">
        <h2 id="request-heading">Your request</h2>
        <p class="prose">{ticket.description}</p>
        <dl class="facts">
          <dt>Kind</dt>
          <dd>{template?.name ?? humanize(ticket.problemType)}</dd>
          <dt>Area</dt>
          <dd>{capitalize(humanize(ticket.productLine))}</dd>
          {Object.entries(ticket.fields).map(([key, value]) => (
            <Fragment key={key}>
              <dt>{labelOf(key)}</dt>
              <dd>{typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value)}</dd>
            </Fragment>
          ))}
          {ticket.sla.resolutionDue && !finished && (
            <>
              <dt>Target for a solution</dt>
              <dd>
                <Time iso={ticket.sla.resolutionDue} />
              </dd>
            </>
          )}
        </dl>
      </section>

      {ticket.attachments.length > 0 && (
        <section aria-labelledby="files-heading" class="section">
          <h2 id="files-heading">Files</h2>
          <p class="hint">The files of your request and of the conversation.</p>
          <AttachmentList files={ticket.attachments} ticketId={ticket.id} onDownload={download} />
        </section>
      )}

      <section aria-labelledby="conversation-heading" class="section">
        <h2 id="conversation-heading">Conversation</h2>
        <Conversation events={events} me={session.principal.sub} onDownload={download} />
        {finished ? (
          <p class="hint">
            This ticket is {ticket.status}. If the problem comes back, <Link to="/tickets/new">file a new ticket</Link>.
          </p>
        ) : (
          <ReplyForm ticket={ticket} action={action} />
        )}
      </section>

      {!finished && <CancelForm ticket={ticket} action={action} />}
    </Page>
  );
}

type Action = ReturnType<typeof useAction>;
type Props = { ticket: RequesterTicket; action: Action };

function ReplyForm({ ticket, action }: Props) {
  const [body, setBody] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState(false);
  // A new picker (no messages left from the last reply) after each reply sent.
  const [round, setRound] = useState(0);
  // One key per reply: a retry of the same reply (its answer was lost) reuses it, a changed reply gets a new one.
  const keyed = useRef<{ key: string; reply: string } | null>(null);
  async function submit() {
    if (uploading) return;
    const attachments = attachmentRefs(uploads);
    const reply = JSON.stringify([body, attachments]);
    if (keyed.current?.reply !== reply) keyed.current = { key: newIdempotencyKey(), reply };
    const key = keyed.current.key;
    if (await action.run('reply', () => addComment(ticket.id, body, 'public', key, attachments), 'Your reply was sent.')) {
      setBody('');
      setUploads([]);
      setRound((r) => r + 1);
      keyed.current = null;
    }
  }
  const sending = action.busy === 'reply';
  return (
    <form class="form" onSubmit={onSubmit(submit)} noValidate aria-label="Reply">
      <ProblemAlert error={action.errorOf('reply')} shownAtFields={['body']} />
      <TextArea label="Your reply" rows={4} value={body} onValue={setBody} error={action.fieldErrorsOf('reply').body} required />
      <AttachmentPicker key={round} uploads={uploads} onUploads={setUploads} sentWith="your reply" onBusy={setUploading} />
      <SubmitButton busy={sending || uploading}>{sending ? 'Sending…' : uploading ? 'Uploading files…' : 'Send reply'}</SubmitButton>
    </form>
  );
}

function ResolutionPanel({ ticket, action }: Props) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const resolution = ticket.resolution!;
  return (
    <section class="panel panel-attention" aria-labelledby="resolution-heading">
      <h2 id="resolution-heading">Is your problem solved?</h2>
      <p>
        The desk resolved this ticket on {formatDateTime(resolution.resolvedAt)}: <span class="prose">{resolution.summary}</span>
      </p>
      <p class="prose">
        <strong>What was done:</strong> {resolution.steps}
      </p>
      {resolution.kbArticleId && (
        <p>
          <Link to={`/kb/${encodeURIComponent(resolution.kbArticleId)}`}>Read the knowledge article</Link>
        </p>
      )}
      <ProblemAlert error={action.errorOf('confirm')} />
      {!rejecting ? (
        <div class="button-row">
          <button type="button" class="button" onClick={() => void action.run('confirm', () => confirmResolution(ticket.id), 'Thank you: the ticket is closed.')} aria-busy={action.busy === 'confirm' ? true : undefined}>
            Yes, it is solved
          </button>
          <button type="button" class="button button-quiet" onClick={() => setRejecting(true)}>
            No, it is not solved
          </button>
        </div>
      ) : (
        <form
          class="form"
          noValidate
          aria-label="Reopen the ticket"
          onSubmit={onSubmit(async () => {
            if (await action.run('reject', () => rejectResolution(ticket.id, reason), 'The ticket is open again; the desk will come back to you.')) setRejecting(false);
          })}
        >
          <ProblemAlert error={action.errorOf('reject')} shownAtFields={['reason']} />
          <TextArea label="What is still wrong?" rows={3} value={reason} onValue={setReason} error={action.fieldErrorsOf('reject').reason} required />
          <div class="button-row">
            <SubmitButton busy={action.busy === 'reject'}>Reopen the ticket</SubmitButton>
            <button type="button" class="button button-quiet" onClick={() => setRejecting(false)}>
              Back
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function RatingForm({ ticket, action }: Props) {
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const survey = ticket.closure.survey!;
  async function submit() {
    if (score === null) return setMissing(true);
    setMissing(false);
    await action.run('rate', () => rateTicket(ticket.id, score, comment.trim() || undefined), 'Thank you for your rating.');
  }
  const scoreError = missing ? 'Choose a rating from 1 to 5.' : action.fieldErrorsOf('rate').score;
  return (
    <section class="panel" aria-labelledby="rating-heading">
      <h2 id="rating-heading">How did we do?</h2>
      <p class="hint">You can rate this ticket until {formatDateTime(survey.closesAt)}.</p>
      <form class="form" onSubmit={onSubmit(submit)} noValidate aria-label="Rate this ticket">
        <ProblemAlert error={action.errorOf('rate')} shownAtFields={['score', 'comment']} />
        <fieldset class={scoreError ? 'rating field-invalid' : 'rating'} aria-describedby={scoreError ? 'rating-error' : undefined}>
          <legend>Your rating (1 = very poor, 5 = excellent)</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} class="rating-option">
              <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} />
              {n}
            </label>
          ))}
          {scoreError && (
            <p class="field-error" id="rating-error">
              {scoreError}
            </p>
          )}
        </fieldset>
        <TextArea label="Anything to add? (optional)" rows={3} value={comment} onValue={setComment} error={action.fieldErrorsOf('rate').comment} />
        <SubmitButton busy={action.busy === 'rate'}>Send rating</SubmitButton>
      </form>
    </section>
  );
}

function SuggestedArticles({ ticket, action }: Props) {
  return (
    <section class="panel" aria-labelledby="suggested-heading">
      <h2 id="suggested-heading">Did one of these solve it?</h2>
      <p class="hint">When you filed the ticket these articles matched it. If one solves your problem, say so and the ticket closes.</p>
      <ProblemAlert error={ticket.suggestions.map((s) => action.errorOf(`accept-${s.articleId}`)).find(Boolean)} />
      <ul class="cards">
        {ticket.suggestions.map((s) => (
          <li key={s.articleId} class="card">
            <Link to={`/kb/${encodeURIComponent(s.articleId)}`}>{s.title}</Link>
            <button
              type="button"
              class="button button-quiet"
              aria-busy={action.busy === `accept-${s.articleId}` ? true : undefined}
              onClick={() => void action.run(`accept-${s.articleId}`, () => acceptSuggestion(ticket.id, s.articleId), `Glad “${s.title}” helped: the ticket is closed.`)}
            >
              This solved it<span class="visually-hidden"> (“{s.title}”)</span>: close the ticket
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CancelForm({ ticket, action }: Props) {
  const [reason, setReason] = useState('');
  return (
    <details class="panel">
      <summary>Withdraw this ticket</summary>
      <form
        class="form"
        noValidate
        aria-label="Withdraw this ticket"
        onSubmit={onSubmit(async () => {
          await action.run('cancel', () => cancelTicket(ticket.id, reason), 'The ticket is withdrawn.');
        })}
      >
        <ProblemAlert error={action.errorOf('cancel')} shownAtFields={['reason']} />
        <TextArea label="Why do you withdraw it?" rows={2} value={reason} onValue={setReason} error={action.fieldErrorsOf('cancel').reason} required />
        <SubmitButton busy={action.busy === 'cancel'}>Withdraw the ticket</SubmitButton>
      </form>
    </details>
  );
}

