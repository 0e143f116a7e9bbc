// Who else has a ticket open (POST/GET /tickets/{id}/presence, staff only): the console posts a heartbeat every few
// seconds while a ticket is open, 'replying' while its reply box holds text, and learns who else is there.
import type { PresenceState, Viewer } from '../../../store/presence';
import { request } from './client';

export type { PresenceState, Viewer };

export const heartbeat = (ticketId: string, state: PresenceState, signal?: AbortSignal) =>
  request<{ viewers: Viewer[] }>('POST', `/tickets/${encodeURIComponent(ticketId)}/presence`, { body: { state }, signal });
