// Loading data for a page: the answer, the error, whether it is loading, and a way to load it again. A newer
// load (or leaving the page) cancels the one before, so an old answer never overwrites a newer one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
  /** Replace the data with a fresher copy (the answer of a change). */
  set(data: T): void;
}

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, inputs: ReadonlyArray<unknown>): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    loader.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: Error) => !controller.signal.aborted && error.name !== 'AbortError' && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => controller.abort();
  }, [...inputs, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, set };
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface PagedList<T> {
  items: T[];
  error: Error | undefined;
  loading: boolean;
  /** More items exist past the last page read. */
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

/** A cursor-paginated list (`{ items, nextCursor }`), read a page at a time with "Show more". */
export function usePagedList<T>(loadPage: (cursor: string | null, signal: AbortSignal) => Promise<{ items: T[]; nextCursor: string | null }>, inputs: ReadonlyArray<unknown>): PagedList<T> {
  const [state, setState] = useState<{ items: T[]; next: string | null; error?: Error; loading: boolean }>({ items: [], next: null, loading: true });
  const [round, setRound] = useState(0);
  const loader = useRef(loadPage);
  loader.current = loadPage;
  const controller = useRef<AbortController | null>(null);

  const read = useCallback((cursor: string | null, append: boolean) => {
    controller.current?.abort();
    const current = (controller.current = new AbortController());
    setState((s) => ({ ...s, loading: true, error: undefined }));
    loader.current(cursor, current.signal).then(
      (page) => !current.signal.aborted && setState((s) => ({ items: append ? [...s.items, ...page.items] : page.items, next: page.nextCursor, loading: false })),
      (error: Error) => !current.signal.aborted && error.name !== 'AbortError' && setState((s) => ({ ...s, error, loading: false })),
    );
  }, []);

  useEffect(() => {
    read(null, false);
    return () => controller.current?.abort();
  }, [...inputs, round]);

  return {
    items: state.items,
    error: state.error,
    loading: state.loading,
    hasMore: state.next !== null,
    loadMore: () => state.next !== null && read(state.next, true),
    reload: () => setRound((r) => r + 1),
  };
}
