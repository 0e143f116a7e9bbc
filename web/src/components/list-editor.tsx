// Editing one of the desk's configuration lists as a form: one fieldset per item, add, remove, reorder where the
// order matters, and save the whole list (PUT /admin/{kind}). The API judges the list: each problem it names by
// place (`body.2.escalationTarget`) is shown at that item's field, the keyboard is taken to the first one, and
// problems about the list as a whole are listed above it.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listProblems, problemAt, putConfig, type ConfigKind } from '../api/admin';
import { capitalize } from '../format';
import { onSubmit, SubmitButton } from './fields';
import { Notice, ProblemAlert } from './problem';
import { focusFirstInvalid } from './ticket-actions';

export interface ItemContext<F> {
  item: F;
  index: number;
  /** Every item of the list being edited (a group's escalation target is another group). */
  all: F[];
  update(patch: Partial<F>): void;
  /** The API's message for one of this item's fields (`groups` also takes `groups.0`). */
  problem(field: string): string | undefined;
}

interface ListEditorProps<T, F> {
  kind: ConfigKind;
  /** "Groups", "Canned replies". */
  title: string;
  /** "group", "canned reply". */
  noun: string;
  items: T[];
  /** The item as the form edits it, and back as the API takes it. */
  toForm(item: T): F;
  toApi(form: F): unknown;
  blank(): F;
  /** What names an item in its legend ("network-l1"). */
  name(form: F): string;
  /** The fields the form shows: problems about others are shown at the top of the item. */
  fields: string[];
  ordered?: boolean;
  renderItem(context: ItemContext<F>): ComponentChildren;
  onSaved?(items: T[]): void;
}

interface Row<F> {
  key: number;
  form: F;
}

let rowKeys = 0;

export function ListEditor<T, F>(props: ListEditorProps<T, F>) {
  const { noun, title } = props;
  const rowsOf = (items: T[]) => items.map((item) => ({ key: ++rowKeys, form: props.toForm(item) }));
  const [rows, setRows] = useState<Row<F>[]>(() => rowsOf(props.items));
  /** The list as the API last gave it, to tell unsaved changes and to discard them. */
  const [base, setBase] = useState<T[]>(props.items);
  const saved = JSON.stringify(base.map((i) => props.toApi(props.toForm(i))));
  const [error, setError] = useState<unknown>(null);
  /** The problems of the last refusal, by row (rows keep their key when others are added or removed). */
  const [problems, setProblems] = useState<{ byRow: Map<number, Record<string, string>>; list: string[] }>({ byRow: new Map(), list: [] });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const current = JSON.stringify(rows.map((r) => props.toApi(r.form)));
  const dirty = current !== saved;
  const forms = rows.map((r) => r.form);

  const updateRow = (key: number, patch: Partial<F>) => {
    setNotice(null);
    setRows((list) => list.map((r) => (r.key === key ? { ...r, form: { ...r.form, ...patch } } : r)));
  };
  const move = (index: number, by: -1 | 1) =>
    setRows((list) => {
      const next = [...list];
      const [row] = next.splice(index, 1);
      next.splice(index + by, 0, row!);
      return next;
    });

  function add() {
    const row = { key: ++rowKeys, form: props.blank() };
    setRows((list) => [...list, row]);
    setNotice(null);
    setTimeout(() => (form.current?.querySelector(`[data-row="${row.key}"] input, [data-row="${row.key}"] select`) as HTMLElement | null)?.focus(), 0);
  }

  function remove(index: number) {
    const label = `${capitalize(noun)} ${index + 1}${props.name(rows[index]!.form) ? ` (${props.name(rows[index]!.form)})` : ''}`;
    setRows((list) => list.filter((_r, i) => i !== index));
    setNotice(`${label} removed; save to keep the change.`);
  }

  async function save() {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    const sent = rows;
    try {
      const answer = await putConfig(props.kind, sent.map((r) => props.toApi(r.form)));
      const items = answer as unknown as T[];
      setRows(rowsOf(items));
      setBase(items);
      setProblems({ byRow: new Map(), list: [] });
      setNotice(`Saved: ${items.length} ${items.length === 1 ? noun : title.toLowerCase()}.`);
      props.onSaved?.(items);
    } catch (err) {
      setError(err);
      const found = listProblems(err);
      const byRow = new Map<number, Record<string, string>>();
      for (const [index, item] of found.items) {
        const row = sent[index];
        if (row) byRow.set(row.key, item);
        else found.list.push(...Object.values(item));
      }
      setProblems({ byRow, list: found.list });
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  function discard() {
    setRows(rowsOf(base));
    setError(null);
    setProblems({ byRow: new Map(), list: [] });
    setNotice('Changes discarded.');
  }

  const counted = problems.list.length + [...problems.byRow.values()].reduce((n, p) => n + Object.keys(p).length, 0);
  return (
    <form ref={form} class="config-form" noValidate aria-label={`${title} of the desk`} onSubmit={onSubmit(save)}>
      <Notice>{notice}</Notice>
      {error instanceof ApiError && error.errors.length > 0 ? (
        <div class="alert alert-error" role="alert">
          <p>
            The {title.toLowerCase()} were not saved: {counted === 1 ? 'one problem' : `${counted} problems`}
            {problems.byRow.size > 0 ? ', marked at their fields below' : ''}.
          </p>
          {problems.list.length > 0 && (
            <ul>
              {problems.list.map((message, i) => (
                <li key={i}>{message}</li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <ProblemAlert error={error} />
      )}
      {rows.length === 0 && <p class="empty">No {title.toLowerCase()} yet.</p>}
      {rows.map((row, index) => {
        const found = problems.byRow.get(row.key);
        const problem = (field: string) => problemAt(found, field);
        const elsewhere = found ? Object.entries(found).filter(([path]) => !props.fields.some((f) => path === f || path.startsWith(`${f}.`))) : [];
        const name = props.name(row.form);
        const label = `${capitalize(noun)} ${index + 1}${name ? `: ${name}` : ''}`;
        return (
          <fieldset key={row.key} class={found ? 'config-item config-item-invalid' : 'config-item'} data-row={row.key}>
            <legend>{label}</legend>
            {elsewhere.map(([path, message]) => (
              <p key={path} class="field-error">
                {path ? `${path}: ` : ''}
                {message}
              </p>
            ))}
            <div class="config-fields">{props.renderItem({ item: row.form, index, all: forms, update: (patch) => updateRow(row.key, patch), problem })}</div>
            <div class="button-row config-item-actions">
              {props.ordered && (
                <>
                  <button type="button" class="button button-quiet" disabled={index === 0} onClick={() => move(index, -1)}>
                    Move up<span class="visually-hidden"> {label}</span>
                  </button>
                  <button type="button" class="button button-quiet" disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                    Move down<span class="visually-hidden"> {label}</span>
                  </button>
                </>
              )}
              <button type="button" class="button button-quiet" onClick={() => remove(index)}>
                Remove<span class="visually-hidden"> {label}</span>
              </button>
            </div>
          </fieldset>
        );
      })}
      <div class="button-row config-actions">
        <button type="button" class="button button-quiet" onClick={add}>
          Add {/^[aeiou]/i.test(noun) ? 'an' : 'a'} {noun}
        </button>
        <SubmitButton busy={busy}>{busy ? 'Saving…' : `Save the ${title.toLowerCase()}`}</SubmitButton>
        {dirty && (
          <button type="button" class="button button-quiet" onClick={discard}>
            Discard changes
          </button>
        )}
        <span class="hint" role="status">
          {dirty ? 'Unsaved changes' : ''}
        </span>
      </div>
    </form>
  );
}
