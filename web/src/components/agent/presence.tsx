// Who else has the ticket open, as the presence heartbeats answer it: their name and whether they are writing. The
// page says it is here with a heartbeat every few seconds while the ticket is open and the tab visible, and says it
// has left when it is left (unmounted) or the tab closes, so others stop seeing it at once, not after PRESENCE_TTL.
import { useEffect, useRef, useState } from 'preact/hooks';
import { heartbeat, leavePresence, type Viewer } from '../../api/presence';
import { usePolling } from '../../polling';
import { currentSession } from '../../session';

export const PRESENCE_EVERY_MS = 5000;

/**
 * Heartbeats for `ticketId` while `present`, 'replying' while `writing` (at once when that changes); answers who else
 * is here (null until the first answer).
 */
export function usePresence(ticketId: string, writing: boolean, present: boolean): Viewer[] | null {
  const [viewers, setViewers] = useState<Viewer[] | null>(null);
  const writingRef = useRef(writing);
  writingRef.current = writing;
  // The heartbeat on its way, and whether one was ever sent (only then is there anything to take back).
  const inFlight = useRef<Promise<unknown> | null>(null);
  const announced = useRef(false);
  const mounted = useRef(true);
  // A ticket no longer in view (moved to another group) has nothing to leave: the API would answer 404.
  const presentRef = useRef(present);
  presentRef.current = present;

  const beat = async () => {
    // Not cancelled when the page is left: the leave waits for it, so a heartbeat still on its way cannot put the
    // agent back on the ticket after the leave took them off.
    const sent = heartbeat(ticketId, writingRef.current ? 'replying' : 'viewing');
    inFlight.current = sent;
    announced.current = true;
    try {
      const answer = await sent;
      if (mounted.current) setViewers(answer.viewers);
    } catch {
      // Presence is a courtesy: a missed heartbeat only delays the next.
    } finally {
      if (inFlight.current === sent) inFlight.current = null;
    }
  };
  usePolling(beat, PRESENCE_EVERY_MS, { enabled: present, immediately: true });

  const firstBeat = useRef(true);
  useEffect(() => {
    if (firstBeat.current) return void (firstBeat.current = false);
    if (present) void beat();
  }, [writing]);

  useEffect(() => {
    mounted.current = true;
    // The tab closes or goes to another site: no unmount happens, so the leave is sent now, as a keepalive request
    // (it outlives the page and, unlike sendBeacon, carries the token header).
    const onPageHide = () => {
      if (announced.current && presentRef.current) leavePresence(ticketId, { keepalive: true }).catch(() => undefined);
    };
    window.addEventListener('pagehide', onPageHide);
    return () => {
      mounted.current = false;
      window.removeEventListener('pagehide', onPageHide);
      if (!announced.current || !presentRef.current) return;
      const pending = inFlight.current ?? Promise.resolve();
      pending
        .catch(() => undefined)
        // Signed out meanwhile: the token is gone with the session, and the entry lapses after PRESENCE_TTL.
        .then(() => (currentSession() ? leavePresence(ticketId) : undefined))
        .catch(() => undefined);
    };
  }, [ticketId]);

  return viewers;
}

export function PresenceBar({ viewers }: { viewers: Viewer[] | null }) {
  return (
    <div class="presence" role="status" aria-live="polite">
      {viewers === null ? null : viewers.length === 0 ? (
        <p class="hint">Nobody else has this ticket open.</p>
      ) : (
        <p>
          <span class="presence-label">Also on this ticket:</span>{' '}
          {viewers.map((v, i) => (
            <span key={v.sub} class={v.state === 'replying' ? 'viewer viewer-replying' : 'viewer'}>
              {i > 0 ? ', ' : ''}
              <strong>{v.name ?? v.sub}</strong> ({v.role}, {v.state === 'replying' ? 'writing a reply' : 'viewing'})
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
