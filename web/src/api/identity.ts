// Signing in. Under development the API offers a sign-in form's route (GET/POST /dev/sign-in, only with the
// development secret); in production the organisation's sign-in issues the bearer token and GET /me says whom
// it names.
import { ApiError, request } from './client';
import type { DevSignInOptions, DevSignInResult, Principal, Role } from './types';

/** The development sign-in's options, or null where the API runs in production (404). */
export async function devSignInOptions(): Promise<DevSignInOptions | null> {
  try {
    return await request<DevSignInOptions>('GET', '/dev/sign-in', { auth: false });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const devSignIn = (claims: { role: Role; sub: string; name?: string; email?: string }) =>
  request<DevSignInResult>('POST', '/dev/sign-in', { auth: false, body: claims });

/** Whom a token names, as the API verified it. */
export const whoIs = (token: string) => request<Principal>('GET', '/me', { auth: false, headers: { authorization: `Bearer ${token}` } });
