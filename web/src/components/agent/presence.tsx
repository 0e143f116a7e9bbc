// Who else has the ticket open, as the presence heartbeats answer it: their name and whether they are writing.
import type { Viewer } from '../../api/presence';

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
