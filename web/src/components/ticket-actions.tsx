// What a supervisor does to a ticket from the supervision pages: assign it (to a group and, if they like, one of
// its agents) and override its priority with a reason. Each form sends one change through the API and hands the
// answer (the ticket now) to the page; the API's refusals show at their fields.
import { useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Directory } from '../api/directory';
import { assignTicket, overridePriority, type PriorityChange } from '../api/supervisor';
import type { ChangeResult, Impact, Priority, StaffTicket, Urgency } from '../api/types';
import { onSubmit, Select, SubmitButton, TextArea, TextField } from './fields';
import { ProblemAlert } from './problem';

/**
 * One change at a time: whether it is on its way, and the error it met. The idempotency key is kept for a retry
 * after a network failure (the change may have happened) and renewed once the API answered.
 */
export function useChange(onStale?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = useRef(newIdempotencyKey());
  async function run<T>(work: (idempotencyKey: string) => Promise<T>): Promise<T | null> {
    if (busy) return null;
    setBusy(true);
    setError(null);
    try {
      const result = await work(key.current);
      key.current = newIdempotencyKey();
      return result;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 0)) key.current = newIdempotencyKey();
      setError(err);
      if (err instanceof ApiError && err.status === 412) onStale?.();
      return null;
    } finally {
      setBusy(false);
    }
  }
  const fieldErrors: Record<string, string> = error instanceof ApiError ? error.fieldErrors() : {};
  return { busy, error, fieldErrors, run };
}

/** The change's refusal: a ticket that moved on meanwhile (412) said plainly, the rest as the API said it. */
export function ChangeAlert({ error, shownAtFields }: { error: unknown; shownAtFields: string[] }) {
  if (error instanceof ApiError && error.status === 412) {
    return (
      <div class="alert alert-error" role="alert">
        <p>Someone changed this ticket since the list was loaded, so nothing was changed. The list now shows the ticket as it is: check it and try again.</p>
      </div>
    );
  }
  return <ProblemAlert error={error} shownAtFields={shownAtFields} />;
}

/** Moves the keyboard to the first field the API found fault with. */
export function focusFirstInvalid(form: HTMLElement | null): void {
  // After the render that marks the fields.
  setTimeout(() => (form?.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus(), 0);
}

interface ActionProps {
  ticket: StaffTicket;
  onDone(result: ChangeResult<StaffTicket>, said: string): void;
  /** The ticket moved on (412): the page loads it again. */
  onStale(): void;
}

export function AssignForm({ ticket, directory, onDone, onStale }: ActionProps & { directory: Directory | undefined }) {
  const [group, setGroup] = useState(ticket.assignment.group ?? '');
  const [agent, setAgent] = useState('');
  const [reason, setReason] = useState('');
  const change = useChange(onStale);
  const form = useRef<HTMLFormElement>(null);
  const groups = directory?.groups ?? [];
  const agents = (directory?.agents ?? []).filter((a) => a.groups.includes(group));

  async function submit() {
    const body = { ...(group ? { group } : {}), ...(agent ? { agent } : {}), ...(reason.trim() ? { reason } : {}) };
    const result = await change.run((key) => assignTicket(ticket, body, key));
    if (!result) return focusFirstInvalid(form.current);
    setAgent('');
    setReason('');
    const to = result.ticket.assignment;
    const groupLabel = groups.find((g) => g.id === to.group)?.name ?? to.group;
    const agentLabel = to.agent ? (directory?.agents.find((a) => a.id === to.agent)?.name ?? to.agent) : null;
    onDone(result, `“${ticket.title}” is assigned to ${groupLabel}${agentLabel ? `, ${agentLabel}` : ' (no agent available yet)'}.`);
  }

  return (
    <form ref={form} class="form form-inline" noValidate aria-label={`Assign “${ticket.title}”`} onSubmit={onSubmit(submit)}>
      <ChangeAlert error={change.error} shownAtFields={['group', 'agent', 'reason']} />
      <div class="form-row">
        <Select
          label="Group"
          value={group}
          onValue={(v) => (setGroup(v), setAgent(''))}
          placeholder="Choose a group"
          options={groups.map((g) => ({ value: g.id, label: `${g.name} (tier ${g.tier})` }))}
          error={change.fieldErrors.group}
          required
        />
        <Select
          label="Agent"
          value={agent}
          onValue={setAgent}
          placeholder={group ? 'Whoever dispatch picks' : 'Choose a group first'}
          options={agents.map((a) => ({ value: a.id, label: `${a.name}${a.available ? '' : ' (away)'}` }))}
          error={change.fieldErrors.agent}
        />
      </div>
      <TextField label="Reason (optional)" value={reason} onValue={setReason} error={change.fieldErrors.reason} />
      <SubmitButton busy={change.busy}>{change.busy ? 'Assigning…' : 'Assign'}</SubmitButton>
    </form>
  );
}

const PRIORITY_OPTIONS: Array<{ value: Priority; label: string }> = [
  { value: 'P0', label: 'P0: critical' },
  { value: 'P1', label: 'P1: high' },
  { value: 'P2', label: 'P2: medium' },
  { value: 'P3', label: 'P3: low' },
];
const IMPACT_OPTIONS: Impact[] = ['extensive', 'significant', 'moderate', 'minor'];
const URGENCY_OPTIONS: Urgency[] = ['critical', 'high', 'medium', 'low'];

export function PriorityForm({ ticket, onDone, onStale }: ActionProps) {
  const [priority, setPriority] = useState('');
  const [impact, setImpact] = useState('');
  const [urgency, setUrgency] = useState('');
  const [reason, setReason] = useState('');
  const change = useChange(onStale);
  const form = useRef<HTMLFormElement>(null);

  async function submit() {
    const body: PriorityChange = {
      reason,
      ...(priority ? { priority: priority as Priority } : {}),
      ...(impact ? { impact: impact as Impact } : {}),
      ...(urgency ? { urgency: urgency as Urgency } : {}),
    };
    const result = await change.run((key) => overridePriority(ticket, body, key));
    if (!result) return focusFirstInvalid(form.current);
    setPriority('');
    setImpact('');
    setUrgency('');
    setReason('');
    onDone(result, `“${ticket.title}” is now ${result.ticket.priority}; its SLA deadlines were recomputed.`);
  }

  return (
    <form ref={form} class="form" noValidate aria-label={`Change the priority of “${ticket.title}”`} onSubmit={onSubmit(submit)}>
      <p class="hint">Set a priority, or impact and urgency (the priority matrix then decides). The SLA deadlines are recomputed from when the ticket was opened.</p>
      <ChangeAlert error={change.error} shownAtFields={['priority', 'impact', 'urgency', 'reason']} />
      <div class="form-row">
        <Select label="Priority" value={priority} onValue={setPriority} placeholder={`Keep ${ticket.priority}`} options={PRIORITY_OPTIONS} error={change.fieldErrors.priority} />
        <Select label="Impact" value={impact} onValue={setImpact} placeholder={`Keep ${ticket.impact}`} options={IMPACT_OPTIONS.map((v) => ({ value: v, label: v }))} error={change.fieldErrors.impact} />
        <Select label="Urgency" value={urgency} onValue={setUrgency} placeholder={`Keep ${ticket.urgency}`} options={URGENCY_OPTIONS.map((v) => ({ value: v, label: v }))} error={change.fieldErrors.urgency} />
      </div>
      <TextArea label="Reason" rows={2} value={reason} onValue={setReason} error={change.fieldErrors.reason} required />
      <SubmitButton busy={change.busy}>{change.busy ? 'Changing…' : 'Change the priority'}</SubmitButton>
    </form>
  );
}
