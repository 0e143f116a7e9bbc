// Live pages without a reload: a task repeated every few seconds while the page is visible and open. It stops while
// the browser tab is hidden (and cancels the request in flight), catches up at once when the tab is shown again,
// and ends when the page is left. One run at a time: the next waits for the one before to finish.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface PollingOptions {
  /** False pauses it (e.g. until the page has its first data). */
  enabled?: boolean;
  /** Run once at the start instead of after the first interval. */
  immediately?: boolean;
}

export function usePolling(task: (signal: AbortSignal) => Promise<unknown>, everyMs: number, options: PollingOptions = {}): void {
  const latest = useRef(task);
  latest.current = task;
  const enabled = options.enabled ?? true;
  const immediately = options.immediately ?? false;

  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running: AbortController | null = null;
    let stopped = false;
    const visible = () => document.visibilityState !== 'hidden';

    const schedule = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => void run(), ms);
    };

    async function run(): Promise<void> {
      timer = undefined;
      if (stopped || running || !visible()) return;
      const mine = (running = new AbortController());
      try {
        await latest.current(mine.signal);
      } catch {
        // The task shows its own failures; polling goes on (the next run may well succeed).
      } finally {
        if (running === mine) running = null;
      }
      if (!stopped && visible() && !running) schedule(everyMs);
    }

    const onVisibility = () => {
      if (!visible()) {
        clearTimeout(timer);
        timer = undefined;
        running?.abort();
        running = null;
      } else if (!running) {
        schedule(0); // back on the page: catch up at once
      }
    };

    document.addEventListener('visibilitychange', onVisibility);
    schedule(immediately ? 0 : everyMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
      running?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [everyMs, enabled, immediately]);
}

/** The time now, in ms, refreshed every `everyMs` (for countdowns). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
