// Personal data never reaches Temporal in the clear (README, "Privacy"): a ticket's whole history, read straight
// from the server without the codec, holds none of what people wrote or who they are; with the codec it all comes
// back. The codec endpoint the Temporal UI calls decodes for supervisors and admins only, across the UI's origin.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ticketWorkflowId } from '../../domain/ticket';
import { loadConfig } from '../../platform/config';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, MASTER_KEY_ID_METADATA, payloadCodec } from '../../platform/payload-codec';
import { masterKeysOf, MemoryKeyVault, PayloadKeyring } from '../../platform/payload-keys';
import { PAYLOAD_KEYS_COLLECTION, PayloadKeyStore } from '../../store/keys';
import { currentTicket } from '../../workflows/definitions';
import { startDesk, TEST_MASTER_KEY, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

const UI_KEY = 'ui-codec-key-for-this-test-only-0123456789';
const UI_ORIGIN = 'http://127.0.0.1:8233';

/** Everything people wrote or are called in this ticket's life; none of it may reach Temporal readable. */
const PERSONAL = {
  name: 'Zofia Prywatna',
  email: 'zofia.prywatna@example.org',
  title: 'Badge reader in wing Z refuses badge 0451-ZP',
  description: 'Since the lock firmware update my badge 0451-ZP opens no door in wing Z',
  comment: 'The spare badge 0451-ZQ fails the same way',
  reply: 'Please bring both badges to the front desk before noon',
  note: 'Zofia phoned twice about this already',
  resolution: 'Badge 0451-ZP was re-encoded at the front desk',
  rating: 'Quick and kind help at the front desk',
};

let desk: TestDesk;
let ticketId: string;
const tokens = {} as Record<'zofia' | 'ann' | 'sam' | 'root' | 'gateway', string>;

beforeAll(async () => {
  // The production rate limits (50 a second, bursts of 100): the UI's decode calls must fit within them.
  const { rateLimit, rateBurst } = loadConfig({});
  desk = await startDesk('e2e-privacy', { config: { temporalUiUrl: UI_ORIGIN, rateLimit, rateBurst, payloads: { ...loadConfig({}).payloads, codecUiKey: UI_KEY } } });
  tokens.zofia = desk.token({ sub: 'zofia', role: 'requester', name: PERSONAL.name, email: PERSONAL.email });
  tokens.ann = desk.token({ sub: 'ann', role: 'agent', name: 'Ann Lee', groups: ['network-l1'] });
  tokens.sam = desk.token({ sub: 'sam', role: 'supervisor' });
  tokens.root = desk.token({ sub: 'root', role: 'admin' });
  tokens.gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });
  const ok = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await desk.http(method, path, { token, ...(body === undefined ? {} : { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  ticketId = (await ok('POST', '/tickets', tokens.zofia, { ...createTicketBody, title: PERSONAL.title, description: PERSONAL.description })).id;
  const t = `/tickets/${ticketId}`;
  await ok('POST', `${t}/comments`, tokens.zofia, { body: PERSONAL.comment });
  await ok('POST', `${t}/comments`, tokens.ann, { body: PERSONAL.reply });
  await ok('POST', `${t}/comments`, tokens.ann, { body: PERSONAL.note, visibility: 'internal' });
  await ok('POST', `${t}/resolve`, tokens.ann, { summary: PERSONAL.resolution, rootCause: 'badge data lost in the firmware update', steps: 're-encode', newKnowledge: true });
  await ok('POST', `${t}/confirm`, tokens.zofia, {});
  await ok('POST', `${t}/csat`, tokens.zofia, { score: 5, comment: PERSONAL.rating });
});
afterAll(() => desk.close());

/** A client on the same server without the codec: what anyone with access to Temporal (or its database) reads. */
const plainClient = () => new Client({ connection: desk.client.connection });

/** Every run of the ticket's workflow, as the server keeps it, in the JSON form the UI and the CLI download. */
async function rawHistories(): Promise<Array<{ events: Array<Record<string, unknown>> }>> {
  const runs = [];
  for await (const run of plainClient().workflow.list({ query: `WorkflowId = '${ticketWorkflowId(ticketId)}'` })) runs.push(run.runId);
  expect(runs.length).toBeGreaterThanOrEqual(1);
  return Promise.all(runs.map(async (runId) => JSON.parse(historyToJSON(await plainClient().workflow.getHandle(ticketWorkflowId(ticketId), runId).fetchHistory()))));
}

interface FoundPayload {
  path: string;
  payload: { metadata?: Record<string, string>; data?: string };
}

/** Every payload in a history (JSON form: metadata values and data in base64), with where it sits. */
function payloadsIn(value: unknown, path: string, into: FoundPayload[] = []): FoundPayload[] {
  if (Array.isArray(value)) value.forEach((v) => payloadsIn(v, path, into));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && !Array.isArray(o.metadata)) into.push({ path, payload: o as FoundPayload['payload'] });
    else for (const [k, v] of Object.entries(o)) payloadsIn(v, path ? `${path}.${k}` : k, into);
  }
  return into;
}

const fromBase64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');
const asPayload = ({ metadata, data }: FoundPayload['payload']): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(data ?? '', 'base64'),
});

