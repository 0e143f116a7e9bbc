// Resolving (SPEC §10): a summary, the root cause and the steps, and either a knowledge article that holds the
// solution (searched with GET /kb/articles?q=, the ticket's own suggestions first) or the mark that the solution is
// new (the closing loop drafts an article from it for review, SPEC §11). The API judges the form; its errors show at
// their fields.
import { useEffect, useState } from 'preact/hooks';
import { canApply } from '../../../../domain/lifecycle';
import { searchArticles } from '../../api/knowledge';
import { resolve } from '../../api/staff-tickets';
import type { Article, StaffTicket } from '../../api/types';
import { useDebounced, useResource } from '../../hooks';
import { onSubmit, SubmitButton, TextArea, TextField } from '../fields';
import { ProblemAlert } from '../problem';
import type { Changes } from './changes';

interface ResolveProps {
  ticket: StaffTicket;
  changes: Changes;
  onDraft(name: string, open: boolean): void;
}

type Knowledge = 'link' | 'new';

export function ResolveForm({ ticket, changes, onDraft }: ResolveProps) {
  const [summary, setSummary] = useState('');
  const [rootCause, setRootCause] = useState('');
  const [steps, setSteps] = useState('');
  const [knowledge, setKnowledge] = useState<Knowledge>('link');
  const [articleId, setArticleId] = useState('');
  const [q, setQ] = useState(ticket.title);
  const settled = useDebounced(q.trim(), 300);
  const found = useResource((signal) => (settled ? searchArticles(settled, { limit: 6 }, signal) : Promise.resolve({ items: [] as Article[], nextCursor: null })), [settled]);

  const open = [summary, rootCause, steps].some((v) => v.trim() !== '');
  useEffect(() => onDraft('resolve', open), [open]);
  useEffect(() => () => onDraft('resolve', false), []);

  if (!canApply('resolve', ticket.status)) return null;

  // The ticket's suggestions first, then the search's usable articles (a rejected draft cannot be linked).
  const candidates: Array<{ id: string; title: string; note: string }> = [];
  for (const s of ticket.suggestions) candidates.push({ id: s.articleId, title: s.title, note: 'suggested at intake' });
  for (const a of found.data?.items ?? []) if (a.status !== 'rejected' && !candidates.some((c) => c.id === a.id)) candidates.push({ id: a.id, title: a.title, note: a.status });

  async function submit() {
    const body = { summary, rootCause, steps, ...(knowledge === 'new' ? { newKnowledge: true as const } : articleId ? { kbArticleId: articleId } : {}) };
    const sent = await changes.perform('resolve', 'the resolution', 'The ticket is resolved; the requester is asked to confirm.', (guard) => resolve(ticket.id, body, guard));
    if (sent) {
      setSummary('');
      setRootCause('');
      setSteps('');
      setArticleId('');
    }
  }

  const errors = changes.fieldErrorsOf('resolve');
  const kbError = errors.kbArticleId ?? errors.newKnowledge;
  return (
    <details class="panel action">
      <summary>Resolve</summary>
      <form class="form" noValidate aria-label="Resolve the ticket" onSubmit={onSubmit(submit)}>
        <ProblemAlert error={changes.errorOf('resolve')} shownAtFields={['summary', 'rootCause', 'steps', 'kbArticleId', 'newKnowledge']} />
        <TextArea label="Summary" hint="The requester reads it and is asked to confirm." rows={2} value={summary} onValue={setSummary} error={errors.summary} required />
        <TextArea label="Root cause" hint="For the desk only." rows={2} value={rootCause} onValue={setRootCause} error={errors.rootCause} required />
        <TextArea label="Steps taken" rows={3} value={steps} onValue={setSteps} error={errors.steps} required />
        <fieldset class={kbError ? 'knowledge field-invalid' : 'knowledge'} aria-describedby={kbError ? 'kb-error' : undefined}>
          <legend>Knowledge</legend>
          <label class="switch-option">
            <input type="radio" name="knowledge" value="link" checked={knowledge === 'link'} onChange={() => setKnowledge('link')} />
            Link a knowledge article
          </label>
          <label class="switch-option">
            <input type="radio" name="knowledge" value="new" checked={knowledge === 'new'} onChange={() => setKnowledge('new')} />
            The solution is new: draft an article for review
          </label>
          {knowledge === 'link' && (
            <div class="kb-search">
              <TextField label="Search the knowledge base" value={q} onValue={setQ} />
              {found.error ? <ProblemAlert error={found.error} /> : null}
              {candidates.length === 0 && !found.loading && <p class="hint">No article matches. Search again, or mark the solution as new.</p>}
              {candidates.length > 0 && (
                <fieldset class="kb-results">
                  <legend>Article to link</legend>
                  {candidates.map((c) => (
                    <label key={c.id} class="switch-option">
                      <input type="radio" name="kbArticleId" value={c.id} checked={articleId === c.id} onChange={() => setArticleId(c.id)} />
                      {c.title} <span class="hint">({c.id}, {c.note})</span>
                    </label>
                  ))}
                </fieldset>
              )}
            </div>
          )}
          {kbError && (
            <p class="field-error" id="kb-error">
              {knowledge === 'link' && !articleId ? 'Choose an article to link, or mark the solution as new.' : kbError}
            </p>
          )}
        </fieldset>
        <SubmitButton busy={changes.busy === 'resolve'}>{changes.sending('resolve') ? 'Resolving…' : 'Resolve the ticket'}</SubmitButton>
      </form>
    </details>
  );
}
