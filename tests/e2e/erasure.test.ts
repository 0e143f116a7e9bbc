// Erasure of a person (GDPR Article 17; README, "Privacy") against real servers: afterwards no MongoDB collection,
// GridFS chunks included, holds their name, email or anything they wrote; their tickets' Temporal histories no
// longer decode; their tickets are gone from their view; the KPIs keep their numbers; asking again changes nothing;
// and an erasure whose worker dies halfway is finished by the next one.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Binary } from 'mongodb';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ticketWorkflowId } from '../../domain/ticket';
import { ENCRYPTED_ENCODING } from '../../platform/payload-codec';
import { PAYLOAD_KEYS_COLLECTION } from '../../store/keys';
import { erasureIdOf } from '../../store/privacy';
import { startDesk, testServers, TEST_MASTER_KEY, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

/** Everything that is Wanda's: none of it may be left anywhere once she is erased. */
const WANDA = {
  name: 'Wanda Loeschbar',
  email: 'wanda.loeschbar@example.net',
  title: 'Turnstile 7Q rejects my visitor pass',
  description: 'The turnstile at gate 7Q beeps twice and stays shut for pass WL-88213',
  symptom: 'two beeps, red light, pass WL-88213',
  comment: 'My colleague Hugo saw it too at 07:55 (WL-88213)',
  rating: 'Gate 7Q works again, thanks',
  openTitle: 'Locker 7Q-14 will not open with pass WL-88213',
  mailSubject: 'Parking barrier 7Q ignores pass WL-88213',
  mailText: 'The barrier in car park 7Q ignores my pass WL-88213 every evening',
  file: 'WL-88213 gate log: denied 07:55, denied 07:56',
  fileName: 'wanda-gate-7q.log',
  loose: 'WL-88213 photo of the pass, never attached',
};
/** What must be gone: every value above, and her id, email and name in any case. */
const GONE = [...Object.values(WANDA), 'wanda', 'loeschbar', 'WL-88213'];

let desk: TestDesk;
const tokens = {} as Record<'wanda' | 'bob' | 'ann' | 'root' | 'gateway', string>;
const ids = {} as Record<'closed' | 'open' | 'byMail' | 'bobs', string>;
const PERIOD = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;

async function ok(method: string, url: string, token: string, body?: unknown) {
  const res = await desk.http(method, url, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function upload(token: string, content: string, name: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/plain' }), name);
  const res = await fetch(`${desk.baseUrl}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return ((await res.json()) as { uploadId: string }).uploadId;
}

/** Polls a condition (the workflow runs on its own), never a fixed pause. */
async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
  }
}

const erase = (token: string, person: string, body: unknown = { reason: `${WANDA.name} asked by mail to be forgotten` }) => desk.http('POST', `/privacy/people/${person}/erase`, { token, body });
const erasureDone = (id: string) => until(async () => ((await desk.http('GET', `/privacy/erasures/${id}`, { token: tokens.root })).body?.status === 'done' ? true : null));

/** Every document of every collection of the desk's database as text, binary data (GridFS chunks) decoded. */
async function everythingStored(d: TestDesk): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const asText = (value: unknown): unknown =>
    value instanceof Binary ? Buffer.from(value.buffer).toString('utf8') : Array.isArray(value) ? value.map(asText) : value && typeof value === 'object' && !(value instanceof Date) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v)])) : value;
  for (const { name } of await d.db.connection.db!.listCollections().toArray()) {
    const docs = await d.db.connection.db!.collection(name).find().toArray();
    out.set(name, JSON.stringify(docs.map(asText)));
  }
  return out;
}

const kpis = async () => {
  await desk.relayed();
  const { generatedAt: _at, ...report } = await ok('GET', `/kpis?${PERIOD}&groupBy=priority`, tokens.root);
  return report;
};
const withoutBacklog = (report: any) => JSON.parse(JSON.stringify(report, (k, v) => (k === 'backlog' ? undefined : v)));

let kpisBefore: any;
let firstAnswer: any;

beforeAll(async () => {
  desk = await startDesk('e2e-erasure');
  tokens.wanda = desk.token({ sub: 'wanda', role: 'requester', name: WANDA.name, email: WANDA.email });
  tokens.bob = desk.token({ sub: 'bob', role: 'requester', name: 'Bob Other' });
  tokens.ann = desk.token({ sub: 'ann', role: 'agent', name: 'Ann Lee', groups: ['network-l1'] });
  tokens.root = desk.token({ sub: 'root', role: 'admin' });
  tokens.gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });

  // A closed ticket with her file, her comment, a reply, a resolution that became a draft article, her rating.
  const file = await upload(tokens.wanda, WANDA.file, WANDA.fileName);
  const mine = { ...createTicketBody, description: WANDA.description, fields: { ...createTicketBody.fields, symptom: WANDA.symptom } };
  ids.closed = (await ok('POST', '/tickets', tokens.wanda, { ...mine, title: WANDA.title, attachments: [{ uploadId: file }] })).id;
  const t = `/tickets/${ids.closed}`;
  await ok('POST', `${t}/comments`, tokens.wanda, { body: WANDA.comment });
  await ok('POST', `${t}/comments`, tokens.ann, { body: 'We reset the turnstile controller' });
  await ok('POST', `${t}/resolve`, tokens.ann, { summary: 'Controller reset', rootCause: 'stale pass list', steps: 'reset', newKnowledge: true });
  await ok('POST', `${t}/confirm`, tokens.wanda, {});
  await ok('POST', `${t}/csat`, tokens.wanda, { score: 5, comment: WANDA.rating });
  // One still open, one she sent by mail (filed under her address), an upload she never attached; and Bob's.
  ids.open = (await ok('POST', '/tickets', tokens.wanda, { ...mine, title: WANDA.openTitle })).id;
  ids.byMail = (await ok('POST', '/channels/email', tokens.gateway, { messageId: `<erasure-${Date.now()}@mail.example.org>`, from: `${WANDA.name} <${WANDA.email}>`, to: ['support@example.com'], subject: WANDA.mailSubject, text: WANDA.mailText })).ticket.id;
  await upload(tokens.wanda, WANDA.loose, 'loose.txt');
  ids.bobs = (await ok('POST', '/tickets', tokens.bob, { ...createTicketBody, title: 'Bob’s own printer' })).id;
  kpisBefore = await kpis();

  firstAnswer = await erase(tokens.root, 'wanda');
  await erasureDone(firstAnswer.body.id);
  kpisAfter = await kpis();
}, 120_000);
afterAll(() => desk.close());

let kpisAfter: any;

describe('POST /privacy/people/{id}/erase', () => {
  it('answers 202 with the erasure’s id and where to follow it; the audit log names who, when, why and which tickets, never her', async () => {
    expect(firstAnswer.status).toBe(202);
    expect(firstAnswer.body.id).toBe(erasureIdOf('wanda'));
    expect(firstAnswer.headers.get('location')).toBe(`/privacy/erasures/${firstAnswer.body.id}`);
    const record = await ok('GET', `/privacy/erasures/${firstAnswer.body.id}`, tokens.root);
    expect(record).toMatchObject({ kind: 'erasure', status: 'done', requestedBy: 'root', reason: '[erased] asked by mail to be forgotten', error: null });
    expect([...record.tickets].sort()).toEqual([ids.closed, ids.open, ids.byMail].sort());
    expect(Date.parse(record.completedAt)).toBeGreaterThanOrEqual(Date.parse(record.requestedAt));
  });

  it('leaves her name, email and every text she wrote in no MongoDB collection, GridFS chunks included', async () => {
    const stored = await everythingStored(desk);
    expect([...stored.keys()]).toEqual(expect.arrayContaining(['tickets', 'changes', 'erasures', 'payload_keys', 'attachments.files', 'attachments.chunks', 'mail_threads', 'kb_articles']));
    // Each find with what surrounds it, so a failure says where it sits.
    const found = [...stored].flatMap(([collection, text]) =>
      GONE.map((g) => [g, text.toLowerCase().indexOf(g.toLowerCase())] as const)
        .filter(([, at]) => at >= 0)
        .map(([g, at]) => `${collection}: ${g} in …${text.slice(Math.max(0, at - 150), at + 60)}…`),
    );
    expect(found).toEqual([]);
    // Bob is untouched.
    expect(stored.get('tickets')).toContain('Bob’s own printer');
  });

  it('cancelled her open ticket through its workflow and ended every workflow of hers', async () => {
    const open = await desk.tickets.findById(ids.open);
    expect(open).toMatchObject({ status: 'cancelled', title: '[erased]', requester: { id: '[erased]' } });
    for (const id of [ids.closed, ids.open, ids.byMail]) {
      expect((await desk.client.workflow.getHandle(ticketWorkflowId(id)).describe()).status.name).not.toBe('RUNNING');
    }
    // The closed one keeps what the KPIs read: status, times, the CSAT score.
    expect(await desk.tickets.findById(ids.closed)).toMatchObject({ status: 'closed', csat: { score: 5, comment: '[erased]' }, resolution: { summary: '[erased]' } });
  });

  it('shreds her tickets’ keys: no payload of their histories decodes, the codec says the key no longer exists', async () => {
    const plain = new Client({ connection: desk.client.connection });
    for (const id of [ids.closed, ids.open, ids.byMail]) {
      const key = await desk.db.connection.db!.collection(PAYLOAD_KEYS_COLLECTION).findOne({ _id: `ticket:${id}` as never });
      expect(key).toMatchObject({ keys: [] });
      const history = JSON.parse(historyToJSON(await plain.workflow.getHandle(ticketWorkflowId(id)).fetchHistory()));
      const payloads: any[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          const o = v as Record<string, any>;
          if (o.metadata && Buffer.from(o.metadata.encoding ?? '', 'base64').toString() === ENCRYPTED_ENCODING) payloads.push(o);
          else Object.values(o).forEach(walk);
        }
      };
      walk(history.events);
      expect(payloads.length).toBeGreaterThan(5);
      const res = await ok('POST', '/codec/decode', tokens.root, { payloads });
      const texts = res.payloads.map((p: any) => Buffer.from(p.data, 'base64').toString('utf8'));
      for (const text of texts) expect(text).toMatch(new RegExp(`^"\\[not decodable: the key ticket:${id}/1 of this payload does not exist`));
    }
  });

  it('takes her tickets out of her view: her list is empty, each ticket 404s, a change 404s', async () => {
    expect((await ok('GET', '/tickets', tokens.wanda)).items).toEqual([]);
    for (const id of [ids.closed, ids.open, ids.byMail]) expect((await desk.http('GET', `/tickets/${id}`, { token: tokens.wanda })).status).toBe(404);
    expect((await desk.http('POST', `/tickets/${ids.open}/comments`, { token: tokens.wanda, body: { body: 'hello?' } })).status).toBe(404);
    expect((await ok('GET', '/me/export', tokens.wanda)).tickets).toEqual([]);
  });

  it('keeps the KPIs’ numbers: the same report over the period, but for the open ticket it cancelled leaving the backlog', async () => {
    expect(withoutBacklog(kpisAfter)).toEqual(withoutBacklog(kpisBefore));
    expect(kpisAfter.totals.backlog.open).toBe(kpisBefore.totals.backlog.open - 2);
  });

  it('is a no-op the second time: the same erasure answered, nothing stored changes', async () => {
    const before = await everythingStored(desk);
    const again = await erase(tokens.root, 'wanda', { reason: 'asked twice' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(await ok('GET', `/privacy/erasures/${firstAnswer.body.id}`, tokens.root));
    expect(again.body.reason).toBe('[erased] asked by mail to be forgotten');
    expect(await everythingStored(desk)).toEqual(before);
  });

  it('takes admins only (403 otherwise), and names body.reason when it is missing', async () => {
    for (const token of [tokens.wanda, tokens.ann, tokens.gateway, desk.token({ sub: 'sam', role: 'supervisor' })]) {
      expect((await erase(token, 'bob')).status).toBe(403);
      expect((await desk.http('GET', `/privacy/erasures/${firstAnswer.body.id}`, { token })).status).toBe(403);
    }
    for (const body of [{}, undefined, { reason: '' }]) {
      const res = await desk.http('POST', '/privacy/people/bob/erase', { token: tokens.root, ...(body === undefined ? {} : { body }) });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: any) => e.path)).toEqual(['body.reason']);
    }
    expect((await desk.http('GET', '/privacy/erasures/erasure-unknown', { token: tokens.root })).status).toBe(404);
    // Bob was never erased by any of this.
    expect((await desk.tickets.findById(ids.bobs))?.title).toBe('Bob’s own printer');
  });

  it('erases a person who came back with a new ticket in a new round; asking again after it changes nothing', async () => {
    const back = (await ok('POST', '/tickets', tokens.wanda, { ...createTicketBody, title: 'Wanda is back: gate 9 jams', description: 'Wanda Kowalczyk again' })).id;
    const second = await erase(tokens.root, 'wanda', { reason: 'asked again' });
    expect(second.status).toBe(202);
    expect(second.body.id).not.toBe(firstAnswer.body.id);
    await erasureDone(second.body.id);
    expect((await ok('GET', `/privacy/erasures/${second.body.id}`, tokens.root)).tickets).toEqual([back]);
    expect(await desk.tickets.findById(back)).toMatchObject({ title: '[erased]', status: 'cancelled' });
    const third = await erase(tokens.root, 'wanda', { reason: 'asked a third time' });
    expect(third.status).toBe(200);
    expect(third.body.id).toBe(second.body.id);
  });
});

