// Who is signed in, for this browser tab only (sessionStorage): the bearer token and the principal it names.
// Closing the tab or signing out forgets both. Components follow it with useSession().
import { useEffect, useState } from 'preact/hooks';
import type { Principal } from './api/types';

export interface Session {
  token: string;
  principal: Principal;
  /** How the token was obtained: the development form, or a token from the organisation's sign-in. */
  via: 'development' | 'token';
}

/** The sessionStorage key; browser tests place a minted token here (tests/helpers/browser.ts). */
export const SESSION_KEY = 'support-console.session';

type Listener = () => void;
const listeners = new Set<Listener>();
let session: Session | null = load();
/** Said once on the sign-in page after the session ended by itself (an expired token). */
let notice: string | null = null;

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== 'string' || !parsed.principal || typeof parsed.principal.sub !== 'string' || typeof parsed.principal.role !== 'string') return null;
    return { token: parsed.token, principal: { ...parsed.principal, groups: parsed.principal.groups ?? [] }, via: parsed.via === 'development' ? 'development' : 'token' };
  } catch {
    return null;
  }
}

const changed = () => listeners.forEach((listener) => listener());

export const currentSession = () => session;

export function startSession(next: Session): void {
  session = next;
  notice = null;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
  changed();
}

/** Forgets the token; `why` is shown on the sign-in page when the session ended without the user asking. */
export function endSession(why?: string): void {
  session = null;
  notice = why ?? null;
  sessionStorage.removeItem(SESSION_KEY);
  changed();
}

export function takeNotice(): string | null {
  const said = notice;
  notice = null;
  return said;
}

export function useSession(): Session | null {
  const [current, setCurrent] = useState(session);
  useEffect(() => {
    const listener = () => setCurrent(session);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return current;
}

export const isStaffRole = (role: Principal['role']) => role === 'agent' || role === 'supervisor' || role === 'admin';
