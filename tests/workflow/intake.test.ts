// The ticket workflow on the real dev server, driven through the Temporal client as the API drives it.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ticketWorkflowId } from '../../domain/ticket';
import { currentTicket, DEFAULT_SETTINGS, ticketOpened, WORKFLOW_TYPE, type IntakeRequest } from '../../workflows/definitions';
import { TicketPriority, TicketStatus, ProductLine, EscalationTier, SlaBreached } from '../../workflows/search-attributes';
import { startDesk, type TestDesk } from '../helpers/desk';
import { vpnIntake } from '../helpers/fixtures';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('wf-intake', { api: false });
});
afterAll(() => desk.close());

function open(intake = vpnIntake(), request: IntakeRequest = { requestId: 'r1', fingerprint: 'f1' }, update: IntakeRequest = request) {
  return desk.client.workflow.executeUpdateWithStart(ticketOpened, {
    args: [update],
    startWorkflowOperation: new WithStartWorkflowOperation(WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(intake.id),
      taskQueue: desk.config.taskQueue,
      args: [{ intake, request, settings: DEFAULT_SETTINGS }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

describe('ticket intake', () => {
  it('classifies, dispatches and records the ticket, and answers only once it is recorded', async () => {
    const intake = vpnIntake();
    const { ticket, created } = await open(intake);

    expect(created).toBe(true);
    // The VPN rule sends it to network L1, where only ann and ben have the vpn skill.
    expect(ticket).toMatchObject({ id: intake.id, status: 'assigned', priority: 'P1', tier: 1, version: 1, requester: intake.requester, requiredSkills: ['vpn'] });
    expect(ticket.assignment.group).toBe('network-l1');
    expect(['ann', 'ben']).toContain(ticket.assignment.agent);
    const stored = await desk.tickets.findById(intake.id);
    expect(stored).toEqual(ticket);
    const events = await desk.timeline(intake.id);
    expect(events.map((e) => [e.seq, e.type, e.visibility])).toEqual([
      [1, 'created', 'public'],
      [2, 'status_changed', 'internal'],
      [3, 'assigned', 'internal'],
      [4, 'sla_started', 'internal'],
      [5, 'notified', 'internal'],
      [6, 'notified', 'internal'],
    ]);
    expect(events[0]).toMatchObject({ ticketId: intake.id, seq: 1, actor: { id: 'alice', role: 'requester' } });
    const outbox = await desk.notifications(intake.id);
    expect(outbox.map((n) => [n.kind, n.to.type]).sort()).toEqual([
      ['assigned', 'agent'],
      ['ticket_received', 'requester'],
    ]);
  });

  it('sets the search attributes a supervisor filters by', async () => {
    const intake = vpnIntake({ impact: 'extensive', urgency: 'critical', productLine: 'payments', title: 'Card payments fail', description: 'All card payments are declined.' });
    await open(intake);
    const description = await desk.client.workflow.getHandle(ticketWorkflowId(intake.id)).describe();
    const attributes = description.typedSearchAttributes;
    // No routing rule covers the payments product line: it waits for a supervisor.
    expect(attributes.get(TicketStatus)).toBe('triage');
    expect(attributes.get(TicketPriority)).toBe('P0');
    expect(attributes.get(ProductLine)).toBe('payments');
    expect(attributes.get(EscalationTier)).toBe(1);
    expect(attributes.get(SlaBreached)).toBe(false);
  });

  it('answers a repeated request with the original ticket and refuses the same id for a different request', async () => {
    const intake = vpnIntake();
    const first = await open(intake, { requestId: 'r1', fingerprint: 'same' });
    const repeat = await open(intake, { requestId: 'r1', fingerprint: 'same' }, { requestId: 'r2', fingerprint: 'same' });
    expect(repeat.created).toBe(false);
    expect(repeat.ticket).toEqual(first.ticket);

    const refused = open(intake, { requestId: 'r1', fingerprint: 'same' }, { requestId: 'r3', fingerprint: 'other' });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = await refused.catch((err: WorkflowUpdateFailedError) => err.cause);
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('IdempotencyKeyReused');
  });

  it('answers the ticket query with its live state', async () => {
    const intake = vpnIntake({ impact: 'minor', urgency: 'low' });
    await open(intake);
    const live = await desk.client.workflow.getHandle(ticketWorkflowId(intake.id)).query(currentTicket);
    expect(live).toMatchObject({ id: intake.id, priority: 'P3', status: 'assigned', assignment: { group: 'network-l1' } });
  });
});
