// RFC 9457 problem details: every error the API returns has this shape.
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../../platform/logger';
import { isStoreUnavailable } from '../../store/failures';

export interface FieldError {
  path: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    /** Extension members of the problem (RFC 9457 §3.2), e.g. the current ticket of a 412. */
    readonly members: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpProblem(400, detail, errors);
export const notFound = (what = 'resource') => new HttpProblem(404, `${what} not found`);
export const forbidden = (detail = 'your role may not do this') => new HttpProblem(403, detail);
export const unauthorized = (detail: string) => new HttpProblem(401, detail, undefined, { 'WWW-Authenticate': 'Bearer' });
export const conflict = (detail: string) => new HttpProblem(409, detail);
export const unprocessable = (detail: string, errors?: FieldError[]) => new HttpProblem(422, detail, errors);

export function sendProblem(res: Response, problem: HttpProblem): void {
  res
    .status(problem.status)
    .set(problem.headers)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.detail,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...problem.members,
    });
}

/** Turns anything thrown into a problem: known client errors keep their status, the rest is a 500 without internals. */
/** A request's path as logged: the codec key in a Temporal UI's codec path is a credential and never reaches the logs. */
export const loggedPath = (path: string) => path.replace(/^\/codec\/ui\/[^/]+/, '/codec/ui/…');

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.status >= 500) logger.error({ err, method: req.method, path: loggedPath(req.path) }, 'request failed');
    if (res.headersSent) return;
    sendProblem(res, problem);
  };
}

function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; limit?: number };
  // Errors raised by express's body parsers carry a status and a type.
  switch (e?.type) {
    case 'entity.parse.failed':
      return badRequest('the request body is not valid JSON');
    case 'entity.too.large':
      return new HttpProblem(413, `the request body is larger than ${e.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'unsupported body encoding');
    case 'request.aborted':
      return badRequest('the request was aborted');
  }
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new HttpProblem(status, TITLES[status] ?? 'bad request');
  if (isUnavailable(err)) {
    return new HttpProblem(503, 'a backing service is unavailable or slow, so the change is not confirmed: retry with the same Idempotency-Key', undefined, { 'Retry-After': '1' });
  }
  return new HttpProblem(500, 'something went wrong on our side; the request was not applied');
}

// gRPC codes Temporal answers with when it is down or slow: UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED.
const UNAVAILABLE_CODES = new Set([14, 4, 1]);
const GRPC_NOT_FOUND = 5;

/** MongoDB (or the database under it) or Temporal cannot be reached, or did not answer in time: the caller should retry. */
function isUnavailable(err: unknown): boolean {
  for (let e = err as { name?: string; code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
    if (isStoreUnavailable(e)) return true;
    if (e.name === 'ServiceError' || e.name === 'Error') {
      if (typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) return true;
      // The full server answers NOT_FOUND for its own namespace while it restarts or its database does: the
      // namespace exists (every request before used it), so this is "not now", not "no such thing".
      if (e.code === GRPC_NOT_FOUND && /^Namespace .* is not found/.test((e as { message?: string }).message ?? '')) return true;
    }
  }
  return false;
}
