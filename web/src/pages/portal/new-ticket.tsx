// Filing a ticket: the problem type's template decides the details asked for (GET /templates), the API judges
// the whole form (POST /tickets) and its errors appear at their fields. Files are uploaded as they are chosen
// (POST /uploads) and the ticket names them by their uploadIds. While the requester types the title and
// description, knowledge articles that may already solve it are suggested (GET /kb/articles?q=…). "This solved
// it" there files nothing: no ticket exists yet for the API to record a self-service resolution on. Once a
// ticket is filed, its page offers the articles intake suggested, and accepting one of those is recorded
// (POST /tickets/{id}/suggestions/{articleId}/accept).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { attachmentRefs, type Upload } from '../../api/attachments';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { getIntakeCatalogue } from '../../api/intake';
import { searchArticles } from '../../api/knowledge';
import { createTicket, type NewTicket } from '../../api/tickets';
import type { Article, FieldValue, Impact, IntakeField, IntakeTemplate, Urgency } from '../../api/types';
import { AttachmentPicker } from '../../components/attachments';
import { Checkbox, onSubmit, Select, SubmitButton, TextArea, TextField } from '../../components/fields';
import { Loading, Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { useDebounced, useResource } from '../../hooks';
import { capitalize, humanize } from '../../format';
import { Link, navigate } from '../../router';

const IMPACTS: Array<{ value: Impact; label: string }> = [
  { value: 'minor', label: 'Only me' },
  { value: 'moderate', label: 'A few people' },
  { value: 'significant', label: 'A team or a department' },
  { value: 'extensive', label: 'The whole organisation' },
];
const URGENCIES: Array<{ value: Urgency; label: string }> = [
  { value: 'low', label: 'It can wait' },
  { value: 'medium', label: 'It slows my work down' },
  { value: 'high', label: 'It seriously hampers my work' },
  { value: 'critical', label: 'Work has stopped' },
];

type Draft = { problemType: string; productLine: string; title: string; description: string; impact: string; urgency: string; fields: Record<string, string | boolean> };
const EMPTY: Draft = { problemType: '', productLine: '', title: '', description: '', impact: '', urgency: '', fields: {} };

/** The template's facts as the API wants them: numbers as numbers, booleans as booleans, empty ones left out. */
function factsOf(template: IntakeTemplate | undefined, values: Draft['fields']): Record<string, FieldValue> {
  const facts: Record<string, FieldValue> = {};
  for (const field of template?.fields ?? []) {
    const value = values[field.key];
    if (value === undefined || value === '' || value === false) continue;
    if (field.type === 'number' && typeof value === 'string') {
      const n = Number(value.trim());
      facts[field.key] = value.trim() !== '' && Number.isFinite(n) ? n : value; // the API says what is wrong with it
    } else facts[field.key] = value;
  }
  return facts;
}

export function NewTicketPage() {
  const catalogue = useResource((signal) => getIntakeCatalogue(signal), []);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [solvedBy, setSolvedBy] = useState<Article | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState(false);
  const key = useRef(newIdempotencyKey());
  const form = useRef<HTMLFormElement>(null);

  const templates = catalogue.data?.items ?? [];
  const template = templates.find((t) => t.problemType === draft.problemType);
  const set = <K extends keyof Draft>(name: K, value: Draft[K]) => setDraft((d) => ({ ...d, [name]: value }));
  const setFact = (name: string, value: string | boolean) => setDraft((d) => ({ ...d, fields: { ...d.fields, [name]: value } }));
  const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
  const shownAtFields = ['problemType', 'productLine', 'title', 'description', 'impact', 'urgency', ...(template?.fields.map((f) => `fields.${f.key}`) ?? [])];

  // After a refusal, the keyboard and screen reader go to the first field to correct.
  useEffect(() => {
    if (error) (form.current?.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
  }, [error]);

  async function submit() {
    if (busy || uploading) return;
    setBusy(true);
    setError(null);
    const ticket: NewTicket = {
      title: draft.title,
      description: draft.description,
      channel: 'portal',
      productLine: draft.productLine,
      problemType: draft.problemType,
      ...(draft.impact ? { impact: draft.impact as Impact } : {}),
      ...(draft.urgency ? { urgency: draft.urgency as Urgency } : {}),
      fields: factsOf(template, draft.fields),
      ...(uploads.length ? { attachments: attachmentRefs(uploads) } : {}),
    };
    try {
      const created = await createTicket(ticket, key.current);
      navigate(`/tickets/${created.id}?filed=1`);
    } catch (err) {
      // A refusal applied nothing: the corrected form is a new request. After a failure to reach the API, the
      // same key lets a retry join a ticket that was perhaps opened after all.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) key.current = newIdempotencyKey();
      setError(err);
      setBusy(false);
    }
  }

  if (solvedBy) {
    return (
      <Page title="Glad it helped">
        <p>
          “{solvedBy.title}” solved it, so no ticket was filed. <Link to="/tickets">Back to my tickets</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title="New ticket">
      {catalogue.loading && <Loading what="the form" />}
      <ProblemAlert error={catalogue.error} />
      {catalogue.data && (
        <div class="with-aside">
          <form ref={form} class="form" onSubmit={onSubmit(submit)} noValidate aria-label="New ticket">
            <ProblemAlert error={error} shownAtFields={shownAtFields} />
            <Select
              label="What kind of request is it?"
              hint={template?.description}
              value={draft.problemType}
              onValue={(v) => set('problemType', v)}
              placeholder="Choose the kind of request…"
              options={templates.map((t) => ({ value: t.problemType, label: t.name }))}
              error={fieldErrors.problemType}
              required
            />
            {catalogue.data.productLines.length > 0 ? (
              <Select
                label="Which area is it about?"
                value={draft.productLine}
                onValue={(v) => set('productLine', v)}
                placeholder="Choose an area…"
                options={catalogue.data.productLines.map((p) => ({ value: p, label: capitalize(humanize(p)) }))}
                error={fieldErrors.productLine}
                required
              />
            ) : (
              <TextField label="Which area is it about?" value={draft.productLine} onValue={(v) => set('productLine', v)} error={fieldErrors.productLine} required />
            )}
            <TextField label="Title" hint="A short summary, e.g. “VPN drops every hour”" value={draft.title} onValue={(v) => set('title', v)} error={fieldErrors.title} required />
            <TextArea label="Description" hint="What happens, since when, what you already tried" rows={6} value={draft.description} onValue={(v) => set('description', v)} error={fieldErrors.description} required />
            {template && template.fields.length > 0 && (
              <fieldset>
                <legend>Details for {template.name.toLowerCase()}</legend>
                {template.fields.map((field) => (
                  <TemplateField key={field.key} field={field} value={draft.fields[field.key]} onValue={(v) => setFact(field.key, v)} error={fieldErrors[`fields.${field.key}`]} />
                ))}
              </fieldset>
            )}
            <fieldset>
              <legend>How much does it matter? (optional)</legend>
              <Select label="Who is affected?" value={draft.impact} onValue={(v) => set('impact', v)} placeholder="Not sure (the usual for this kind of request)" options={IMPACTS} error={fieldErrors.impact} />
              <Select label="How urgent is it?" value={draft.urgency} onValue={(v) => set('urgency', v)} placeholder="Not sure (the usual for this kind of request)" options={URGENCIES} error={fieldErrors.urgency} />
            </fieldset>
            <AttachmentPicker uploads={uploads} onUploads={setUploads} label="Attach files (optional)" sentWith="the ticket" onBusy={setUploading} />
            <SubmitButton busy={busy || uploading}>{busy ? 'Filing…' : uploading ? 'Uploading files…' : 'File the ticket'}</SubmitButton>
          </form>
          <Suggestions text={`${draft.title} ${draft.description}`.trim()} productLine={draft.productLine} onSolved={setSolvedBy} />
        </div>
      )}
    </Page>
  );
}

function TemplateField({ field, value, onValue, error }: { field: IntakeField; value: string | boolean | undefined; onValue(value: string | boolean): void; error?: string }) {
  const text = typeof value === 'string' ? value : '';
  const common = { label: field.label, error, required: field.required, name: `fields.${field.key}` };
  switch (field.type) {
    case 'text':
      return <TextArea {...common} rows={3} value={text} onValue={onValue} />;
    case 'number':
      return <TextField {...common} type="number" value={text} onValue={onValue} />;
    case 'date':
      return <TextField {...common} type="date" value={text} onValue={onValue} />;
    case 'boolean':
      return <Checkbox label={`${field.label}${field.required ? ' (required)' : ''}`} name={common.name} error={error} checked={value === true} onChecked={onValue} />;
    case 'enum':
      return <Select {...common} value={text} onValue={onValue} placeholder="Choose…" options={(field.options ?? []).map((o) => ({ value: o, label: o }))} />;
    case 'string':
    default:
      return <TextField {...common} value={text} onValue={onValue} />;
  }
}

/** Articles matching what the requester typed, looked up once typing pauses. */
function Suggestions({ text, productLine, onSolved }: { text: string; productLine: string; onSolved(article: Article): void }) {
  const query = useDebounced(text.length >= 4 ? text.slice(0, 200) : '', 400);
  const found = useResource((signal) => (query ? searchArticles(query, { limit: 3 }, signal).then((p) => p.items) : Promise.resolve([])), [query]);
  // Articles of the chosen area first; the others still help.
  const articles = useMemo(() => [...(found.data ?? [])].sort((a, b) => Number(b.productLine === productLine) - Number(a.productLine === productLine)), [found.data, productLine]);
  return (
    <aside class="suggestions" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading">Articles that may solve it</h2>
      <p class="hint" role="status">
        {!query ? 'Start typing the title or description to see articles that may help.' : found.loading ? 'Looking for articles…' : articles.length === 0 ? 'No article matches yet.' : `${articles.length} article${articles.length === 1 ? '' : 's'} may help.`}
      </p>
      {articles.length > 0 && (
        <ul class="cards">
          {articles.map((a) => (
            <li key={a.id} class="card">
              <h3>{a.title}</h3>
              <details>
                <summary>
                  Read the solution<span class="visually-hidden"> of “{a.title}”</span>
                </summary>
                <p class="prose">{a.problem}</p>
                <p class="prose">
                  <strong>Solution:</strong> {a.solution}
                </p>
              </details>
              <button type="button" class="button button-quiet" onClick={() => onSolved(a)}>
                This solved it: I need no ticket<span class="visually-hidden"> (“{a.title}”)</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
