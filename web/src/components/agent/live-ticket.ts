// One ticket kept live for staff, and the version its changes carry.
//
// The page polls GET /tickets/{id} with If-None-Match every few seconds (304 while nothing changed); when the version
// moved on it reads the events after the last one it shows and adds them, marking those of other people "New".
// Every change carries If-Match with the version the agent has *seen* (`ack`): while the agent is not writing
// anything, that is whatever the page shows, live updates included; while a draft is open (the reply box holds
// text, the resolution form is filled in, …) it stays at the version the agent had when they started writing, so
// a reply written while someone else changed the ticket is refused with 412 instead of being applied on a view the
// agent never confirmed. The page then shows the events after `ack` and lets the agent send anyway or revise.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { eventsAfter, getStaffTicket, getTicketIfChanged } from '../../api/staff-tickets';
import type { ChangeResult, StaffTicket, TimelineEvent } from '../../api/types';
import { usePolling } from '../../polling';
import { actorName, describeEvent, type Names } from './timeline';

export interface Seen {
  version: number;
  /** The last event seq at that version. */
  seq: number;
}

interface State {
  ticket: StaffTicket | null;
  events: TimelineEvent[];
  ack: Seen;
  /** Events of other people that arrived while the page was open, not yet acknowledged. */
  fresh: Set<number>;
  /** The first load failed. */
  error: unknown;
  /** The last poll failed (live updates retry by themselves). */
  pollError: unknown;
  /** The ticket is no longer visible to the agent (404 while open: transferred away). */
  gone: boolean;
  /** What arrived live, said once to screen readers. */
  announcement: string;
}

export interface LiveTicket {
  ticket: StaffTicket | null;
  events: TimelineEvent[];
  fresh: ReadonlySet<number>;
  error: unknown;
  pollError: unknown;
  gone: boolean;
  announcement: string;
  /** The version changes carry (If-Match). */
  ack(): Seen;
  /** Events after the acknowledged version (what the agent has not confirmed seeing), notifications left out. */
  unseen: TimelineEvent[];
  /** A draft opened or closed: while any is open, live updates are shown but not acknowledged. */
  setDraft(name: string, open: boolean): void;
  /** The agent confirms the page as it is now. */
  acknowledge(): void;
  /** The answer of the agent's own change. */
  apply(result: ChangeResult<StaffTicket>): void;
  /** After a 412: reads the ticket and its new events now, and answers the events after the acknowledged version. */
  catchUp(): Promise<TimelineEvent[]>;
}

export const LIVE_EVERY_MS = 3000;

const lastSeq = (events: TimelineEvent[]) => events[events.length - 1]?.seq ?? 0;
const meaningful = (e: TimelineEvent) => e.type !== 'notified';

export function useLiveTicket(id: string, me: string, names: Names): LiveTicket {
  const store = useRef<State>({ ticket: null, events: [], ack: { version: 0, seq: 0 }, fresh: new Set(), error: null, pollError: null, gone: false, announcement: '' });
  const drafts = useRef(new Set<string>());
  const [, rerender] = useState(0);
  const namesRef = useRef(names);
  namesRef.current = names;

  const update = (change: (s: State) => Partial<State>) => {
    store.current = { ...store.current, ...change(store.current) };
    rerender((n) => n + 1);
  };
  const shown = (s: State): Seen => ({ version: s.ticket?.version ?? 0, seq: lastSeq(s.events) });

  /** Adds a newer ticket and new events; live ones of other people are marked and announced. */
  function merge(ticket: StaffTicket | null, incoming: TimelineEvent[], live: boolean) {
    update((s) => {
      const known = new Set(s.events.map((e) => e.seq));
      const added = incoming.filter((e) => !known.has(e.seq));
      const events = added.length ? [...s.events, ...added].sort((a, b) => a.seq - b.seq) : s.events;
      const next = ticket && (!s.ticket || ticket.version >= s.ticket.version) ? ticket : s.ticket;
      const others = live ? added.filter((e) => e.actor.id !== me && meaningful(e)) : [];
      const fresh = others.length ? new Set([...s.fresh, ...others.map((e) => e.seq)]) : s.fresh;
      const merged = { ...s, ticket: next, events, fresh };
      return {
        ticket: next,
        events,
        fresh,
        ack: drafts.current.size === 0 ? shown(merged) : s.ack,
        announcement: others.length ? `New on this ticket: ${others.map((e) => say(e, me, namesRef.current)).join(' ')}` : s.announcement,
      };
    });
  }

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([getStaffTicket(id, controller.signal), eventsAfter(id, 0, controller.signal)]).then(
      ([ticket, events]) => update(() => ({ ticket, events, ack: { version: ticket.version, seq: lastSeq(events) }, error: null })),
      (error: Error) => !controller.signal.aborted && error.name !== 'AbortError' && update(() => ({ error })),
    );
    return () => controller.abort();
  }, [id]);

  usePolling(
    async (signal) => {
      const s = store.current;
      if (!s.ticket || s.gone) return;
      try {
        const ticket = await getTicketIfChanged(id, s.ticket.version, signal);
        if (ticket) merge(ticket, await eventsAfter(id, lastSeq(store.current.events), signal), true);
        if (store.current.pollError) update(() => ({ pollError: null }));
      } catch (err) {
        if ((err as Error).name === 'AbortError') return;
        if (err instanceof ApiError && err.status === 404) update(() => ({ gone: true }));
        else update(() => ({ pollError: err }));
      }
    },
    LIVE_EVERY_MS,
    { enabled: store.current.ticket !== null && !store.current.gone },
  );

  const s = store.current;
  return {
    ticket: s.ticket,
    events: s.events,
    fresh: s.fresh,
    error: s.error,
    pollError: s.pollError,
    gone: s.gone,
    announcement: s.announcement,
    ack: () => store.current.ack,
    unseen: s.events.filter((e) => e.seq > s.ack.seq && meaningful(e)),
    setDraft(name, open) {
      const had = drafts.current.size > 0;
      if (open) drafts.current.add(name);
      else drafts.current.delete(name);
      // Nothing is being written any more: the agent is looking at the page as it is.
      if (had && drafts.current.size === 0) update((st) => ({ ack: shown(st) }));
    },
    acknowledge() {
      update((st) => ({ ack: shown(st), fresh: new Set() }));
    },
    apply(result) {
      merge(result.ticket, result.events, false);
      update((st) => ({ ack: { version: result.ticket.version, seq: Math.max(st.ack.seq, ...result.events.map((e) => e.seq)) }, fresh: new Set() }));
      // The change's notifications are logged after its own events: read them too.
      eventsAfter(id, lastSeq(store.current.events)).then(
        (more) => more.length && merge(null, more, false),
        () => undefined,
      );
    },
    async catchUp() {
      const before = store.current.ack;
      const [ticket, more] = await Promise.all([getStaffTicket(id), eventsAfter(id, lastSeq(store.current.events))]);
      merge(ticket, more, true);
      return store.current.events.filter((e) => e.seq > before.seq && meaningful(e));
    },
  };
}

/** A short sentence for what arrived, for the live region. */
function say(event: TimelineEvent, me: string, names: Names): string {
  const who = actorName(event, me, names);
  if (event.type === 'comment') return `${event.visibility === 'internal' ? 'Internal note' : event.actor.role === 'requester' ? 'Reply from the requester' : 'Public reply'} from ${who}.`;
  return describeEvent(event, names);
}
