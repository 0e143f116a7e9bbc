// Changes to a ticket from the agent's page, one at a time, each with If-Match (the version the agent saw) and its own
// Idempotency-Key. A 412 (the ticket moved on) changes nothing on the server: the page then shows what changed since
// the agent's version and waits for the agent's word: send anyway (the same change, now against the version they have
// just seen) or revise (nothing is sent; the draft stays as it is).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { isStale, type Guard } from '../../api/staff-tickets';
import type { ChangeResult, StaffTicket, TimelineEvent } from '../../api/types';
import type { LiveTicket } from './live-ticket';
import { TimelineItem, type Names } from './timeline';

export interface StaleChange {
  /** The action's name (the form that asked). */
  name: string;
  /** What it does, in words: "your public reply". */
  label: string;
  /** What happened after the version the agent saw. */
  events: TimelineEvent[];
  decide(choice: 'send' | 'revise'): void;
}

export function useChanges(live: LiveTicket) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<{ name: string; error: unknown } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [stale, setStale] = useState<StaleChange | null>(null);
  const running = useRef<string | null>(null);

  /** Runs a change; true once it is applied, false when refused, failed, or the agent chose to revise. */
  async function perform(name: string, label: string, said: string, run: (guard: Guard) => Promise<ChangeResult<StaffTicket>>): Promise<boolean> {
    if (running.current) return false;
    running.current = name;
    setBusy(name);
    setFailed(null);
    setDone(null);
    try {
      for (;;) {
        try {
          live.apply(await run({ version: live.ack().version, idempotencyKey: newIdempotencyKey() }));
          setDone(said);
          return true;
        } catch (err) {
          if (!isStale(err)) {
            setFailed({ name, error: err });
            return false;
          }
        }
        // 412: nothing was changed. Show what happened since, and wait for the agent.
        let events: TimelineEvent[];
        try {
          events = await live.catchUp();
        } catch (err) {
          setFailed({ name, error: err });
          return false;
        }
        const choice = await new Promise<'send' | 'revise'>((decide) => setStale({ name, label, events, decide }));
        setStale(null);
        live.acknowledge();
        if (choice === 'revise') return false;
      }
    } finally {
      running.current = null;
      setBusy(null);
    }
  }

  const errorOf = (name: string) => (failed?.name === name ? failed.error : null);
  const fieldErrorsOf = (name: string) => {
    const error = errorOf(name);
    return error instanceof ApiError ? error.fieldErrors() : {};
  };
  /** Busy with this action, and not waiting for the agent's word on a stale view. */
  const sending = (name: string) => busy === name && stale?.name !== name;
  return { busy, done, stale, perform, errorOf, fieldErrorsOf, sending };
}

export type Changes = ReturnType<typeof useChanges>;

/** The 412 panel: what changed since the agent's version, and their choice. Takes the keyboard focus when shown. */
export function StalePanel({ stale, me, names }: { stale: StaleChange; me: string; names: Names }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [stale]);
  return (
    <section class="panel panel-attention stale" role="alert" aria-labelledby="stale-heading">
      <h2 id="stale-heading" ref={heading} tabIndex={-1}>
        The ticket changed since you looked at it
      </h2>
      <p>
        Nothing was sent: {stale.label} was made on an older view of this ticket. This is what happened since{stale.events.length === 0 ? ' (only notifications were sent)' : ''}:
      </p>
      {stale.events.length > 0 && (
        <ol class="conversation timeline">
          {stale.events.map((event) => (
            <TimelineItem key={event.seq} event={event} me={me} names={names} fresh />
          ))}
        </ol>
      )}
      <p class="hint">“Send anyway” applies {stale.label} to the ticket as it is now. “Revise” sends nothing and keeps what you wrote, to change it first.</p>
      <div class="button-row">
        <button type="button" class="button" onClick={() => stale.decide('send')}>
          Send anyway
        </button>
        <button type="button" class="button button-quiet" onClick={() => stale.decide('revise')}>
          Revise
        </button>
      </div>
    </section>
  );
}
