// The agent's reply box: a public reply (the requester sees it and gets it by mail) or an internal note (staff
// only), switched with two radio buttons and drawn differently; canned replies inserted into the text, to edit before
// sending; files uploaded and sent with the message. While it holds text the page counts it as a draft (presence
// says "replying", and its change carries the version the agent had when they started writing).
import { useEffect, useRef, useState } from 'preact/hooks';
import { attachmentRefs, type Upload } from '../../api/attachments';
import type { CannedReply } from '../../api/canned-replies';
import { postComment } from '../../api/staff-tickets';
import type { StaffTicket } from '../../api/types';
import { AttachmentPicker } from '../attachments';
import { Field, onSubmit, SubmitButton } from '../fields';
import { ProblemAlert } from '../problem';
import type { Changes } from './changes';

type Visibility = 'public' | 'internal';

interface ComposerProps {
  ticket: StaffTicket;
  replies: CannedReply[];
  changes: Changes;
  /** The draft opened (text or files) or closed (empty). */
  onDraft(open: boolean): void;
}

export function Composer({ ticket, replies, changes, onDraft }: ComposerProps) {
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [canned, setCanned] = useState('');
  const text = useRef<HTMLTextAreaElement>(null);
  // "Send anyway" after a 412 sends what the box holds then.
  const latest = useRef({ body, visibility, uploads });
  latest.current = { body, visibility, uploads };

  const open = body.trim() !== '' || uploads.length > 0;
  useEffect(() => onDraft(open), [open]);
  useEffect(() => () => onDraft(false), []);

  const name = 'comment';
  async function submit() {
    const internal = visibility === 'internal';
    const sent = await changes.perform(name, internal ? 'your internal note' : 'your public reply', internal ? 'Your internal note was added.' : 'Your public reply was sent.', (guard) => {
      const now = latest.current;
      return postComment(ticket.id, { body: now.body, visibility: now.visibility, attachments: attachmentRefs(now.uploads) }, guard);
    });
    if (sent) {
      setBody('');
      setUploads([]);
    }
  }

  function insert() {
    const reply = replies.find((r) => r.id === canned);
    if (!reply) return;
    setBody((current) => (current.trim() ? `${current.replace(/\s+$/, '')}\n\n${reply.body}` : reply.body));
    setCanned('');
    setTimeout(() => text.current?.focus());
  }

  const internal = visibility === 'internal';
  const errors = changes.fieldErrorsOf(name);
  return (
    <form class={internal ? 'form composer composer-internal' : 'form composer'} onSubmit={onSubmit(submit)} noValidate aria-label="Reply or note">
      <fieldset class="switch">
        <legend>Send as</legend>
        <label class="switch-option">
          <input type="radio" name="visibility" value="public" checked={!internal} onChange={() => setVisibility('public')} />
          Public reply
        </label>
        <label class="switch-option">
          <input type="radio" name="visibility" value="internal" checked={internal} onChange={() => setVisibility('internal')} />
          Internal note
        </label>
      </fieldset>
      <p class={internal ? 'composer-says composer-says-internal' : 'composer-says'}>
        {internal ? 'Internal note: only staff see it; the requester is not told.' : 'Public reply: the requester sees it and receives it by mail.'}
      </p>
      {replies.length > 0 && (
        <div class="canned">
          <Field label="Canned reply" hint="Inserted into the message, to edit before sending.">
            {(control) => (
              <select {...control} value={canned} onChange={(e) => setCanned(e.currentTarget.value)}>
                <option value="">Choose a canned reply…</option>
                {replies.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="button" class="button button-quiet" onClick={insert}>
            Insert
          </button>
        </div>
      )}
      <ProblemAlert error={changes.errorOf(name)} shownAtFields={['body']} />
      <Field label="Message" error={errors.body} required>
        {(control) => <textarea {...control} ref={text} name="body" rows={6} value={body} onInput={(e) => setBody(e.currentTarget.value)} />}
      </Field>
      <AttachmentPicker uploads={uploads} onUploads={setUploads} />
      <SubmitButton busy={changes.busy === name} class={internal ? 'button button-internal' : 'button'}>
        {changes.sending(name) ? 'Sending…' : internal ? 'Add internal note' : 'Send public reply'}
      </SubmitButton>
    </form>
  );
}
