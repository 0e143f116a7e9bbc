// Refusals and store failures as the ticket workflow hands them back: typed ApplicationFailures the API maps to
// HTTP statuses (404/409/412/422 for refusals, 422/503 for a change the store refused or could not take).
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { Refusal } from '../domain/errors';
import type { STORE_REFUSED as REFUSED, STORE_UNAVAILABLE as UNAVAILABLE } from '../store/failures';

/** A domain refusal becomes an ApplicationFailure whose type the API maps to an HTTP status. */
export function asFailure(err: unknown): unknown {
  if (err instanceof Refusal) return ApplicationFailure.create({ type: err.kind, message: err.message, nonRetryable: true });
  return err;
}

// The store's failure types (the compiler keeps these in step with store/failures.ts).
export const STORE_REFUSED: typeof REFUSED = 'StoreRefused';
export const STORE_UNAVAILABLE: typeof UNAVAILABLE = 'StoreUnavailable';

/**
 * A store activity that failed (after its bounded retries, or at once for a write the store refuses for good)
 * becomes the failure the API maps to 422 or 503; null for anything else.
 */
export function storeFailure(err: unknown): ApplicationFailure | null {
  // A local activity's failure arrives as the activity's own error (or a timeout), not wrapped in ActivityFailure.
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === STORE_REFUSED) {
    return ApplicationFailure.create({ type: STORE_REFUSED, message: `the change cannot be stored: ${cause.message}; nothing was applied`, nonRetryable: true, cause: err as ApplicationFailure });
  }
  if (err instanceof ActivityFailure || cause instanceof ApplicationFailure || cause instanceof TimeoutFailure) {
    return ApplicationFailure.create({ type: STORE_UNAVAILABLE, message: 'the change could not be stored; nothing was applied; retry', nonRetryable: true, cause: err as Error });
  }
  return null;
}

export const isStoreFailure = (err: unknown): err is ApplicationFailure =>
  err instanceof ApplicationFailure && (err.type === STORE_REFUSED || err.type === STORE_UNAVAILABLE);
