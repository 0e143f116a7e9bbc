// Files (POST /uploads, GET /tickets/{id}/attachments/{attachmentId}): uploaded first, then attached to a comment by
// their uploadId; downloaded with the session's token (a plain link would carry none), then saved by the browser.
import { request } from './client';

export interface Upload {
  uploadId: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
}

export function uploadFile(file: File, signal?: AbortSignal): Promise<Upload> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request<Upload>('POST', '/uploads', { body: form, signal });
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
