// A ticket never wedges (issue 11, item 5): a change the store refuses for good fails at once, nothing of it
// stays, and the ticket takes the next change; a store out of reach is waited for (bounded), so an outage costs
// nothing and a retried request joins the change already waiting. Real Temporal dev server, real FerretDB on PostgreSQL; the worker reaches
// MongoDB through a TCP relay the tests can cut, like a network partition between the worker and its database.
import net, { type AddressInfo } from 'node:net';
import { NativeConnection, type Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import { MongoClient } from 'mongodb';
import { HttpProblem } from '../../api/http/problem';
import { TicketDesk } from '../../api/tickets/desk';
import { openTicket as newTicket } from '../../domain/intake';
import { ticketWorkflowId, type Ticket } from '../../domain/ticket';
import type { Database } from '../../platform/mongo';
import { payloadCodec } from '../../platform/payload-codec';
import { masterKeysOf } from '../../platform/payload-keys';
import { freePort } from '../../stack/processes';
import { encodeFact, factOf } from '../../domain/kpis';
import { isPermanentStoreError, refusalReason } from '../../store/failures';
import { bindModels } from '../../store/models';
import { changeDocumentOf } from '../../store/tickets';
import { activityDeps } from '../../worker/deps';
import { createTicketWorker } from '../../worker/worker';
import { addComment, DEFAULT_SETTINGS, resolveTicket } from '../../workflows/definitions';
import { silentLogger, startDesk, TEST_MASTER_KEY, testServers, type TestDesk } from '../helpers/desk';
import { vpnIntake } from '../helpers/fixtures';
import { change, openTicket, people, refusal } from '../helpers/workflow';

/** A TCP relay to MongoDB that can be cut (open connections dropped, new ones refused) and healed. */
function relayTo(target: URL) {
  let cut = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    track(client);
    if (cut) return void client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return {
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    },
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    heal() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `check` holds (it is a condition, not a pause), failing after `timeoutMs`. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let desk: TestDesk;
let relay: ReturnType<typeof relayTo>;
let workerDb: Database;
let worker: Worker;
let running: Promise<void>;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  // The API and the test read MongoDB directly; only the worker's activities go through the relay.
  // A short API deadline, so a change waiting for an unreachable store answers 503 quickly.
  desk = await startDesk('wf-wedge', { worker: false, config: { updateTimeoutMs: 3_000 } });
  relay = relayTo(new URL(testServers().mongoUrl));
  const port = await relay.listen();
  // The product's connection settings (platform/mongo.ts), to the desk's database, through the relay.
  const connection = await mongoose.createConnection(`mongodb://127.0.0.1:${port}/${desk.db.connection.name}`, { autoIndex: false, serverSelectionTimeoutMS: 5_000 }).asPromise();
  workerDb = { connection, models: bindModels(connection), ping: async () => undefined, close: () => connection.close() };
  nativeConnection = await NativeConnection.connect({ address: testServers().temporalAddress });
  worker = await createTicketWorker({
    connection: nativeConnection,
    namespace: desk.config.temporalNamespace,
    taskQueue: desk.config.taskQueue,
    deps: activityDeps(workerDb, silentLogger),
    // Its payload keys come through the relay too, as they come from the same MongoDB in production.
    codec: payloadCodec(masterKeysOf(TEST_MASTER_KEY), workerDb.connection.db!),
    workflowBundle: { codePath: testServers().workflowBundle },
  });
  running = worker.run();
});

afterAll(async () => {
  relay?.heal();
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await workerDb?.close();
  await relay?.close();
  await desk?.close();
});

afterEach(() => relay.heal());

