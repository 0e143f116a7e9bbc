// Who else has a ticket open (POST/GET/DELETE /tickets/{id}/presence, staff only): the console posts a heartbeat every
// few seconds while a ticket is open, 'replying' while its reply box holds text, learns who else is there, and says
// when it leaves.
import type { PresenceState, Viewer } from '../../../store/presence';
import { request } from './client';

export type { PresenceState, Viewer };

export const heartbeat = (ticketId: string, state: PresenceState, signal?: AbortSignal) =>
  request<{ viewers: Viewer[] }>('POST', `/tickets/${encodeURIComponent(ticketId)}/presence`, { body: { state }, signal });

/**
 * The page is left (DELETE /tickets/{id}/presence, 204 even when already gone): others stop seeing the caller at once
 * instead of after PRESENCE_TTL. `keepalive` lets it finish while the tab closes, with the token header.
 */
export const leavePresence = (ticketId: string, options: { keepalive?: boolean } = {}) =>
  request<void>('DELETE', `/tickets/${encodeURIComponent(ticketId)}/presence`, { keepalive: options.keepalive });
