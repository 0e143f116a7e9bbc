// A ticket as staff work it: the request, the whole timeline (internal notes marked in words and drawn apart), the
// reply box (public reply or internal note, canned replies, files), the SLA clocks counting down, and the actions:
// take it, status, transfer, escalate, add a collaborator, resolve. The page stays live (polling with If-None-Match,
// paused while the browser tab is hidden), says who else has the ticket open (presence heartbeats), and sends every
// change with If-Match: a change made on a view that has moved on is shown what changed, to send anyway or revise.
import { Fragment } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { getCannedReplies } from '../../api/canned-replies';
import { getDirectory, type Directory } from '../../api/directory';
import { getIntakeCatalogue } from '../../api/intake';
import type { StaffTicket } from '../../api/types';
import { CollaboratorForm, EscalateForm, StatusForm, TakeIt, TransferForm } from '../../components/agent/actions';
import { StalePanel, useChanges } from '../../components/agent/changes';
import { Composer } from '../../components/agent/composer';
import { useLiveTicket } from '../../components/agent/live-ticket';
import { PresenceBar, usePresence } from '../../components/agent/presence';
import { ResolveForm } from '../../components/agent/resolve';
import { SlaClocks } from '../../components/agent/sla';
import { idNames, StaffTimeline, type Names } from '../../components/agent/timeline';
import { AttachmentList, useDownload } from '../../components/attachments';
import { Loading, Page } from '../../components/page';
import { Notice, ProblemAlert } from '../../components/problem';
import { Time } from '../../components/ticket-bits';
import { capitalize, humanize, personName } from '../../format';
import { useResource } from '../../hooks';
import { Link } from '../../router';
import type { PageProps } from '../../routes';

function namesFrom(directory: Directory | undefined): Names {
  if (!directory) return idNames;
  const groups = new Map(directory.groups.map((g) => [g.id, g.name]));
  const agents = new Map(directory.agents.map((a) => [a.id, a.name]));
  return {
    group: (id) => (id ? (groups.get(id) ?? id) : 'no group'),
    agent: (id) => (id ? (agents.get(id) ?? id) : 'nobody'),
  };
}

