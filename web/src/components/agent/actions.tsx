// What an agent does to a ticket beside writing: take it, move its status (in progress, waiting on the customer),
// transfer it to another group, escalate it with a reason, add a collaborator. Each is one change through the
// ticket's routes (POST /assign, /status, /escalate, /collaborators) with the version the agent saw.
import { useEffect, useState } from 'preact/hooks';
import { canApply } from '../../../../domain/lifecycle';
import type { Directory } from '../../api/directory';
import { addCollaborator, assign, escalate, setStatus } from '../../api/staff-tickets';
import type { StaffTicket } from '../../api/types';
import { Select, SubmitButton, TextArea, onSubmit } from '../fields';
import { ProblemAlert } from '../problem';
import type { Changes } from './changes';
import type { Names } from './timeline';

interface ActionProps {
  ticket: StaffTicket;
  changes: Changes;
  me: string;
  names: Names;
  directory: Directory | undefined;
  onDraft(name: string, open: boolean): void;
}

/** Reports a form's draft (some text typed) to the page while it is open. */
function useDraft(name: string, open: boolean, onDraft: (name: string, open: boolean) => void) {
  useEffect(() => onDraft(name, open), [open]);
  useEffect(() => () => onDraft(name, false), []);
}

export function TakeIt({ ticket, changes, me }: Pick<ActionProps, 'ticket' | 'changes' | 'me'>) {
  if (ticket.assignment.agent === me || !canApply('assign', ticket.status)) return null;
  return (
    <div class="take">
      <ProblemAlert error={changes.errorOf('take')} />
      <button
        type="button"
        class="button"
        aria-busy={changes.sending('take') ? true : undefined}
        onClick={() => void changes.perform('take', 'taking the ticket', 'The ticket is assigned to you.', (guard) => assign(ticket.id, { agent: me }, guard))}
      >
        Take it
      </button>
      <p class="hint">{ticket.assignment.agent ? 'It is assigned to someone else: taking it makes it yours.' : 'Nobody has it yet: take it to work on it.'}</p>
    </div>
  );
}

export function StatusForm({ ticket, changes, onDraft }: Pick<ActionProps, 'ticket' | 'changes' | 'onDraft'>) {
  const [reason, setReason] = useState('');
  useDraft('status', reason.trim() !== '', onDraft);
  const start = canApply('startWork', ticket.status);
  const wait = canApply('waitOnCustomer', ticket.status);
  if (!start && !wait) return null;
  async function move(status: 'in_progress' | 'waiting_on_customer') {
    const said = status === 'in_progress' ? 'The ticket is in progress.' : 'The ticket waits on the customer; the resolution clock is paused.';
    if (await changes.perform('status', 'the status change', said, (guard) => setStatus(ticket.id, status, reason.trim() || undefined, guard))) setReason('');
  }
  return (
    <form class="form" noValidate aria-label="Status" onSubmit={onSubmit(() => move(wait ? 'waiting_on_customer' : 'in_progress'))}>
      <ProblemAlert error={changes.errorOf('status')} shownAtFields={['reason']} />
      <TextArea label="Reason (optional)" hint="A wait on the customer is explained to them by mail." rows={2} value={reason} onValue={setReason} error={changes.fieldErrorsOf('status').reason} />
      <div class="button-row">
        {start && (
          <button type="button" class="button button-quiet" aria-busy={changes.sending('status') ? true : undefined} onClick={() => void move('in_progress')}>
            Set in progress
          </button>
        )}
        {wait && (
          <button type="button" class="button button-quiet" aria-busy={changes.sending('status') ? true : undefined} onClick={() => void move('waiting_on_customer')}>
            Wait on customer
          </button>
        )}
      </div>
    </form>
  );
}