describe('a ticket’s history in Temporal', () => {
  it('holds none of the personal text when read without the codec, wherever it looks', async () => {
    const histories = await rawHistories();
    const payloads = histories.flatMap((h) => h.events.flatMap((e) => payloadsIn(e, String(e.eventType))));
    expect(payloads.length).toBeGreaterThan(20);
    // The history as text, and every payload's metadata and data bytes decoded as text.
    const everything = [
      ...histories.map((h) => JSON.stringify(h)),
      ...payloads.flatMap(({ payload }) => [fromBase64(payload.data), ...Object.values(payload.metadata ?? {}).map(fromBase64)]),
    ].join('\n');
    for (const [what, text] of Object.entries(PERSONAL)) expect([what, everything.includes(text)]).toEqual([what, false]);
    // Nor in pieces: the name and the badge number alone.
    expect(everything).not.toContain('Zofia');
    expect(everything).not.toContain('0451-Z');
  });

  it('encrypts every payload but the search attributes and the SDK’s own local-activity bookkeeping', async () => {
    const payloads = (await rawHistories()).flatMap((h) => h.events.flatMap((e) => payloadsIn(e, String(e.eventType))));
    const plain = payloads.filter(({ payload }) => fromBase64(payload.metadata?.encoding) !== ENCRYPTED_ENCODING);
    const kinds = new Set(plain.map(({ path }) => path.replace(/\.indexedFields\.\w+$/, '.indexedFields.*')));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'EVENT_TYPE_MARKER_RECORDED.markerRecordedEventAttributes.details.data.payloads',
        'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES.upsertWorkflowSearchAttributesEventAttributes.searchAttributes.indexedFields.*',
      ]),
    );
    for (const kind of kinds) expect(kind).toMatch(/searchAttributes\.indexedFields\.\*$|^EVENT_TYPE_MARKER_RECORDED\.markerRecordedEventAttributes\.details\.(data|patch-data)\.payloads$/);
    // A patch marker (workflows/: patched) names its patch and nothing else.
    for (const { payload } of plain.filter((p) => p.path.endsWith('details.patch-data.payloads'))) expect(Object.keys(JSON.parse(fromBase64(payload.data))).sort()).toEqual(['deprecated', 'id']);
    // The bookkeeping Core records names the activity and its timing only.
    for (const { path, payload } of plain.filter((p) => p.path.endsWith('details.data.payloads'))) {
      expect([path, Object.keys(JSON.parse(fromBase64(payload.data))).sort()]).toEqual([path, expect.arrayContaining(['activity_id', 'activity_type', 'attempt'])]);
    }
    // Each encrypted payload names its key (the ticket's) and the master key that wraps it.
    const encrypted = payloads.filter((p) => !plain.includes(p));
    const keyIds = new Set(encrypted.map(({ payload }) => fromBase64(payload.metadata?.[KEY_ID_METADATA])));
    expect([...keyIds]).toEqual([`ticket:${ticketId}/1`]);
    expect(new Set(encrypted.map(({ payload }) => fromBase64(payload.metadata?.[MASTER_KEY_ID_METADATA])))).toEqual(new Set([masterKeysOf(TEST_MASTER_KEY).current.id]));
    // The ticket's key is stored wrapped: its document holds no key in the clear.
    const stored = await desk.db.connection.db!.collection(PAYLOAD_KEYS_COLLECTION).findOne({ _id: `ticket:${ticketId}` as never });
    expect(stored).toMatchObject({ current: 1, keys: [{ version: 1, masterKeyId: masterKeysOf(TEST_MASTER_KEY).current.id, wrapped: expect.any(String) }] });
  });

  it('gives all of it back through the codec, with the keys read afresh from MongoDB', async () => {
    // A new codec (another process, say): nothing cached, every key unwrapped from its stored form.
    const codec = payloadCodec(masterKeysOf(TEST_MASTER_KEY), desk.db.connection.db!)!;
    const payloads = (await rawHistories()).flatMap((h) => h.events.flatMap((e) => payloadsIn(e, String(e.eventType))));
    const decoded = await codec.decode(payloads.map(({ payload }) => asPayload(payload)));
    const text = decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
    for (const [what, value] of Object.entries(PERSONAL)) expect([what, text.includes(value)]).toEqual([what, true]);
    // The workflow's summary in the UI is the ticket's title, encrypted like the rest.
    expect(await (await desk.client.workflow.getHandle(ticketWorkflowId(ticketId)).describe()).staticSummary()).toBe(PERSONAL.title);
  });

  it('answers queries encrypted: a client without the codec cannot read them', async () => {
    const id = ticketWorkflowId(ticketId);
    await expect(plainClient().workflow.getHandle(id).query(currentTicket)).rejects.toThrow(/binary\/encrypted/);
    await expect(plainClient().workflow.getHandle(id).query('__temporal_workflow_metadata')).rejects.toThrow(/binary\/encrypted/);
    expect(await desk.client.workflow.getHandle(id).query(currentTicket)).toMatchObject({ title: PERSONAL.title, requester: { name: PERSONAL.name, email: PERSONAL.email } });
  });
});

