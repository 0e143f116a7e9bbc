// Editing one of the desk's nested configuration lists (routing rules, templates, calendars, SLA policies) as
// JSON, with line numbers. The whole list is saved at once (PUT /admin/{kind}); each problem the API names by
// place (`body.2.match.channels.0`) is shown with the line it points at, marked in the margin, and a button
// takes the keyboard to that line. A JSON syntax error is shown the same way before anything is sent.
import { useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { putConfig, type ConfigKind } from '../api/admin';
import { onSubmit, SubmitButton } from './fields';
import { Notice, ProblemAlert } from './problem';

export interface LineProblem {
  /** 1-based; null when it cannot be placed. */
  line: number | null;
  /** "Routing rule 3 (vpn), target". */
  where: string;
  message: string;
}

const pretty = (items: unknown) => `${JSON.stringify(items, null, 2)}\n`;

/** The line of each value in well-formed JSON, by its path ("2.match.channels.0"; members at their key's line). */
export function jsonLines(text: string): Map<string, number> {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const lineOf = (pos: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const lines = new Map<string, number>();
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const join = (path: string, part: string | number) => (path ? `${path}.${part}` : String(part));
  const value = (path: string): void => {
    space();
    if (!lines.has(path)) lines.set(path, lineOf(i));
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (let n = 0; i < text.length; n++) {
        space();
        if (c === '{') {
          const at = i;
          const key = string();
          space();
          i++; // :
          lines.set(join(path, key), lineOf(at));
          value(join(path, key));
        } else value(join(path, n));
        space();
        if (text[i++] !== ',') return;
      }
    } else if (c === '"') string();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value('');
  return lines;
}

/** Where a JSON.parse error is, from its message ("… (line 5 column 3)" or "… at position 123"). */
export function syntaxErrorLine(error: Error, text: string): number | null {
  const line = /line (\d+) column \d+/.exec(error.message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(error.message);
  return position ? text.slice(0, Number(position[1])).split('\n').length : null;
}

interface JsonListEditorProps {
  kind: ConfigKind;
  title: string;
  noun: string;
  items: unknown[];
  hint: string;
  /** What names an item ("vpn" for a rule). */
  name(item: Record<string, unknown>): string | undefined;
}

export function JsonListEditor({ kind, title, noun, items, hint, name }: JsonListEditorProps) {
  const id = useId();
  const [text, setText] = useState(() => pretty(items));
  const [saved, setSaved] = useState(() => pretty(items));
  const [problems, setProblems] = useState<LineProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);

  const lineCount = text.split('\n').length;
  const marked = new Set(problems.map((p) => p.line).filter((l): l is number => l !== null));

  function goToLine(line: number) {
    const textarea = area.current;
    if (!textarea) return;
    const lines = textarea.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    textarea.focus();
    textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
    textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
    if (gutter.current) gutter.current.scrollTop = textarea.scrollTop;
  }

  function place(path: string, list: unknown[], lines: Map<string, number>): LineProblem {
    const parts = path
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean);
    if (parts[0] === 'body') parts.shift();
    let line: number | null = null;
    for (let n = parts.length; n >= 0 && line === null; n--) line = lines.get(parts.slice(0, n).join('.')) ?? null;
    if (parts.length === 0 || !/^\d+$/.test(parts[0]!)) return { line, where: `The ${title.toLowerCase()}`, message: '' };
    const index = Number(parts[0]);
    const item = list[index] as Record<string, unknown> | undefined;
    const named = item && typeof item === 'object' ? name(item) : undefined;
    const field = parts.slice(1).join('.');
    return { line, where: `${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${index + 1}${named ? ` (${named})` : ''}${field ? `, ${field}` : ''}`, message: '' };
  }

  /** Lists the problems and takes the keyboard to the line of the first (or to the editor). */
  function show(found: LineProblem[]) {
    setProblems(found);
    const first = found.find((p) => p.line !== null)?.line;
    setTimeout(() => (first ? goToLine(first) : area.current?.focus()), 0);
  }

  async function save() {
    if (busy) return;
    setError(null);
    setNotice(null);
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch (err) {
      return show([{ line: syntaxErrorLine(err as Error, text), where: 'JSON syntax', message: (err as Error).message }]);
    }
    if (!Array.isArray(list)) return show([{ line: 1, where: 'The whole text', message: `must be a JSON list: [ { …one ${noun}… }, … ]` }]);
    setBusy(true);
    try {
      const answer = await putConfig(kind, list);
      setText(pretty(answer));
      setSaved(pretty(answer));
      setProblems([]);
      setNotice(`Saved: ${answer.length} ${answer.length === 1 ? noun : title.toLowerCase()}.`);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) {
        const lines = jsonLines(text);
        show(err.errors.map((e) => ({ ...place(e.path, list as unknown[], lines), message: e.message })));
      } else {
        setProblems([]);
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  const hintId = `${id}-hint`;
  const problemsId = `${id}-problems`;
  return (
    <form class="config-form" noValidate aria-label={`${title} of the desk`} onSubmit={onSubmit(save)}>
      <Notice>{notice}</Notice>
      <ProblemAlert error={error} />
      {problems.length > 0 && (
        <div class="alert alert-error" role="alert">
          <p>
            The {title.toLowerCase()} were not saved: {problems.length === 1 ? 'one problem' : `${problems.length} problems`}, listed under the editor and marked in its margin.
          </p>
        </div>
      )}
      <div class={problems.length ? 'field field-invalid' : 'field'}>
        <label for={id}>{title} (JSON)</label>
        <p class="hint" id={hintId}>
          {hint}
        </p>
        <div class="json-editor">
          <pre class="json-gutter" aria-hidden="true" ref={gutter}>
            {Array.from({ length: lineCount }, (_v, n) => (
              <span key={n} class={marked.has(n + 1) ? 'json-line-bad' : undefined}>
                {n + 1}
                {'\n'}
              </span>
            ))}
          </pre>
          <textarea
            ref={area}
            id={id}
            rows={24}
            wrap="off"
            spellcheck={false}
            autoComplete="off"
            value={text}
            aria-invalid={problems.length ? true : undefined}
            aria-describedby={problems.length ? `${hintId} ${problemsId}` : hintId}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setNotice(null);
            }}
            onScroll={(e) => {
              if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
            }}
          />
        </div>
        {problems.length > 0 && (
          <ul class="json-problems" id={problemsId}>
            {problems.map((p, i) => (
              <li key={i} class="field-error">
                {p.line !== null && (
                  <>
                    <button type="button" class="button-link" onClick={() => goToLine(p.line!)}>
                      Line {p.line}
                    </button>
                    {' — '}
                  </>
                )}
                {p.where}: {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="button-row config-actions">
        <SubmitButton busy={busy}>{busy ? 'Saving…' : `Save the ${title.toLowerCase()}`}</SubmitButton>
        {text !== saved && (
          <button
            type="button"
            class="button button-quiet"
            onClick={() => {
              setText(saved);
              setProblems([]);
              setNotice('Changes discarded.');
            }}
          >
            Discard changes
          </button>
        )}
        <span class="hint" role="status">
          {text !== saved ? 'Unsaved changes' : ''}
        </span>
      </div>
    </form>
  );
}
