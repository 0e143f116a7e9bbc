// What a store error means for the write that met it. Refused: the data's fault, the same write fails the same way
// however often it is sent, so it is not retried. Unavailable: the store is down, restarting or failing over, so
// the write waits for it (and the API answers 503). Anything else gets a few attempts. The API and the activities
// share these rules. No imports: the workflow code shares the failure types below.

/** A write the store refuses for good (activities throw it non-retryable); the API answers 422. */
export const STORE_REFUSED = 'StoreRefused';
/** An error neither a refusal nor an outage explains, still there after a few attempts. */
export const STORE_FAILED = 'StoreFailed';
/** A change whose write kept failing until its retries ran out; nothing of it stays, the API answers 503. */
export const STORE_UNAVAILABLE = 'StoreUnavailable';

// MongoDB server codes that say the write itself is wrong: BadValue, FailedToParse, TypeMismatch, InvalidBSON,
// PathNotViable, ConflictingUpdateOperators, DollarPrefixedFieldName, InvalidDBRef, EmptyFieldName,
// DottedFieldName, ImmutableField, DocumentValidationFailure, KeyTooLong, BSONObjectTooLarge.
const PERMANENT_CODES = new Set([2, 9, 14, 22, 28, 40, 52, 55, 56, 57, 66, 121, 17280, 10334]);

// FerretDB answers PostgreSQL's refusals as InternalError (code 1) carrying the SQLSTATE: class 22 (data
// exception, e.g. 22P05 for a NUL character jsonb cannot hold) and 54 (program limit exceeded) fail every time.
const PERMANENT_SQLSTATE = /\(SQLSTATE (22|54)[0-9A-Z]{3}\)/;

// Raised by the driver or Mongoose before anything is sent: a key with a NUL byte, a document over 16 MiB, a
// value that does not cast to the schema.
const PERMANENT_CLIENT_ERRORS = new Set(['BSONError', 'MongoInvalidArgumentError', 'ValidationError', 'CastError']);

interface StoreError {
  name?: string;
  code?: unknown;
  message?: string;
  writeErrors?: unknown;
}

/** True when the store refused the write for what it holds, so a retry would fail the same way. */
export function isPermanentStoreError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as StoreError;
  if (PERMANENT_CLIENT_ERRORS.has(e.name ?? '')) return true;
  if (!/^Mongo(Server|BulkWrite|WriteConcern)Error$/.test(e.name ?? '')) return false;
  if (typeof e.code === 'number' && PERMANENT_CODES.has(e.code)) return true;
  if (e.code === 1 && PERMANENT_SQLSTATE.test(e.message ?? '')) return true;
  const writeErrors = Array.isArray(e.writeErrors) ? (e.writeErrors as Array<{ code?: number }>) : [];
  return writeErrors.some((w) => typeof w.code === 'number' && PERMANENT_CODES.has(w.code));
}

// MongoDB codes for a server that cannot serve right now: HostUnreachable, HostNotFound, NetworkTimeout,
// ShutdownInProgress, PrimarySteppedDown, NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange,
// NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary, SocketException, ExceededTimeLimit, MaxTimeMSExpired.
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436, 9001, 262, 50]);

// FerretDB answers "PostgreSQL is down or restarting" as InternalError (code 1) with the driver's words: it
// could not connect, or PostgreSQL's SQLSTATE class 08 (connection), 53 (resources) or 57P0x (shutting down,
// starting up after a crash).
const UNAVAILABLE_BACKEND = /failed to connect|SQLSTATE (08|53|57P0)|conn closed|unexpected EOF|connection reset|broken pipe/i;

// The driver's words for a connection the server dropped or refused mid-command.
const DROPPED_CONNECTION = /^connection \d+ to .+ closed$|ECONNREFUSED|ECONNRESET|Server selection timed out/;

/** True when the store cannot be reached or cannot serve right now (down, restarting, failing over): retry later. */
export function isStoreUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as StoreError & { cause?: unknown; errorResponse?: unknown };
  if (/^Mongo(Network|NetworkTimeout|ServerSelection|NotConnected|PoolCleared|TopologyClosed)Error$/.test(e.name ?? '')) return true;
  if (/^Mongo(Server|BulkWrite|WriteConcern)Error$/.test(e.name ?? '')) {
    if (typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (e.code === 1 && UNAVAILABLE_BACKEND.test(e.message ?? '')) return true;
    // A bulk write whose connection dropped carries no code: the driver's network error is its errorResponse.
    if (e.code === undefined && DROPPED_CONNECTION.test(e.message ?? '')) return true;
  }
  return isStoreUnavailable(e.cause, depth + 1) || (e.errorResponse !== e.cause && isStoreUnavailable(e.errorResponse, depth + 1));
}

/** Why the store refused, in words a caller can act on (without FerretDB's Go call frames). */
export function refusalReason(err: unknown): string {
  const message = String((err as StoreError)?.message ?? err);
  if (/SQLSTATE 22P05|SQLSTATE 22021|null bytes/.test(message)) return 'it contains a NUL character (\\u0000), which the database cannot store';
  if (/SQLSTATE 54|larger than the maximum size|BSONObjectTooLarge/.test(message)) return 'it is larger than the database can hold';
  return message.replace(/\[[^\]]*\]\s*/g, '').replace(/^ERROR:\s*/, '').slice(0, 300) || 'the database refused it';
}
