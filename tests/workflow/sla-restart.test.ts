// A breach escalates exactly once even when the worker dies between the SLA timer and the recorded change:
// the first worker runs in its own process and is killed with SIGKILL mid-escalation; a second worker replays.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { suggestedPolicy } from '../../domain/sla/policy';
import { ticketWorkflowId } from '../../domain/ticket';
import { DeskConfigStore } from '../../store/desk-config';
import { activityDeps } from '../../worker/deps';
import { createTicketWorker } from '../../worker/worker';
import { NativeConnection } from '@temporalio/worker';
import { silentLogger, startDesk, TEST_MASTER_KEY, testServers, type TestDesk } from '../helpers/desk';
import { vpnIntake } from '../helpers/fixtures';
import { openTicket } from '../helpers/workflow';

let desk: TestDesk;
let child: ChildProcess | undefined;
beforeAll(async () => {
  desk = await startDesk('sla-restart', { api: false, worker: false });
  const config = new DeskConfigStore(desk.db.models);
  const policy = suggestedPolicy('seconds', 'Seconds-long P1 for a crash test', null, 'paris-office');
  await config.replaceSlaPolicies([{ ...policy, targets: { ...policy.targets, P1: { responseMs: 3_000, resolutionMs: 3_600_000, calendarId: null } } }]);
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await desk.close();
});

function startWorkerProcess(): Promise<{ proc: ChildProcess; escalated: Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../helpers/worker-process.ts')], {
    env: {
      ...process.env,
      MONGODB_URI: desk.db.connection.getClient().options.hosts.map((h) => `mongodb://${h.host}:${h.port}`)[0] + `/${desk.db.connection.name}`,
      TEMPORAL_ADDRESS: testServers().temporalAddress,
      TEMPORAL_TASK_QUEUE: desk.config.taskQueue,
      HANG_AFTER_ESCALATION: '1',
      PAYLOAD_MASTER_KEY: TEST_MASTER_KEY,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout! });
  let escalated: () => void = () => undefined;
  const escalation = new Promise<void>((resolve) => (escalated = resolve));
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'worker ready') resolve({ proc, escalated: escalation });
      if (line === 'escalation-dispatched') escalated();
    });
    proc.on('exit', (code) => reject(new Error(`worker process exited with ${code}`)));
  });
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('records the breach, the escalation and its notifications exactly once', async () => {
  const first = await startWorkerProcess();
  child = first.proc;
  const { ticket } = await openTicket(desk.client, desk.config.taskQueue, vpnIntake(), undefined, '2 seconds');
  const before = ticket.assignment.agent!;
  await desk.relayed();
  const [heldBefore, carlBefore] = [await desk.loadOf(before), await desk.loadOf('carl')];

  await first.escalated; // the response timer fired and the escalation claimed an agent…
  child.kill('SIGKILL'); // …and the machine died before the change was recorded
  await new Promise((r) => child!.once('exit', r));
  expect((await desk.timeline(ticket.id)).filter((e) => e.type === 'escalated')).toHaveLength(0);

  const connection = await NativeConnection.connect({ address: testServers().temporalAddress });
  const second = await createTicketWorker({
    connection,
    namespace: 'default',
    taskQueue: desk.config.taskQueue,
    deps: activityDeps(desk.db, silentLogger),
    codec: desk.codec,
    workflowBundle: { codePath: testServers().workflowBundle },
  });
  const running = second.run();
  try {
    // Done when the ticket shows the escalation, both breach notifications are queued, and the workflow is idle:
    // no workflow task or activity pending, so nothing can record anything more before its next timer (an hour).
    const handle = desk.client.workflow.getHandle(ticketWorkflowId(ticket.id));
    await until(async () => {
      const current = await desk.tickets.findById(ticket.id);
      const notes = (await desk.notifications(ticket.id)).filter((n) => n.kind === 'sla_breached').length;
      const { raw } = await handle.describe();
      return current?.tier === 2 && current.sla.responseBreached && notes >= 2 && !raw.pendingWorkflowTask && !raw.pendingActivities?.length;
    }, 45_000);
    // …and it stays so: probes over the next second find still one breach and one escalation.
    const counts = async () => {
      const types = (await desk.timeline(ticket.id)).map((e) => e.type);
      return { breaches: types.filter((t) => t === 'sla_breached').length, escalations: types.filter((t) => t === 'escalated').length };
    };
    const end = Date.now() + 1_000;
    do {
      expect(await counts()).toEqual({ breaches: 1, escalations: 1 });
      await new Promise((r) => setTimeout(r, 100)); // the interval between probes, not a wait for a condition
    } while (Date.now() < end);
    const stored = await desk.tickets.findById(ticket.id);
    expect(stored).toMatchObject({ tier: 2, assignment: { group: 'network-l2', agent: 'carl' }, sla: { responseBreached: true } });
    // The escalation moved the ticket's load once: carl holds it once more, the agent before once less.
    await desk.relayed();
    expect(await desk.loadOf('carl')).toBe(carlBefore + 1);
    expect(await desk.loadOf(before)).toBe(heldBefore - 1);
    const breachNotes = (await desk.notifications(ticket.id)).filter((n) => n.kind === 'sla_breached');
    expect(breachNotes.map((n) => n.to.type).sort()).toEqual(['agent', 'supervisors']);
  } finally {
    second.shutdown();
    await running;
    await connection.close();
  }
});