const open = (overrides: Parameters<typeof vpnIntake>[0] = {}, settings = DEFAULT_SETTINGS) => openTicket(desk.client, desk.config.taskQueue, vpnIntake(overrides), settings);
const timeline = (id: string) => desk.timeline(id);
const outbox = async (id: string) => (await desk.notifications(id)).sort((a, b) => (a._id < b._id ? -1 : 1));
/** The ticket's KPI fact once the relay folded in every change recorded so far. */
const kpiFact = async (id: string) => {
  await desk.relayed();
  const day = await desk.db.models.KpiDay.findOne({ [`facts.${id}`]: { $exists: true } }).lean();
  return day?.facts?.[id];
};
const query = (id: string) => desk.client.workflow.getHandle(ticketWorkflowId(id)).query<Ticket>('ticket');

describe('what the store answers', () => {
  it('tells a value PostgreSQL cannot store (permanent) from an unreachable server and a duplicate key (worth a retry)', async () => {
    const client = await MongoClient.connect(`${testServers().mongoUrl}/${desk.db.connection.name}`);
    // Nothing listens on a free port: the server cannot be selected.
    const unreachable = await MongoClient.connect(`mongodb://127.0.0.1:${await freePort()}/x`, { serverSelectionTimeoutMS: 300 }).catch((err: unknown) => err);
    try {
      const probe = client.db().collection<{ _id: string; body?: string }>('failure_probe');
      // FerretDB passes PostgreSQL's refusal on as InternalError (code 1) with SQLSTATE 22P05.
      const nul = await probe.insertOne({ _id: 'nul', body: 'a\u0000b' }).catch((err: unknown) => err);
      expect(nul).toMatchObject({ name: 'MongoServerError', code: 1, message: expect.stringContaining('SQLSTATE 22P05') });
      expect(isPermanentStoreError(nul)).toBe(true);
      expect(refusalReason(nul)).toBe('it contains a NUL character (\\u0000), which the database cannot store');
      const batch = await probe.insertMany([{ _id: 'ok' }, { _id: 'nul2', body: 'a\u0000b' }], { ordered: false }).catch((err: unknown) => err);
      expect(batch).toMatchObject({ name: 'MongoBulkWriteError', code: 1 });
      expect(isPermanentStoreError(batch)).toBe(true);

      await probe.insertOne({ _id: 'once' });
      const duplicate = await probe.insertOne({ _id: 'once' }).catch((err: unknown) => err);
      expect(duplicate).toMatchObject({ code: 11000 });
      expect(isPermanentStoreError(duplicate)).toBe(false);
      expect(unreachable).toMatchObject({ name: 'MongoServerSelectionError' });
      expect(isPermanentStoreError(unreachable)).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('a change the store refuses for good', () => {
  it('is refused at once with StoreRefused, leaves nothing, and the ticket takes the next change', async () => {
    const { ticket } = await open();
    const agent = { id: ticket.assignment.agent!, role: 'agent' as const };
    const [events, notes, fact, stored] = [await timeline(ticket.id), await outbox(ticket.id), await kpiFact(ticket.id), await desk.tickets.findById(ticket.id)];
    const lastSeq = events.at(-1)!.seq;

    // An agent's first public reply would move the ticket to in_progress, answer the response SLA and notify
    // the requester. PostgreSQL's jsonb cannot hold the NUL character (the API refuses such text at the door).
    const started = Date.now();
    const refused = change(desk.client, ticket.id, addComment, { actor: agent, body: 'tunnel log:\u0000\u0001binary', visibility: 'public' });
    await expect(refused).rejects.toMatchObject({ cause: { type: 'StoreRefused', message: expect.stringMatching(/^the change cannot be stored: it contains a NUL character.*; nothing was applied$/) } });
    // Not retried: five attempts would spend at least 3 s backing off.
    expect(Date.now() - started).toBeLessThan(2_000);

    // The workflow is as before — but for its version, which only goes up.
    const live = await query(ticket.id);
    expect(live).toEqual({ ...ticket, version: ticket.version + 1 });
    // Nothing of the change is in MongoDB: no event, no notification; the KPI fact it wrote is put back, and the
    // ticket document holds the ticket as it was, at the version the workflow now has.
    expect(await timeline(ticket.id)).toEqual(events);
    expect((await outbox(ticket.id)).map((n) => n._id)).toEqual(notes.map((n) => n._id));
    expect(await kpiFact(ticket.id)).toBe(fact);
    expect(await desk.tickets.findById(ticket.id)).toEqual({ ...stored, version: ticket.version + 1 });

    // The next change is not held up, nor swallowed by anything the failed one keyed: new seq, new version.
    const next = await change(desk.client, ticket.id, addComment, { actor: agent, body: 'Looking into it', visibility: 'public' });
    expect(next.ticket).toMatchObject({ status: 'in_progress', version: ticket.version + 2, stats: { publicReplies: 1 } });
    expect(next.ticket.sla.firstRespondedAt).not.toBeNull();
    // The refused change took three sequence numbers (comment, status, notified); they are not reused.
    expect(next.events.map((e) => [e.seq, e.type])).toEqual([
      [lastSeq + 4, 'comment'],
      [lastSeq + 5, 'status_changed'],
    ]);
    const after = await timeline(ticket.id);
    expect(after.slice(0, events.length)).toEqual(events);
    expect(after.slice(events.length).map((e) => [e.seq, e.type, e.data])).toEqual([
      [lastSeq + 4, 'comment', { body: 'Looking into it' }],
      [lastSeq + 5, 'status_changed', { from: 'assigned', to: 'in_progress', reason: 'agent replied' }],
      [lastSeq + 6, 'notified', { kind: 'public_reply', to: expect.objectContaining({ type: 'requester', id: 'alice' }) }],
    ]);
    const replies = (await outbox(ticket.id)).filter((n) => n.kind === 'public_reply');
    expect(replies.map((n) => [n._id, n.body])).toEqual([[`${ticket.id}:${ticket.version + 2}:public_reply:requester-alice`, 'Looking into it']]);
    expect((await desk.tickets.findById(ticket.id))!).toMatchObject({ status: 'in_progress', version: ticket.version + 2 });
  });

  it('refuses an intake it cannot store, leaves nothing of it, claims no agent, and ends the workflow', async () => {
    // The change document carries the title in its notifications' subjects: it is refused whole.
    const intake = vpnIntake({ title: 'VPN drops\u0000 every hour' });
    await desk.relayed();
    const loads = async () => Promise.all(['ann', 'ben', 'cid'].map((agent) => desk.loadOf(agent)));
    const before = await loads();
    const opened = openTicket(desk.client, desk.config.taskQueue, intake);
    expect(await refusal(opened)).toBe('StoreRefused');
    const handle = desk.client.workflow.getHandle(ticketWorkflowId(intake.id));
    await expect(handle.result()).rejects.toMatchObject({ cause: { type: 'StoreRefused' } });
    expect(await desk.tickets.findById(intake.id)).toBeNull();
    expect(await timeline(intake.id)).toEqual([]);
    expect(await outbox(intake.id)).toEqual([]);
    await desk.relayed();
    expect(await loads()).toEqual(before);
  });

  it('makes the API desk answer 422 for such an intake, and for a repeat of its request', async () => {
    const api = new TicketDesk(desk.client, desk.config.taskQueue, desk.tickets, DEFAULT_SETTINGS, desk.config.updateTimeoutMs);
    const intake = vpnIntake({ description: 'Log excerpt: \u0000\u0000' });
    const first = await api.open(intake, { description: intake.description }).catch((err: unknown) => err);
    expect(first).toBeInstanceOf(HttpProblem);
    expect(first).toMatchObject({ status: 422, detail: expect.stringMatching(/^the change cannot be stored: it contains a NUL character/) });
    const again = await api.open(intake, { description: intake.description }).catch((err: unknown) => err);
    expect(again).toMatchObject({ status: 422, detail: expect.stringContaining('refused before and nothing was stored') });
  });
});

describe('removing what a failed change left', () => {
  it('takes back its change (events, notifications, KPI fact, load) and puts the ticket back at the failed version', async () => {
    const at = new Date().toISOString();
    const ticket = { ...newTicket(vpnIntake(), at), version: 1, status: 'assigned' as const, assignment: { group: 'network-l1', agent: 'ann' } };
    const event = (seq: number, type: string) => ({ ticketId: ticket.id, seq, at, type, actor: people.sam, visibility: 'internal' as const, data: {} });
    const note = (version: number, kind: string) => ({ id: `${ticket.id}:${version}:${kind}:supervisors`, ticketId: ticket.id, kind, to: { type: 'supervisors' as const }, subject: 's', body: 'b', at });
    const kpi = { bucket: `${at.slice(0, 10)}#wedge`, backlogChanged: true };
    await desk.relayed();
    const [annBefore, benBefore] = [await desk.loadOf('ann'), await desk.loadOf('ben')];
    await desk.relay!.stop();
    try {
      await desk.tickets.record({ ticket, events: [event(1, 'created'), event(2, 'assigned')], notifications: [note(1, 'assigned')], load: { claim: ['ann'] }, kpi });
      // A change (version 2, seq 3–4) that got half-way: its change document written, its ticket document not.
      const failed = { ...ticket, version: 2, status: 'in_progress' as const, assignment: { group: 'network-l1', agent: 'ben' } };
      await desk.db.models.Change.collection.insertOne(changeDocumentOf({ ticket: failed, events: [event(3, 'transferred'), event(4, 'notified')], notifications: [note(2, 'assigned')], load: { release: ['ann'], claim: ['ben'] }, kpi }) as never);
      const discard = () => desk.tickets.discard({ ticket: { ...ticket, version: 2 }, recorded: true, version: 2, kpiBucket: kpi.bucket });
      await discard();
      expect((await timeline(ticket.id)).map((e) => e.seq)).toEqual([1, 2]);
      expect((await outbox(ticket.id)).map((n) => n._id)).toEqual([note(1, 'assigned').id]);
      expect(await desk.tickets.findById(ticket.id)).toEqual({ ...ticket, version: 2 });
      // Idempotent: a retried clean-up changes nothing more.
      await discard();
      expect((await timeline(ticket.id)).map((e) => e.seq)).toEqual([1, 2]);
    } finally {
      desk.relay!.start();
    }
    // Only version 1 reached the relay: ann holds the ticket, ben does not.
    await desk.relayed();
    expect([await desk.loadOf('ann'), await desk.loadOf('ben')]).toEqual([annBefore + 1, benBefore]);

    // A change the relay already took (version 3: to ben) is emptied, and a compensating change folds back its load and fact.
    const moved = { ...ticket, version: 3, status: 'in_progress' as const, assignment: { group: 'network-l1', agent: 'ben' } };
    await desk.tickets.record({ ticket: moved, events: [event(5, 'transferred')], notifications: [note(3, 'assigned')], load: { release: ['ann'], claim: ['ben'] }, kpi });
    await desk.relayed();
    expect([await desk.loadOf('ann'), await desk.loadOf('ben')]).toEqual([annBefore, benBefore + 1]);
    await desk.tickets.discard({ ticket: { ...ticket, version: 3 }, recorded: true, version: 3, kpiBucket: kpi.bucket });
    await desk.relayed();
    expect((await timeline(ticket.id)).map((e) => e.seq)).toEqual([1, 2]);
    expect([await desk.loadOf('ann'), await desk.loadOf('ben')]).toEqual([annBefore + 1, benBefore]);
    expect(await kpiFact(ticket.id)).toBe(encodeFact(factOf({ ...ticket, version: 3 })));

    // The next change (version 4, seq 6) is stored whole; the failed versions' keys are never used again.
    await desk.tickets.record({ ticket: { ...ticket, version: 4, status: 'in_progress' }, events: [event(6, 'comment')], notifications: [note(4, 'assigned')], kpi });
    expect((await timeline(ticket.id)).map((e) => e.seq)).toEqual([1, 2, 6]);
    expect(await desk.tickets.findById(ticket.id)).toMatchObject({ version: 4, status: 'in_progress' });
    expect((await outbox(ticket.id)).map((n) => n._id)).toContain(note(4, 'assigned').id);
  });
});

describe('a store the worker cannot reach', () => {
  const tokens = () => ({
    alice: desk.token({ sub: 'alice', role: 'requester', name: 'Alice Martin', email: 'alice@example.com' }),
    ann: desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] }),
  });

  it('answers 503 problem+json with Retry-After while it is down, and the retry with the same key applies the change once', async () => {
    const { alice, ann } = tokens();
    const created = await desk.http('POST', '/tickets', { token: alice, body: { title: 'VPN drops every hour', description: 'Since Monday', channel: 'portal', productLine: 'network', module: 'vpn', problemType: 'question', fields: {} } });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const before = await timeline(id);
    const comment = { body: 'Checking the concentrator', visibility: 'public' };
    const headers = { 'idempotency-key': 'reply-1' };

    relay.cut();
    const failed = await desk.http('POST', `/tickets/${id}/comments`, { token: ann, body: comment, headers });
    // The API's own deadline answers: the workflow keeps waiting for the store, nothing is rolled back.
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await timeline(id)).length).toBe(before.length);

    relay.heal();
    // The retry carries the same key, so the same update id: it joins the change still waiting for the store.
    const retried = await desk.http('POST', `/tickets/${id}/comments`, { token: ann, body: comment, headers });
    expect(retried.status).toBe(201);
    expect(retried.body.ticket).toMatchObject({ status: 'in_progress', version: created.body.version + 1 });
    const comments = (await timeline(id)).filter((e) => e.type === 'comment');
    expect(comments.map((e) => e.data)).toEqual([{ body: 'Checking the concentrator' }]);
    // Nothing was discarded, so the timeline goes on without a gap.
    expect(comments[0]!.seq).toBe(before.at(-1)!.seq + 1);
    const handle = desk.client.workflow.getHandle(ticketWorkflowId(id));
    expect((await localActivities(handle)).some((a) => a.type === 'discardChange')).toBe(false);
  });

  it('keeps the workflow alive when a timer step cannot be stored, and records it once the store is back', async () => {
    // A P3 ticket (no review owed) whose confirmation window and survey are seconds long.
    const settings = { ...DEFAULT_SETTINGS, confirmationWindowMs: 3_000, surveyWindowMs: 1_000 };
    const { ticket } = await open({ impact: 'minor', urgency: 'low' }, settings);
    const agent = { id: ticket.assignment.agent!, role: 'agent' as const };
    await change(desk.client, ticket.id, resolveTicket, { actor: agent, summary: 'Fixed', rootCause: 'Cause', steps: 'Steps' });
    const resolvedAt = Date.now();
    const handle = desk.client.workflow.getHandle(ticketWorkflowId(ticket.id));

    relay.cut();
    // The reminder (1.5 s) and the closure (3 s) fall due while the store is out of reach: the workflow runs on.
    await waitFor('the confirmation window to end', async () => Date.now() > resolvedAt + 4_000, 30_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await timeline(ticket.id)).some((e) => e.type === 'confirmation_reminder')).toBe(false);

    relay.heal();
    const final = await handle.result();
    expect(final).toMatchObject({ status: 'closed', closure: { survey: { status: 'expired' } } });
    const events = await timeline(ticket.id);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'confirmation_reminder')).toHaveLength(1);
    expect(types.filter((t) => t === 'survey_expired')).toHaveLength(1);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect((await outbox(ticket.id)).filter((n) => n.kind === 'confirmation_reminder')).toHaveLength(1);
    expect((await localActivities(handle)).some((a) => a.type === 'discardChange')).toBe(false);
  }, 90_000);
});

/** The local activities a workflow ran, from its history's markers. */
async function localActivities(handle: ReturnType<TestDesk['client']['workflow']['getHandle']>) {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
    if (!data) return [];
    const marker = JSON.parse(Buffer.from(data).toString()) as { activity_type?: string };
    return marker.activity_type ? [{ type: marker.activity_type, failed: !!event.markerRecordedEventAttributes?.failure }] : [];
  });
}