export function AgentTicketPage({ params, session }: PageProps) {
  const id = params.id!;
  const me = session.principal.sub;
  const role = session.principal.role;
  const directory = useResource((signal) => getDirectory(signal), []);
  const names = useMemo(() => namesFrom(directory.data), [directory.data]);
  const live = useLiveTicket(id, me, names);
  const changes = useChanges(live);
  // Admins read tickets; replies and changes are for agents and supervisors (the API's roles).
  const mayWork = role === 'agent' || role === 'supervisor';
  const replies = useResource((signal) => (mayWork ? getCannedReplies(signal) : Promise.resolve({ items: [] })), [mayWork]);
  const catalogue = useResource((signal) => getIntakeCatalogue(signal), []);

  // Drafts: any open one keeps the version changes carry where the agent started writing.
  const [writing, setWriting] = useState(false);
  const onDraft = (name: string, open: boolean) => {
    live.setDraft(name, open);
    if (name === 'comment') setWriting(open);
  };

  // Presence: a heartbeat every few seconds while the ticket is open and the tab visible, at once when the agent
  // starts or stops writing; it answers who else is here. Leaving the page (or closing the tab) says so at once.
  const viewers = usePresence(id, writing, live.ticket !== null && !live.gone);

  const { download, error: downloadError } = useDownload(id);

  const ticket = live.ticket;
  if (!ticket) {
    return (
      <Page title="Ticket">
        {!live.error && <Loading what="the ticket" />}
        <ProblemAlert error={live.error} />
        <p>
          <Link to="/queues">Back to the queues</Link>
        </p>
      </Page>
    );
  }

  const template = catalogue.data?.items.find((t) => t.problemType === ticket.problemType);
  const labelOf = (key: string) => template?.fields.find((f) => f.key === key)?.label ?? humanize(key);
  const open = ticket.status !== 'closed' && ticket.status !== 'cancelled';
  const actionProps = { ticket, changes, me, names, directory: directory.data, onDraft };
  // When the resolution clock last stopped: the latest move into a status that pauses it.
  const pausedSince = ticket.sla.paused
    ? ([...live.events].reverse().find((e) => e.type === 'status_changed' && (e.data.to === 'waiting_on_customer' || e.data.to === 'resolved'))?.at ?? null)
    : null;

  return (
    <Page
      title={ticket.title}
      actions={
        <a class="button button-quiet" href={ticket.temporal.uiUrl} target="_blank" rel="noopener noreferrer">
          Workflow in the Temporal UI<span class="visually-hidden"> (opens in a new tab)</span>
        </a>
      }
    >
      <p class="meta">
        Ticket <span class="mono">{ticket.id}</span> · <span class={`badge badge-${ticket.status}`}>{humanize(ticket.status)}</span> · <span class={`badge badge-priority badge-${ticket.priority}`}>{ticket.priority}</span> · tier{' '}
        {ticket.tier} · {names.group(ticket.assignment.group)}, {ticket.assignment.agent ? (ticket.assignment.agent === me ? 'assigned to you' : `assigned to ${names.agent(ticket.assignment.agent)}`) : 'unassigned'} · from{' '}
        {personName(ticket.requester)} · opened <Time iso={ticket.createdAt} />
      </p>
      <PresenceBar viewers={viewers} />
      <p class="visually-hidden" role="status" aria-live="polite">
        {live.announcement}
      </p>
      {live.gone && (
        <div class="alert alert-info" role="alert">
          <p>
            This ticket is no longer in your view (it went to another group). <Link to="/queues">Back to your queues</Link>
          </p>
        </div>
      )}
      {live.pollError ? (
        <p class="hint" role="status">
          Live updates are interrupted; they resume by themselves.
        </p>
      ) : null}
      {changes.stale && <StalePanel stale={changes.stale} me={me} names={names} />}
      <Notice>{changes.done}</Notice>
      <ProblemAlert error={downloadError} />

      <div class="workspace">
        <div class="workspace-main">
          <section aria-labelledby="request-heading" class="section">
            <h2 id="request-heading">Request</h2>
            <p class="prose">{ticket.description}</p>
            <dl class="facts">
              <dt>Requester</dt>
              <dd>
                {personName(ticket.requester)}
                {ticket.requester.email ? ` <${ticket.requester.email}>` : ''}
              </dd>
              <dt>Kind</dt>
              <dd>{template?.name ?? humanize(ticket.problemType)}</dd>
              <dt>Area</dt>
              <dd>
                {capitalize(humanize(ticket.productLine))}
                {ticket.module ? ` / ${ticket.module}` : ''}
              </dd>
              <dt>Impact and urgency</dt>
              <dd>
                {ticket.impact}, {ticket.urgency}
              </dd>
              <dt>Channel</dt>
              <dd>{ticket.channel}</dd>
              {Object.entries(ticket.fields).map(([key, value]) => (
                <Fragment key={key}>
                  <dt>{labelOf(key)}</dt>
                  <dd>{typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value)}</dd>
                </Fragment>
              ))}
            </dl>
            {ticket.attachments.length > 0 && (
              <>
                <h3>Files</h3>
                <AttachmentList files={ticket.attachments} ticketId={ticket.id} onDownload={download} />
              </>
            )}
          </section>

          <section aria-labelledby="timeline-heading" class="section">
            <h2 id="timeline-heading">Timeline</h2>
            <p class="hint">Public replies and the requester’s messages are what the requester sees; internal notes and the desk’s events are for staff.</p>
            <StaffTimeline events={live.events} me={me} names={names} fresh={live.fresh} onDownload={download} />
            {live.unseen.length > 0 && (
              <div class="alert alert-info" role="status">
                <p>
                  The ticket changed while you were writing ({live.unseen.length} new {live.unseen.length === 1 ? 'event' : 'events'}, marked New). Sending asks you to confirm.{' '}
                  <button type="button" class="button-link" onClick={() => live.acknowledge()}>
                    I have seen them
                  </button>
                </p>
              </div>
            )}
            {mayWork && open && <Composer ticket={ticket} replies={replies.data?.items ?? []} changes={changes} onDraft={(o) => onDraft('comment', o)} />}
            {!open && <p class="hint">This ticket is {ticket.status}: it takes no more replies.</p>}
            {!mayWork && <p class="hint">Admins read tickets here; replies and changes are for agents and supervisors.</p>}
          </section>
        </div>

        <aside class="workspace-side" aria-label="Ticket status and actions">
          <SlaClocks ticket={ticket} pausedSince={pausedSince} />
          {mayWork && open && (
            <section class="panel" aria-labelledby="actions-heading">
              <h2 id="actions-heading">Actions</h2>
              {role === 'agent' && <TakeIt ticket={ticket} changes={changes} me={me} />}
              <StatusForm ticket={ticket} changes={changes} onDraft={onDraft} />
              <ResolveForm ticket={ticket} changes={changes} onDraft={onDraft} />
              <TransferForm {...actionProps} />
              <EscalateForm {...actionProps} />
              <CollaboratorForm {...actionProps} />
            </section>
          )}
          <section class="panel" aria-labelledby="details-heading">
            <h2 id="details-heading">Details</h2>
            <dl class="facts facts-compact">
              <dt>Collaborators</dt>
              <dd>{ticket.collaborators.length ? ticket.collaborators.map((a) => names.agent(a)).join(', ') : 'none'}</dd>
              <dt>Skills needed</dt>
              <dd>{ticket.requiredSkills.length ? ticket.requiredSkills.join(', ') : 'none'}</dd>
              <dt>Public replies</dt>
              <dd>{ticket.stats.publicReplies}</dd>
              <dt>Escalations</dt>
              <dd>{ticket.stats.escalations}</dd>
              <dt>Transfers</dt>
              <dd>{ticket.stats.transfers}</dd>
              <dt>Reopened</dt>
              <dd>{ticket.reopenCount}</dd>
              <dt>Workflow</dt>
              <dd class="mono">{ticket.temporal.workflowId}</dd>
            </dl>
            {ticket.resolution && <ResolutionFacts ticket={ticket} />}
          </section>
        </aside>
      </div>
    </Page>
  );
}

function ResolutionFacts({ ticket }: { ticket: StaffTicket }) {
  const r = ticket.resolution!;
  return (
    <>
      <h3>Resolution</h3>
      <dl class="facts facts-compact">
        <dt>Summary</dt>
        <dd class="prose">{r.summary}</dd>
        <dt>Root cause</dt>
        <dd class="prose">{r.rootCause}</dd>
        <dt>Knowledge</dt>
        <dd>{r.kbArticleId ? <Link to={`/kb/${encodeURIComponent(r.kbArticleId)}`}>{r.kbArticleId}</Link> : 'new solution'}</dd>
        <dt>Resolved</dt>
        <dd>
          <Time iso={r.resolvedAt} />
        </dd>
      </dl>
    </>
  );
}
