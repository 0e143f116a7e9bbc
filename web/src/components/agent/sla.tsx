// The SLA clocks of a ticket (SPEC §7) as live countdowns from its deadlines: the first-response clock until the
// first public reply, the resolution clock until resolution. The resolution clock stands still while the ticket
// waits on the customer or awaits confirmation (the API then gives no resolution deadline); breaches are said in
// words, not by colour alone.
import type { StaffTicket } from '../../api/types';
import { formatDateTime } from '../../format';
import { useNow } from '../../polling';
import { Time } from '../ticket-bits';

/** "1 d 2 h", "2 h 5 min", "12 min 30 s", "40 s": the two largest units (seconds only under an hour when `seconds`). */
export function formatDuration(ms: number, seconds = true): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (!seconds) return m > 0 ? `${m} min` : 'under a minute';
  if (m > 0) return s ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** "in 12 min" / "12 min overdue" for a deadline. */
export function countdown(due: string, now: number, seconds = true): { text: string; overdue: boolean } {
  const left = Date.parse(due) - now;
  return left >= 0 ? { text: `in ${formatDuration(left, seconds)}`, overdue: false } : { text: `${formatDuration(left, seconds)} overdue`, overdue: true };
}

type Clock = { state: 'met' | 'met-late' | 'running' | 'overdue' | 'paused' | 'stopped' | 'none'; text: string; due: string | null };

function responseClock(ticket: StaffTicket, now: number): Clock {
  const { sla } = ticket;
  if (sla.firstRespondedAt) return { state: sla.responseBreached ? 'met-late' : 'met', text: `${sla.responseBreached ? 'Met late' : 'Met'}: first reply ${formatDateTime(sla.firstRespondedAt)}`, due: sla.responseDue };
  if (!sla.responseDue) return { state: 'none', text: 'No target', due: null };
  if (['closed', 'cancelled'].includes(ticket.status)) return { state: 'stopped', text: 'Stopped: the ticket is closed', due: sla.responseDue };
  const c = countdown(sla.responseDue, now);
  return { state: c.overdue || sla.responseBreached ? 'overdue' : 'running', text: c.overdue ? `Breached: ${c.text}` : `Due ${c.text}${sla.responseBreached ? ' (breached)' : ''}`, due: sla.responseDue };
}

function resolutionClock(ticket: StaffTicket, now: number): Clock {
  const { sla } = ticket;
  const paused = sla.pausedMs > 0 ? ` (paused ${formatDuration(sla.pausedMs, false)} in all)` : '';
  if (ticket.status === 'closed' || ticket.status === 'cancelled') return { state: 'stopped', text: `Stopped: the ticket is ${ticket.status}${sla.resolutionBreached ? ', after the target was breached' : ''}`, due: sla.resolutionDue };
  if (sla.paused || !sla.resolutionDue) {
    const why = ticket.status === 'waiting_on_customer' ? 'waiting on the customer' : ticket.status === 'resolved' ? 'awaiting the requester’s confirmation' : 'the clock is paused';
    return { state: sla.policyId ? 'paused' : 'none', text: sla.policyId ? `Paused: ${why}${sla.resolutionBreached ? ' (breached)' : ''}` : 'No target', due: null };
  }
  const c = countdown(sla.resolutionDue, now);
  return { state: c.overdue || sla.resolutionBreached ? 'overdue' : 'running', text: `${c.overdue ? `Breached: ${c.text}` : `Due ${c.text}${sla.resolutionBreached ? ' (breached)' : ''}`}${paused}`, due: sla.resolutionDue };
}

/** `pausedSince`: when the resolution clock last stopped (the status change into waiting or resolved), if known. */
export function SlaClocks({ ticket, pausedSince = null }: { ticket: StaffTicket; pausedSince?: string | null }) {
  const now = useNow(1000);
  const clocks: Array<[string, Clock]> = [
    ['First response', responseClock(ticket, now)],
    ['Resolution', resolutionClock(ticket, now)],
  ];
  return (
    <section class="panel sla" aria-labelledby="sla-heading">
      <h2 id="sla-heading">SLA clocks</h2>
      <dl class="clocks">
        {clocks.map(([label, clock]) => (
          <div key={label} class={`clock clock-${clock.state}`}>
            <dt>{label}</dt>
            <dd>
              <span class="clock-text" data-clock={clock.state}>
                {clock.text}
              </span>
              {clock.due && clock.state !== 'met' && clock.state !== 'met-late' && (
                <span class="hint">
                  {' '}
                  (deadline <Time iso={clock.due} />)
                </span>
              )}
              {clock.state === 'paused' && pausedSince && (
                <span class="hint">
                  {' '}
                  (since <Time iso={pausedSince} />, {formatDuration(now - Date.parse(pausedSince), false)})
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {ticket.sla.policyId && <p class="hint">Policy {ticket.sla.policyId}. Waiting on the customer pauses the resolution clock.</p>}
    </section>
  );
}
