// A small router over the History API. The console lives under /app (the API serves index.html for every
// path there, so deep links and reloads work); inside the console, paths are written without that base:
// navigate('/tickets/7K2XQ9MPA4'), <Link to="/tickets/new">. Patterns name their parameters: '/tickets/:id'.
import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/app';

export interface Location {
  /** The path inside the console, always starting with '/'. */
  path: string;
  query: URLSearchParams;
}

type Listener = (location: Location) => void;
const listeners = new Set<Listener>();

function read(): Location {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return { path: path === '' ? '/' : path, query: new URLSearchParams(window.location.search) };
}

let current = read();
/** Counts navigations, so pages can tell a first load from a move (focus management). */
let moves = 0;

function changed(): void {
  current = read();
  moves++;
  listeners.forEach((listener) => listener(current));
}

window.addEventListener('popstate', changed);

export const href = (to: string) => `${BASE}${to === '/' ? '' : to}`;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (`${BASE}${to}` === `${window.location.pathname}${window.location.search}`) return;
  if (options.replace) window.history.replaceState(null, '', href(to));
  else window.history.pushState(null, '', href(to));
  window.scrollTo(0, 0);
  changed();
}

export const navigationCount = () => moves;

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    listeners.add(setLocation);
    if (location !== current) setLocation(current);
    return () => void listeners.delete(setLocation);
  }, []);
  return location;
}

/** The parameters of `path` under `pattern` ('/tickets/:id'), or null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(got[i]!);
      } catch {
        return null;
      }
    } else if (part !== got[i]) return null;
  }
  return params;
}

interface LinkProps {
  to: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page';
}

/** An ordinary link (open in a new tab works) that moves inside the console without reloading it. */
export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={href(to)} onClick={onClick}>
      {children}
    </a>
  );
}

/** Renders nothing and moves to `to` (for pages that only decide where to go). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
