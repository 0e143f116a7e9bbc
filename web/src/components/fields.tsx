// Form fields with their label, an optional hint and the error the API gave for them, wired for assistive
// technology (label for=, aria-describedby, aria-invalid, aria-required). Forms keep native validation off
// (noValidate) and let the API be the one judge: its problem+json names each field (errors[].path), and the
// message is shown here, next to the field.
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
}

interface FieldProps {
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: (control: ControlProps) => ComponentChildren;
}

export function Field({ label, hint, error, required, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {label}
        {required && <span class="required"> (required)</span>}
      </label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, ...(error ? { 'aria-invalid': true as const } : {}), ...(required ? { 'aria-required': true as const } : {}) })}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

type Common = Omit<FieldProps, 'children'> & { name?: string; value: string; onValue(value: string): void };

export function TextField({ type = 'text', autoComplete, ...props }: Common & { type?: 'text' | 'email' | 'number' | 'date'; autoComplete?: string }) {
  return (
    <Field {...props}>
      {(control) => (
        <input {...control} name={props.name} type={type as 'text'} value={props.value} autoComplete={autoComplete} onInput={(e) => props.onValue(e.currentTarget.value)} />
      )}
    </Field>
  );
}

export function TextArea({ rows = 4, ...props }: Common & { rows?: number }) {
  return <Field {...props}>{(control) => <textarea {...control} name={props.name} rows={rows} value={props.value} onInput={(e) => props.onValue(e.currentTarget.value)} />}</Field>;
}

export function Select({ options, placeholder, ...props }: Common & { options: Array<{ value: string; label: string }>; placeholder?: string }) {
  return (
    <Field {...props}>
      {(control) => (
        <select {...control} name={props.name} value={props.value} onChange={(e) => props.onValue(e.currentTarget.value)}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A checkbox with its label after it, and the error below. */
export function Checkbox({ label, error, checked, onChecked, name }: { label: string; error?: string; checked: boolean; onChecked(checked: boolean): void; name?: string }) {
  const id = useId();
  return (
    <div class={error ? 'field field-check field-invalid' : 'field field-check'}>
      <input
        id={id}
        type="checkbox"
        name={name}
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChecked(e.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A submit button that says when it is working. It stays focusable while busy (a disabled button would drop
 * the keyboard user's focus); the form ignores a second submit while the first is on its way.
 */
export function SubmitButton({ busy, children, class: className, ...rest }: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & { busy: boolean; children: ComponentChildren }) {
  return (
    <button {...rest} class={className ?? 'button'} type="submit" aria-disabled={busy ? true : undefined} aria-busy={busy ? true : undefined}>
      {children}
    </button>
  );
}

/** A form's submit handler: the page stays put (no native submission) and the async work runs. */
export function onSubmit(work: () => Promise<unknown>) {
  return (event: Event) => {
    event.preventDefault();
    void work();
  };
}
