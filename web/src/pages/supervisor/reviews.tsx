// Post-incident reviews due (SPEC §12): closed P0/P1 tickets and tickets that breached their SLA owe a review
// within a window. The supervisor files it here (POST /tickets/{id}/review): root cause, a summary of the
// timeline, actions with an owner and a due date each, and lessons learned. A filed review leaves the queue.
import { useRef, useState } from 'preact/hooks';
import { fileReview } from '../../api/supervisor';
import type { StaffTicket } from '../../api/types';
import { onSubmit, SubmitButton, TextArea, TextField } from '../../components/fields';
import { StaffTicketFacts } from '../../components/staff-ticket';
import { SupervisionQueue } from '../../components/supervision-queue';
import { ChangeAlert, focusFirstInvalid, useChange } from '../../components/ticket-actions';
import { Time } from '../../components/ticket-bits';

export function ReviewsPage() {
  return (
    <SupervisionQueue
      queue="reviews"
      sort="created"
      title="Post-incident reviews"
      tab="/supervisor/reviews"
      hint="Closed P0 and P1 tickets, and tickets that breached their SLA, owe a post-incident review before its due date; supervisors are reminded until it is filed."
      loadingWhat="the reviews due"
      empty="No review is due."
      card={(ticket, { directory, done, reload }) => (
        <>
          <p class="due">
            Review due <Time iso={ticket.closure.review?.dueAt} />
            {ticket.closedAt && (
              <>
                {' '}
                · closed <Time iso={ticket.closedAt} />
              </>
            )}
          </p>
          <StaffTicketFacts ticket={ticket} directory={directory} />
          {ticket.resolution && (
            <dl class="facts facts-card">
              <dt>Resolution</dt>
              <dd class="prose">{ticket.resolution.summary}</dd>
              <dt>Root cause given</dt>
              <dd class="prose">{ticket.resolution.rootCause}</dd>
            </dl>
          )}
          <details class="card-action">
            <summary>
              File the review<span class="visually-hidden"> of “{ticket.title}”</span>
            </summary>
            <ReviewForm ticket={ticket} onDone={done} onStale={reload} />
          </details>
        </>
      )}
    />
  );
}

interface ActionDraft {
  key: number;
  description: string;
  owner: string;
  dueDate: string;
}

let actionKeys = 0;
const blankAction = (): ActionDraft => ({ key: ++actionKeys, description: '', owner: '', dueDate: '' });

function ReviewForm({ ticket, onDone, onStale }: { ticket: StaffTicket; onDone(said: string): void; onStale(): void }) {
  const [rootCause, setRootCause] = useState(ticket.resolution?.rootCause ?? '');
  const [timelineSummary, setTimelineSummary] = useState('');
  const [lessons, setLessons] = useState('');
  const [actions, setActions] = useState<ActionDraft[]>(() => [blankAction()]);
  const change = useChange(onStale);
  const form = useRef<HTMLFormElement>(null);
  const errors = change.fieldErrors;

  const setAction = (key: number, patch: Partial<ActionDraft>) => setActions((list) => list.map((a) => (a.key === key ? { ...a, ...patch } : a)));

  async function submit() {
    const body = { rootCause, timelineSummary, lessons, actions: actions.map(({ description, owner, dueDate }) => ({ description, owner, dueDate })) };
    const result = await change.run((key) => fileReview(ticket, body, key));
    if (!result) return focusFirstInvalid(form.current);
    onDone(`The review of “${ticket.title}” is filed.`);
  }

  function addAction() {
    const added = blankAction();
    setActions((list) => [...list, added]);
    setTimeout(() => (form.current?.querySelector(`[data-action="${added.key}"] input`) as HTMLElement | null)?.focus(), 0);
  }

  const atFields = ['rootCause', 'timelineSummary', 'lessons', 'actions', ...actions.flatMap((_a, i) => ['description', 'owner', 'dueDate'].map((f) => `actions.${i}.${f}`))];
  return (
    <form ref={form} class="form" noValidate aria-label={`Post-incident review of “${ticket.title}”`} onSubmit={onSubmit(submit)}>
      <ChangeAlert error={change.error} shownAtFields={atFields} />
      <TextArea label="Root cause" rows={3} value={rootCause} onValue={setRootCause} error={errors.rootCause} required />
      <TextArea label="Timeline summary" hint="What happened when: detection, response, mitigation, resolution." rows={4} value={timelineSummary} onValue={setTimelineSummary} error={errors.timelineSummary} required />
      <fieldset class={errors.actions ? 'review-actions field-invalid' : 'review-actions'} aria-describedby={errors.actions ? `actions-error-${ticket.id}` : undefined}>
        <legend>Actions</legend>
        {errors.actions && (
          <p class="field-error" id={`actions-error-${ticket.id}`}>
            {errors.actions}
          </p>
        )}
        {actions.map((action, i) => (
          <fieldset key={action.key} class="review-action" data-action={action.key}>
            <legend>Action {i + 1}</legend>
            <TextField label="What is to be done" value={action.description} onValue={(v) => setAction(action.key, { description: v })} error={errors[`actions.${i}.description`]} required />
            <div class="form-row">
              <TextField label="Owner" value={action.owner} onValue={(v) => setAction(action.key, { owner: v })} error={errors[`actions.${i}.owner`]} required />
              <TextField label="Due date" type="date" value={action.dueDate} onValue={(v) => setAction(action.key, { dueDate: v })} error={errors[`actions.${i}.dueDate`]} required />
            </div>
            {actions.length > 1 && (
              <button type="button" class="button button-quiet" onClick={() => setActions((list) => list.filter((a) => a.key !== action.key))}>
                Remove action {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" class="button button-quiet" onClick={addAction}>
          Add an action
        </button>
      </fieldset>
      <TextArea label="Lessons learned" rows={3} value={lessons} onValue={setLessons} error={errors.lessons} required />
      <SubmitButton busy={change.busy}>{change.busy ? 'Filing…' : 'File the review'}</SubmitButton>
    </form>
  );
}