export function TransferForm({ ticket, changes, directory, onDraft, names }: ActionProps) {
  const [group, setGroup] = useState('');
  const [reason, setReason] = useState('');
  useDraft('transfer', reason.trim() !== '', onDraft);
  if (!canApply('assign', ticket.status)) return null;
  const groups = (directory?.groups ?? []).filter((g) => g.id !== ticket.assignment.group);
  async function submit() {
    const said = `The ticket is transferred to ${names.group(group)}.`;
    const sent = await changes.perform('transfer', 'the transfer', said, (guard) => assign(ticket.id, { group, ...(reason.trim() ? { reason: reason.trim() } : {}) }, guard));
    if (sent) {
      setGroup('');
      setReason('');
    }
  }
  const errors = changes.fieldErrorsOf('transfer');
  return (
    <details class="panel action">
      <summary>Transfer to another group</summary>
      <form class="form" noValidate aria-label="Transfer to another group" onSubmit={onSubmit(submit)}>
        <ProblemAlert error={changes.errorOf('transfer')} shownAtFields={['group', 'reason']} />
        <Select
          label="Group"
          hint="Routing picks an available agent of that group; you may lose sight of the ticket."
          placeholder="Choose a group…"
          options={groups.map((g) => ({ value: g.id, label: `${g.name} (tier ${g.tier})` }))}
          value={group}
          onValue={setGroup}
          error={errors.group}
          required
        />
        <TextArea label="Reason (optional)" rows={2} value={reason} onValue={setReason} error={errors.reason} />
        <SubmitButton busy={changes.busy === 'transfer'}>{changes.sending('transfer') ? 'Transferring…' : 'Transfer'}</SubmitButton>
      </form>
    </details>
  );
}

export function EscalateForm({ ticket, changes, directory, onDraft, names }: ActionProps) {
  const [reason, setReason] = useState('');
  const [toGroup, setToGroup] = useState('');
  useDraft('escalate', reason.trim() !== '', onDraft);
  if (!canApply('assign', ticket.status)) return null;
  const current = directory?.groups.find((g) => g.id === ticket.assignment.group);
  const target = current?.escalationTarget ?? null;
  const higher = (directory?.groups ?? []).filter((g) => g.id !== ticket.assignment.group && g.tier >= ticket.tier);
  async function submit() {
    const said = `The ticket is escalated${toGroup ? ` to ${names.group(toGroup)}` : ''}.`;
    const sent = await changes.perform('escalate', 'the escalation', said, (guard) => escalate(ticket.id, reason, toGroup || undefined, guard));
    if (sent) {
      setReason('');
      setToGroup('');
    }
  }
  const errors = changes.fieldErrorsOf('escalate');
  return (
    <details class="panel action">
      <summary>Escalate</summary>
      <form class="form" noValidate aria-label="Escalate" onSubmit={onSubmit(submit)}>
        <ProblemAlert error={changes.errorOf('escalate')} shownAtFields={['reason', 'toGroup']} />
        <TextArea label="Why escalate?" rows={3} value={reason} onValue={setReason} error={errors.reason} required />
        <Select
          label="To group"
          hint={`The tier rises by one at least. Now: tier ${ticket.tier}.`}
          placeholder={target ? `The escalation target: ${names.group(target)}` : 'The escalation target of the group'}
          options={higher.map((g) => ({ value: g.id, label: `${g.name} (tier ${g.tier})` }))}
          value={toGroup}
          onValue={setToGroup}
          error={errors.toGroup}
        />
        <SubmitButton busy={changes.busy === 'escalate'}>{changes.sending('escalate') ? 'Escalating…' : 'Escalate'}</SubmitButton>
      </form>
    </details>
  );
}

export function CollaboratorForm({ ticket, changes, directory, me, names }: ActionProps) {
  const [agent, setAgent] = useState('');
  if (ticket.status === 'closed' || ticket.status === 'cancelled') return null;
  const agents = (directory?.agents ?? []).filter((a) => a.id !== me && a.id !== ticket.assignment.agent && !ticket.collaborators.includes(a.id));
  async function submit() {
    const said = `${names.agent(agent)} is a collaborator now.`;
    if (await changes.perform('collaborator', 'adding the collaborator', said, (guard) => addCollaborator(ticket.id, agent, guard))) setAgent('');
  }
  return (
    <details class="panel action">
      <summary>Add a collaborator</summary>
      <form class="form" noValidate aria-label="Add a collaborator" onSubmit={onSubmit(submit)}>
        <ProblemAlert error={changes.errorOf('collaborator')} shownAtFields={['agent']} />
        <Select
          label="Agent"
          hint="A colleague from any group helps without taking the ticket over."
          placeholder="Choose an agent…"
          options={agents.map((a) => ({ value: a.id, label: `${a.name} (${a.groups.map((g) => names.group(g)).join(', ')})` }))}
          value={agent}
          onValue={setAgent}
          error={changes.fieldErrorsOf('collaborator').agent}
          required
        />
        <SubmitButton busy={changes.busy === 'collaborator'}>{changes.sending('collaborator') ? 'Adding…' : 'Add collaborator'}</SubmitButton>
      </form>
    </details>
  );
}