describe('key rotation', () => {
  const NEW_MASTER = '9a'.repeat(32);

  it('re-wraps every data key under a new master key, after which the old one is no longer needed', async () => {
    const store = new PayloadKeyStore(desk.db.connection.db!);
    const payloads = (await rawHistories()).flatMap((h) => h.events.flatMap((e) => payloadsIn(e, String(e.eventType)))).map(({ payload }) => asPayload(payload));
    // As `npm run payload-keys -- rewrap` runs it: the new key current, the old one previous.
    const rotated = new PayloadKeyring(masterKeysOf(NEW_MASTER, [TEST_MASTER_KEY]), store);
    expect(await store.rewrap(rotated)).toEqual({ rewrapped: expect.any(Number), left: 0 });
    expect(await store.rewrap(rotated)).toEqual({ rewrapped: 0, left: 0 });
    const onlyNew = new EncryptionCodec(new PayloadKeyring(masterKeysOf(NEW_MASTER), store));
    const text = (await onlyNew.decode(payloads)).map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
    expect(text).toContain(PERSONAL.title);
    // Back to the tests' master key, for the rest of this file.
    await store.rewrap(new PayloadKeyring(masterKeysOf(TEST_MASTER_KEY, [NEW_MASTER]), store));
  });

  it('rotates a ticket’s data key: new payloads use the new version, older ones still decode', async () => {
    const store = new PayloadKeyStore(desk.db.connection.db!);
    const keyring = new PayloadKeyring(masterKeysOf(TEST_MASTER_KEY), store);
    const codec = new EncryptionCodec(keyring);
    const context = { type: 'workflow' as const, namespace: 'default', workflowId: ticketWorkflowId(ticketId) };
    const [before] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"before"') }], context);
    expect(await store.rotate(keyring, `ticket:${ticketId}`)).toBe(2);
    const [after] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"after"') }], context);
    expect(Buffer.from(after!.metadata![KEY_ID_METADATA]!).toString()).toBe(`ticket:${ticketId}/2`);
    const fresh = payloadCodec(masterKeysOf(TEST_MASTER_KEY), desk.db.connection.db!)!;
    expect((await fresh.decode([before!, after!])).map((p) => Buffer.from(p.data!).toString())).toEqual(['"before"', '"after"']);
  });
});

