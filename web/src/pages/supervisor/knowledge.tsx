// Knowledge drafts (SPEC §11): solutions agents marked as new become draft articles when their ticket closes.
// A knowledge owner (supervisor or admin) reads each and publishes it (it is then suggested at intake) or
// rejects it with a reason (POST /kb/articles/{id}/publish, /reject). The article's text is shown as text.
import { Fragment } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { agentName, getDirectory, type Directory } from '../../api/directory';
import { listDrafts, publishArticle, rejectArticle, type StaffArticle } from '../../api/supervisor';
import { onSubmit, SubmitButton, TextArea } from '../../components/fields';
import { Loading, Page } from '../../components/page';
import { Notice, ProblemAlert } from '../../components/problem';
import { SupervisionTabs, KNOWLEDGE_DRAFTS } from '../../components/supervision-tabs';
import { focusFirstInvalid } from '../../components/ticket-actions';
import { Time } from '../../components/ticket-bits';
import { capitalize, humanize } from '../../format';
import { usePagedList, useResource } from '../../hooks';
import { Link } from '../../router';
import type { PageProps } from '../../routes';

export function KnowledgeDraftsPage({ session }: PageProps) {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const list = usePagedList((cursor, signal) => listDrafts(cursor, signal), [version]);
  const directory = useResource((signal) => getDirectory(signal), []);
  const top = useRef<HTMLDivElement>(null);

  const done = (said: string) => {
    setNotice(said);
    setVersion((v) => v + 1);
    top.current?.focus();
  };

  return (
    <Page title="Knowledge drafts">
      {session.principal.role === 'supervisor' && <SupervisionTabs current={KNOWLEDGE_DRAFTS} version={version} />}
      <div ref={top} tabIndex={-1} class="focus-anchor">
        <Notice>{notice}</Notice>
      </div>
      <p class="hint">New solutions become drafts when their ticket closes. A published article is suggested to requesters at intake and to agents when they resolve; a rejected one is kept with the reason.</p>
      <ProblemAlert error={list.error} />
      {list.loading && list.items.length === 0 && <Loading what="the drafts" />}
      {!list.loading && !list.error && list.items.length === 0 && <p class="empty">No draft waits for review.</p>}
      <ul class="ticket-cards">
        {list.items.map((article) => (
          <li key={article.id} class="card ticket-card">
            <Draft article={article} directory={directory.data} onDone={done} />
          </li>
        ))}
      </ul>
      {list.hasMore && !list.loading && (
        <button type="button" class="button button-quiet" onClick={list.loadMore}>
          Show more drafts
        </button>
      )}
    </Page>
  );
}

function Draft({ article, directory, onDone }: { article: StaffArticle; directory: Directory | undefined; onDone(said: string): void }) {
  const [busy, setBusy] = useState<'publish' | 'reject' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const headingId = `a-${article.id}`;

  async function decide(decision: 'publish' | 'reject') {
    if (busy) return;
    setBusy(decision);
    setError(null);
    try {
      if (decision === 'publish') {
        await publishArticle(article.id);
        onDone(`“${article.title}” is published.`);
      } else {
        await rejectArticle(article.id, reason);
        onDone(`“${article.title}” is rejected.`);
      }
    } catch (err) {
      setError(err);
      if (decision === 'reject') focusFirstInvalid(form.current);
    } finally {
      setBusy(null);
    }
  }
  const reasonError = error instanceof ApiError ? error.fieldErrors().reason : undefined;

  return (
    <article aria-labelledby={headingId}>
      <h2 class="card-title" id={headingId}>
        {article.title} <span class="mono id">{article.id}</span>
      </h2>
      <dl class="facts facts-card">
        <dt>Product line</dt>
        <dd>
          {capitalize(humanize(article.productLine))}
          {article.module ? ` / ${article.module}` : ''}
        </dd>
        <dt>Tags</dt>
        <dd>{article.tags.length ? article.tags.join(', ') : 'None'}</dd>
        <dt>Written by</dt>
        <dd>
          {agentName(directory, article.author)}, <Time iso={article.createdAt} />
        </dd>
        <dt>From tickets</dt>
        <dd>
          {article.sourceTickets.length === 0
            ? 'None'
            : article.sourceTickets.map((id, i) => (
                <Fragment key={id}>
                  {i > 0 && ', '}
                  <Link to={`/tickets/${id}`}>{id}</Link>
                </Fragment>
              ))}
        </dd>
      </dl>
      <h3>Problem</h3>
      <p class="prose">{article.problem}</p>
      <h3>Symptoms</h3>
      <p class="prose">{article.symptoms}</p>
      <h3>Cause</h3>
      <p class="prose">{article.cause}</p>
      <h3>Solution</h3>
      <p class="prose">{article.solution}</p>
      <ProblemAlert error={error} shownAtFields={['reason']} />
      <div class="button-row">
        <button type="button" class="button" aria-busy={busy === 'publish' ? true : undefined} onClick={() => void decide('publish')}>
          Publish<span class="visually-hidden"> “{article.title}”</span>
        </button>
      </div>
      <details class="card-action">
        <summary>
          Reject<span class="visually-hidden"> “{article.title}”</span>
        </summary>
        <form ref={form} class="form" noValidate aria-label={`Reject “${article.title}”`} onSubmit={onSubmit(() => decide('reject'))}>
          <TextArea label="Why is it rejected?" rows={2} value={reason} onValue={setReason} error={reasonError} required />
          <SubmitButton busy={busy === 'reject'}>Reject the draft</SubmitButton>
        </form>
      </details>
    </article>
  );
}
