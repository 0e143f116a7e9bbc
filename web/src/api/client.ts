// The one way the console talks to the API: JSON over fetch with the session's bearer token. Every refusal
// becomes an ApiError carrying the problem+json details (RFC 9457), so forms can show `errors[].path` at their
// fields. A 401 ends the session (the token expired or was revoked) and the router shows the sign-in page.
import { endSession, currentSession } from '../session';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }

  /**
   * The field messages by path without the part of the request they came from ("body.fields.symptom" →
   * "fields.symptom"), for forms to show next to their fields.
   */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const e of this.errors) {
      const field = e.path.replace(/^(body|query|params|headers)\./, '');
      byField[field] = byField[field] ? `${byField[field]}; ${e.message}` : e.message;
    }
    return byField;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  /** JSON, or FormData sent as multipart/form-data (an upload). */
  body?: unknown;
  /** Repeats of the same change with the same key get the first answer instead of a second change. */
  idempotencyKey?: string;
  /** Extra headers (If-Match, …). */
  headers?: Record<string, string>;
  /** False for the routes that need no token (development sign-in). */
  auth?: boolean;
  signal?: AbortSignal;
  /** 'blob' reads the answer as a file (a download) instead of JSON. */
  read?: 'json' | 'blob';
  /** The request outlives the page (sent as the tab closes); unlike sendBeacon it carries the token. */
  keepalive?: boolean;
}

export function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const session = currentSession();
  if (options.auth !== false && session) headers.authorization = `Bearer ${session.token}`;
  const form = typeof FormData !== 'undefined' && options.body instanceof FormData;
  // The browser writes a FormData's content type itself, with its multipart boundary.
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

  let res: Response;
  try {
    res = await fetch(url(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
      keepalive: options.keepalive,
      credentials: 'omit',
      // Tickets change under other people's hands: always ask the API, never the browser's cache.
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'Unreachable', 'The support service cannot be reached. Check your connection and try again.');
  }
  if (res.ok && options.read === 'blob') return (await res.blob()) as T;
  const body = await readJson(res);
  if (res.ok) return body as T;
  const problem = (body ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
  const error = new ApiError(res.status, problem.title ?? res.statusText, problem.detail ?? messageFor(res.status), Array.isArray(problem.errors) ? problem.errors : []);
  if (res.status === 401 && options.auth !== false && session) endSession('Your sign-in has expired or is no longer valid. Please sign in again.');
  throw error;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageFor(status: number): string {
  if (status === 429) return 'Too many requests: wait a moment and try again.';
  if (status >= 500) return 'The support service had a problem. Try again in a moment.';
  return 'The request was refused.';
}

/** A fresh key for one intended change (a form submission); reuse it only to retry that same change. */
export function newIdempotencyKey(): string {
  // getRandomValues works outside secure contexts too (randomUUID does not), e.g. a desk served over plain http.
  return `web-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
