// Files on a ticket, for requesters and staff alike: the list (files the desk keeps are downloaded with the session's
// token; files kept elsewhere are named with their location, as text), and the picker of a form, which uploads each
// chosen file at once (POST /uploads) so the ticket or the comment only names their uploadIds. The picker says what
// the API takes (GET /uploads/limits: the size limit in its hint, the media types in `accept`), and a file the API
// refuses (413 too large, 415 a type it does not take) is named at the field, with why.
import { useId, useState } from 'preact/hooks';
import { downloadAttachment, downloadPath, getUploadLimits, uploadFile, type Upload, type UploadLimits } from '../api/attachments';
import { ApiError } from '../api/client';
import { useResource } from '../hooks';
import { ProblemAlert } from './problem';

export interface ListedAttachment {
  name: string;
  type: string;
  size: number;
  location: string;
  id?: string;
  visibility?: 'internal';
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 102.4)) / 10} MB`;
}

export function AttachmentList({ files, ticketId, onDownload }: { files: ListedAttachment[]; ticketId: string; onDownload?: (file: ListedAttachment) => void }) {
  return (
    <ul class="files">
      {files.map((file, i) => (
        <li key={`${file.id ?? file.location}-${i}`}>
          {onDownload && downloadPath(ticketId, file.location) ? (
            <button type="button" class="button-link" onClick={() => onDownload(file)}>
              Download {file.name}
            </button>
          ) : (
            <span>
              {file.name} <span class="hint">({file.location})</span>
            </span>
          )}{' '}
          <span class="hint">
            {file.type}, {formatSize(file.size)}
            {file.visibility === 'internal' ? ', staff only' : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Downloads a file the ticket lists with the session's token; a failure is kept for the page to show. */
export function useDownload(ticketId: string) {
  const [error, setError] = useState<unknown>(null);
  const download = (file: ListedAttachment) => {
    const path = downloadPath(ticketId, file.location);
    if (!path) return;
    setError(null);
    downloadAttachment(path, file.name).catch(setError);
  };
  return { download, error };
}

/** Names people know for the media types the API takes; any other is shown as it is. */
const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'text/plain': 'plain text',
  'text/csv': 'CSV',
  'application/json': 'JSON',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/zip': 'ZIP',
  'application/gzip': 'gzip',
  'message/rfc822': 'email (.eml)',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
};

function describeLimits(limits: UploadLimits): string {
  const kinds = [...new Set(limits.types.map((t) => TYPE_NAMES[t] ?? t))];
  return `Up to ${formatSize(limits.maxBytes)} a file; ${kinds.join(', ')}.`;
}

/** Why the API did not take a file, when it refused the file itself (413, 415 at body.file); else null. */
function refusalOf(error: unknown, file: File, limits: UploadLimits | undefined): string | null {
  if (!(error instanceof ApiError) || (error.status !== 413 && error.status !== 415)) return null;
  const said = error.fieldErrors().file ?? error.detail;
  if (error.status === 413) return `“${file.name}” was not attached: it is too large (${formatSize(file.size)}); ${limits ? `a file may be at most ${formatSize(limits.maxBytes)}` : said}.`;
  return `“${file.name}” was not attached: files of type ${file.type || '(unknown)'} are not accepted${limits ? '' : ` (${said})`}.`;
}

interface PickerProps {
  uploads: Upload[];
  /** The uploaded files now: the caller keeps them, to send with the ticket or the comment. */
  onUploads(next: Upload[]): void;
  label?: string;
  /** What the files go with, for the hint ("the message", "the ticket"). */
  sentWith?: string;
  /** Uploading started or ended (a form waits for its files before it sends). */
  onBusy?(busy: boolean): void;
}

/** Chooses files and uploads them as they are chosen. */
export function AttachmentPicker({ uploads, onUploads, label = 'Attach files', sentWith = 'the message', onBusy }: PickerProps) {
  const id = useId();
  const limits = useResource((signal) => getUploadLimits(signal), []);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [said, setSaid] = useState('');

  const working = (on: boolean) => {
    setBusy(on);
    onBusy?.(on);
  };

  async function choose(input: HTMLInputElement) {
    const chosen = Array.from(input.files ?? []);
    if (chosen.length === 0) return;
    working(true);
    setRefused([]);
    setError(null);
    setSaid('Uploading…');
    const added: Upload[] = [];
    const notTaken: string[] = [];
    try {
      for (const file of chosen) {
        try {
          added.push(await uploadFile(file));
        } catch (err) {
          const why = refusalOf(err, file, limits.data);
          if (!why) throw err;
          notTaken.push(why);
        }
      }
    } catch (err) {
      setError(err);
    } finally {
      working(false);
      setRefused(notTaken);
      setSaid(added.length ? `${added.length === 1 ? 'One file' : `${added.length} files`} uploaded, to be sent with ${sentWith}.` : '');
      if (added.length) onUploads([...uploads, ...added]);
      input.value = '';
    }
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hint = `${limits.data ? `${describeLimits(limits.data)} ` : ''}Each file is uploaded when chosen and sent with ${sentWith}.`;
  return (
    <div class={refused.length ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <p class="hint" id={hintId}>
        {hint}
      </p>
      <input
        id={id}
        type="file"
        multiple
        accept={limits.data?.types.join(',')}
        aria-describedby={refused.length ? `${hintId} ${errorId}` : hintId}
        aria-invalid={refused.length ? true : undefined}
        onChange={(e) => void choose(e.currentTarget)}
      />
      {refused.length > 0 && (
        <div id={errorId} role="alert">
          {refused.map((message) => (
            <p key={message} class="field-error">
              {message}
            </p>
          ))}
        </div>
      )}
      <p class={busy ? 'hint' : 'visually-hidden'} role="status">
        {said}
      </p>
      <ProblemAlert error={error} />
      {uploads.length > 0 && (
        <ul class="files" aria-label="Chosen files">
          {uploads.map((u) => (
            <li key={u.uploadId}>
              {u.name} <span class="hint">({formatSize(u.size)})</span>{' '}
              <button type="button" class="button-link" onClick={() => onUploads(uploads.filter((x) => x.uploadId !== u.uploadId))}>
                Remove<span class="visually-hidden"> {u.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
