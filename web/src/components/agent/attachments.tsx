// Files on a ticket: the list (files the desk keeps are downloaded with the session's token; files kept elsewhere
// are named with their location, as text), and the composer's picker, which uploads each chosen file at once
// (POST /uploads) so the comment only names their uploadIds.
import { useId, useState } from 'preact/hooks';
import { uploadFile, type Upload } from '../../api/attachments';
import { ProblemAlert } from '../problem';

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

export function AttachmentList({ files, onDownload }: { files: ListedAttachment[]; onDownload?: (file: ListedAttachment) => void }) {
  return (
    <ul class="files">
      {files.map((file, i) => (
        <li key={`${file.id ?? file.location}-${i}`}>
          {file.id && onDownload ? (
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

/** Chooses files and uploads them; the caller keeps the uploaded ones (to send with the comment). */
export function AttachmentPicker({ uploads, onUploads, label = 'Attach files' }: { uploads: Upload[]; onUploads(next: Upload[]): void; label?: string }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function choose(input: HTMLInputElement) {
    const chosen = Array.from(input.files ?? []);
    if (chosen.length === 0) return;
    setBusy(true);
    setError(null);
    const added: Upload[] = [];
    try {
      for (const file of chosen) added.push(await uploadFile(file));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      onUploads([...uploads, ...added]);
      input.value = '';
    }
  }

  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="file" multiple aria-describedby={`${id}-hint`} onChange={(e) => void choose(e.currentTarget)} />
      <p class="hint" id={`${id}-hint`}>
        {busy ? 'Uploading…' : 'Each file is uploaded when chosen and sent with the message.'}
      </p>
      <ProblemAlert error={error} />
      {uploads.length > 0 && (
        <ul class="files">
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
