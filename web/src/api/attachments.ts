// Files (POST /uploads, GET /tickets/{id}/attachments/{attachmentId}): uploaded first, then attached to a new ticket
// or a comment by their uploadId; downloaded with the session's token (a plain link would carry none), then saved by
// the browser. What an upload may be (size, media types) is the API's to say (GET /uploads/limits), and to enforce.
import { request } from './client';

export interface Upload {
  uploadId: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
}

/** How a new ticket or a comment names an uploaded file. */
export interface AttachmentRef {
  uploadId: string;
}

export const attachmentRefs = (uploads: readonly Upload[]): AttachmentRef[] => uploads.map((u) => ({ uploadId: u.uploadId }));

/** GET /uploads/limits: the largest file POST /uploads takes, in bytes, and the media types it takes. */
export interface UploadLimits {
  maxBytes: number;
  types: string[];
}

export const getUploadLimits = (signal?: AbortSignal) => request<UploadLimits>('GET', '/uploads/limits', { signal });

export function uploadFile(file: File, signal?: AbortSignal): Promise<Upload> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request<Upload>('POST', '/uploads', { body: form, signal });
}

/**
 * The API path a listed file downloads from, when the desk keeps it: `/tickets/{id}/attachments/{attachmentId}` of
 * this very ticket. Anything else in `location` (a file kept elsewhere, named by whoever filed it) is only shown.
 */
export function downloadPath(ticketId: string, location: string): string | null {
  const prefix = `/tickets/${encodeURIComponent(ticketId)}/attachments/`;
  return location.startsWith(prefix) && /^[^/?#]+$/.test(location.slice(prefix.length)) ? location : null;
}

/** Fetches a file the ticket lists (its `location`, an API path) and hands it to the browser as a download. */
export async function downloadAttachment(location: string, name: string): Promise<void> {
  const blob = await request<Blob>('GET', location, { read: 'blob' });
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