describe('the codec endpoint (Temporal’s remote codec protocol)', () => {
  /** The encrypted payloads of the ticket's history, as the UI sends them: protobuf JSON, base64. */
  const encryptedPayloads = async () =>
    (await rawHistories()).flatMap((h) => h.events.flatMap((e) => payloadsIn(e, String(e.eventType)))).filter(({ payload }) => fromBase64(payload.metadata?.encoding) === ENCRYPTED_ENCODING).map(({ payload }) => payload);
  const decode = (token: string | undefined, payloads: unknown[], headers: Record<string, string> = {}) =>
    desk.http('POST', '/codec/decode', { ...(token ? { token } : {}), body: { payloads }, headers: { 'X-Namespace': 'default', ...headers } });
  const textOf = (body: { payloads: Array<{ data: string }> }) => body.payloads.map((p) => fromBase64(p.data)).join('\n');

  it('decodes for supervisors and admins: the story reads again', async () => {
    const payloads = await encryptedPayloads();
    for (const token of [tokens.sam, tokens.root]) {
      const res = await decode(token, payloads);
      expect(res.status).toBe(200);
      expect(res.body.payloads).toHaveLength(payloads.length);
      expect(res.body.payloads.every((p: any) => fromBase64(p.metadata.encoding) !== ENCRYPTED_ENCODING)).toBe(true);
      for (const [what, value] of Object.entries(PERSONAL)) expect([what, textOf(res.body).includes(value)]).toEqual([what, true]);
    }
  });

  it('refuses requesters, agents and the mail gateway (403), and anyone without a token (401)', async () => {
    const payloads = (await encryptedPayloads()).slice(0, 3);
    for (const token of [tokens.zofia, tokens.ann, tokens.gateway]) {
      const res = await decode(token, payloads);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('0451');
    }
    expect((await decode(undefined, payloads)).status).toBe(401);
    expect((await desk.http('POST', '/codec/encode', { token: tokens.ann, body: { payloads: [] } })).status).toBe(403);
  });

  it('answers the Temporal UI’s CORS preflight for its origin only, and marks its answers for that origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${desk.baseUrl}/codec/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' } });
    for (const origin of [UI_ORIGIN, 'http://localhost:8233']) {
      const res = await preflight(origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));
    }
    const stranger = await preflight('http://evil.example');
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();

    const answered = await decode(tokens.sam, [], { Origin: UI_ORIGIN });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect((await decode(tokens.sam, [], { Origin: 'http://evil.example' })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('takes a long history’s decode calls at once, as the UI sends them (one per event), within the rate limit', async () => {
    const [one] = await encryptedPayloads();
    const answers = await Promise.all(Array.from({ length: 400 }, () => decode(tokens.sam, [one])));
    expect(answers.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
    // Other routes keep their limit.
    const reads = await Promise.all(Array.from({ length: 150 }, () => desk.http('GET', '/me', { token: tokens.root })));
    expect(reads.some((r) => r.status === 429)).toBe(true);
  });

  it('decodes for a Temporal UI without a sign-in of its own through the codec key, and for no other key', async () => {
    const payloads = (await encryptedPayloads()).slice(0, 5);
    const byKey = await desk.http('POST', `/codec/ui/${UI_KEY}/decode`, { body: { payloads }, headers: { Origin: UI_ORIGIN } });
    expect(byKey.status).toBe(200);
    expect(textOf(byKey.body)).toContain(PERSONAL.title);
    expect(byKey.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const wrong = await desk.http('POST', `/codec/ui/${UI_KEY.replace(/.$/, 'x')}/decode`, { body: { payloads } });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('0451');
    // The key is not a token: no other route takes it.
    expect((await desk.http('GET', `/tickets/${ticketId}`, { token: UI_KEY })).status).toBe(401);
  });

  it('round-trips what the UI encodes, passes plain payloads through, and says which payloads cannot be decoded', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"typed in the UI"').toString('base64') };
    const encoded = await desk.http('POST', '/codec/encode', { token: tokens.sam, body: { payloads: [plain] } });
    expect(encoded.status).toBe(200);
    expect(fromBase64(encoded.body.payloads[0].metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(fromBase64(encoded.body.payloads[0].metadata[KEY_ID_METADATA])).toBe('desk/1');
    expect(fromBase64(encoded.body.payloads[0].data)).not.toContain('typed in the UI');

    // A payload whose key this desk never had (another desk's, or an erased ticket's), and one altered in transit.
    const elsewhere = new EncryptionCodec(new PayloadKeyring(masterKeysOf(TEST_MASTER_KEY), new MemoryKeyVault()));
    const [foreign] = await elsewhere.encode([asPayload(plain)], { type: 'workflow', namespace: 'default', workflowId: 'ticket-0000000000' });
    const [own] = (await encryptedPayloads()).slice(0, 1);
    const altered = { ...own!, data: Buffer.from(Buffer.from(own!.data!, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64') };
    const toJson = (p: Payload) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data!).toString('base64') });

    const res = await decode(tokens.sam, [encoded.body.payloads[0], plain, toJson(foreign!), altered]);
    expect(res.status).toBe(200);
    expect(res.body.payloads.map((p: any) => fromBase64(p.data))).toEqual([
      '"typed in the UI"',
      '"typed in the UI"',
      expect.stringMatching(/^"\[not decodable: the key ticket:0000000000\/1 of this payload does not exist/),
      expect.stringMatching(/^"\[not decodable: a payload does not decrypt with its key ticket:\w+\/1/),
    ]);
    expect((await decode(tokens.sam, [{ metadata: { encoding: 'not base64!' } }])).status).toBe(400);
  });
});

describe('without PAYLOAD_MASTER_KEY', () => {
  /** Runs an entry point as `npm run worker` (etc.) would, without the key, and returns how it ended. */
  function start(entry: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
  }

  it('the worker, the API and the mail intake refuse to start, saying why, before they reach any server', async () => {
    // Servers that do not exist: a process that got past its check would wait for them instead of exiting.
    const env = { PATH: process.env.PATH, AUTH_JWT_SECRET: 'x', MONGODB_URI: 'mongodb://127.0.0.1:9/none', TEMPORAL_ADDRESS: '127.0.0.1:9' };
    const ended = await Promise.all(['worker/main.ts', 'api/main.ts', 'mail/intake-main.ts'].map((entry) => start(entry, env)));
    for (const { code, output } of ended) {
      expect(code).toBe(1);
      expect(output).toContain('PAYLOAD_MASTER_KEY is not set');
    }
    const malformed = await start('worker/main.ts', { ...env, PAYLOAD_MASTER_KEY: 'not-a-key' });
    expect(malformed.code).toBe(1);
    expect(malformed.output).toContain('PAYLOAD_MASTER_KEY must be 32 bytes');
  });
});