describe('a worker that dies halfway through an erasure', () => {
  let crashDesk: TestDesk;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await crashDesk?.close();
  });

  function startWorkerProcess(hang: boolean): Promise<{ proc: ChildProcess; halfway: Promise<void> }> {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../helpers/worker-process.ts')], {
      env: {
        ...process.env,
        MONGODB_URI: crashDesk.db.connection.getClient().options.hosts.map((h) => `mongodb://${h.host}:${h.port}`)[0] + `/${crashDesk.db.connection.name}`,
        TEMPORAL_ADDRESS: testServers().temporalAddress,
        TEMPORAL_TASK_QUEUE: crashDesk.config.taskQueue,
        HANG_IN_ERASURE: hang ? '1' : '0',
        PAYLOAD_MASTER_KEY: TEST_MASTER_KEY,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: proc.stdout! });
    let reached: () => void = () => undefined;
    const halfway = new Promise<void>((resolve) => (reached = resolve));
    return new Promise((resolve, reject) => {
      lines.on('line', (line) => {
        if (line === 'worker ready') resolve({ proc, halfway });
        if (line === 'erasure-halfway') reached();
      });
      proc.on('exit', (code) => reject(new Error(`worker process exited with ${code}`)));
    });
  }

  it('is finished by the next worker: every ticket anonymised once, every key shredded', async () => {
    crashDesk = await startDesk('e2e-erasure-crash', { worker: false });
    const first = await startWorkerProcess(true);
    child = first.proc;
    const vera = crashDesk.token({ sub: 'vera', role: 'requester', name: 'Vera Vergessen', email: 'vera@example.net' });
    const root = crashDesk.token({ sub: 'root', role: 'admin' });
    const opened: string[] = [];
    for (const title of ['Vera one', 'Vera two', 'Vera three']) opened.push((await crashDesk.http('POST', '/tickets', { token: vera, body: { ...createTicketBody, title } })).body.id);
    const started = await crashDesk.http('POST', '/privacy/people/vera/erase', { token: root, body: { reason: 'her request' } });
    expect(started.status).toBe(202);

    await first.halfway; // one ticket anonymised, the second under way…
    child.kill('SIGKILL'); // …and the worker's machine died
    await new Promise((r) => child!.once('exit', r));
    const anonymisedMeanwhile = (await Promise.all(opened.map((id) => crashDesk.tickets.findById(id)))).filter((t) => t?.title === '[erased]').length;
    expect(anonymisedMeanwhile).toBeLessThan(3);

    child = (await startWorkerProcess(false)).proc;
    await until(async () => (await crashDesk.http('GET', `/privacy/erasures/${started.body.id}`, { token: root })).body.status === 'done', 90_000);
    for (const id of opened) {
      expect(await crashDesk.tickets.findById(id)).toMatchObject({ status: 'cancelled', title: '[erased]', requester: { id: '[erased]' } });
      expect(await crashDesk.db.connection.db!.collection(PAYLOAD_KEYS_COLLECTION).findOne({ _id: `ticket:${id}` as never })).toMatchObject({ keys: [] });
      // Cancelled once: one cancellation in its timeline.
      expect((await crashDesk.timeline(id)).filter((e) => e.type === 'status_changed' && e.data.to === 'cancelled')).toHaveLength(1);
    }
    const stored = await everythingStored(crashDesk);
    expect([...stored].filter(([, text]) => /vera/i.test(text)).map(([c]) => c)).toEqual([]);
  }, 150_000);
});
