// Refusals and failures, said in words. Field errors are shown at their fields by the forms; this shows the rest.
import { ApiError } from '../api/client';

/** The error of a request or a form, in an alert region (announced by screen readers). */
export function ProblemAlert({ error, shownAtFields = [] }: { error: unknown; shownAtFields?: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div class="alert alert-error" role="alert">
        <p>Something went wrong: {(error as Error).message ?? String(error)}</p>
      </div>
    );
  }
  const fields = error.fieldErrors();
  const atFields = Object.keys(fields).filter((f) => shownAtFields.includes(f));
  const elsewhere = Object.entries(fields).filter(([f]) => !shownAtFields.includes(f));
  return (
    <div class="alert alert-error" role="alert">
      {atFields.length > 0 ? <p>Please correct the {atFields.length === 1 ? 'field' : `${atFields.length} fields`} marked below.</p> : <p>{describe(error)}</p>}
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map(([field, message]) => (
            <li key={field}>
              {field}: {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function describe(error: ApiError): string {
  switch (error.status) {
    case 404:
      return 'Not found: it does not exist, or you may not see it.';
    case 403:
      return `Not allowed: ${error.detail}`;
    case 409:
      return `Not possible now: ${error.detail}`;
    default:
      return error.detail;
  }
}

/** A short confirmation after a change, announced politely. */
export function Notice({ children }: { children: string | null }) {
  return (
    <p class={children ? 'alert alert-ok' : 'visually-hidden'} role="status">
      {children ?? ''}
    </p>
  );
}
