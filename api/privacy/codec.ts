// Temporal's remote codec protocol (README, "Privacy"): the Temporal UI and CLI send the payloads they show to
// POST /codec/decode and get them back readable, for supervisors and admins only. A supervisor's bearer token is the
// credential (the UI forwards it with `codec.passAccessToken` over HTTPS; the CLI with --codec-auth); a UI without a
// sign-in of its own (the dev server's, start:cluster's) is given /codec/ui/{CODEC_UI_KEY} instead. Browsers reach
// these routes across origins only from the Temporal UI's (TEMPORAL_UI_URL).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { isEncrypted, keyIdOfPayload, type EncryptionCodec } from '../../platform/payload-codec';
import { parseKeyId, PayloadKeyError } from '../../platform/payload-keys';
import type { Principal } from '../../domain/roles';
import type { ApiDeps } from '../deps';
import { forbidden, unauthorized } from '../http/problem';
import { defineRoute, type Route, type RouteContext } from '../http/routes';

/** A UI decodes one event's payloads per call; a continued-as-new ticket's state can be large, so more than JSON's usual limit. */
export const CODEC_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const payloadJson = z.object({
  metadata: z.record(z.string().max(256), base64).optional(),
  data: base64.optional(),
});
const codecBody = z.object({ payloads: z.array(payloadJson).max(10_000) });
type CodecBody = z.infer<typeof codecBody>;
type PayloadJson = z.infer<typeof payloadJson>;

const namespaceHeader = { 'X-Namespace': { description: 'The namespace whose payloads these are (the Temporal UI sends it)', schema: z.string().max(1000) } };
const CODEC_ROLES = ['supervisor', 'admin'] as const;
/** A history page in the UI sends one decode per event, all at once: fifty of them weigh one ordinary request. */
const CODEC_RATE_COST = 1 / 50;

export function codecRoutes({ codec, config, logger }: ApiDeps): Route[] {
  const reads = new ReadLog(logger);
  const decode = async (body: CodecBody, who: string): Promise<{ payloads: PayloadJson[] }> => {
    const payloads = body.payloads.map(fromJson);
    const decoded = await Promise.all(payloads.map((p) => decodeForDisplay(codec, p)));
    for (const owner of new Set(payloads.map((p) => parseKeyId(keyIdOfPayload(p) ?? '')?.owner))) if (owner) reads.note(who, owner);
    return { payloads: decoded.map(toJson) };
  };
  // Without a workflow to name a key, what a person types in the UI is encrypted with the desk's key.
  const encode = async (body: CodecBody) => ({ payloads: (codec ? await codec.encode(body.payloads.map(fromJson)) : body.payloads.map(fromJson)).map(toJson) });
  const byWhom = (p: Principal) => `${p.role}:${p.sub}`;

  /** One route of the protocol: its body and header, a light rate cost, never cached. */
  const codecRoute = <P = undefined>(route: Pick<Route<CodecBody, undefined, P>, 'path' | 'summary' | 'roles' | 'params'> & {
    answers: string;
    refusals?: Route['responses'];
    run: (ctx: RouteContext<CodecBody, undefined, P>) => Promise<{ payloads: PayloadJson[] }>;
  }): Route =>
    defineRoute<CodecBody, undefined, P>({
      method: 'post',
      path: route.path,
      summary: route.summary,
      tags: ['privacy'],
      rateCost: CODEC_RATE_COST,
      roles: route.roles,
      ...(route.params ? { params: route.params } : {}),
      body: codecBody,
      headers: namespaceHeader,
      responses: { 200: { description: route.answers, schema: codecBody }, ...route.refusals },
      handle: async (ctx) => ({ status: 200, body: await route.run(ctx), headers: { 'Cache-Control': 'no-store' } }),
    });

  const routes = [
    codecRoute({
      path: '/codec/decode',
      summary: 'Temporal remote codec: the payloads readable again (the Temporal UI and CLI call it)',
      roles: CODEC_ROLES,
      answers: 'The same payloads decoded; one that cannot be (its ticket was erased) says so instead',
      run: ({ body, principal }) => decode(body, byWhom(principal)),
    }),
    codecRoute({
      path: '/codec/encode',
      summary: 'Temporal remote codec: payloads encrypted as the desk stores them (for input typed in the Temporal UI)',
      roles: CODEC_ROLES,
      answers: 'The same payloads encrypted with the desk’s key',
      run: ({ body }) => encode(body),
    }),
  ];
  const uiKey = config.payloads.codecUiKey;
  if (!uiKey) return routes;

  // Compared as digests, in constant time: the key is a supervisor's credential.
  const expected = digest(uiKey);
  const checkKey = (key: string) => {
    if (!timingSafeEqual(digest(key), expected)) throw unauthorized('the codec key is not valid');
  };
  const keyParam = z.object({ key: z.string().max(200) });
  const notTheKey = { 401: { description: 'Not the codec key' } };
  return [
    ...routes,
    codecRoute<{ key: string }>({
      path: '/codec/ui/{key}/decode',
      summary: 'Temporal remote codec for a Temporal UI without a sign-in of its own: decodes as a supervisor, for whoever holds CODEC_UI_KEY',
      roles: 'public',
      params: keyParam,
      answers: 'The same payloads decoded',
      refusals: notTheKey,
      run: async ({ body, params }) => {
        checkKey(params.key);
        return decode(body, 'temporal-ui');
      },
    }),
    codecRoute<{ key: string }>({
      path: '/codec/ui/{key}/encode',
      summary: 'Temporal remote codec for a Temporal UI without a sign-in of its own: encrypts input typed in the UI',
      roles: 'public',
      params: keyParam,
      answers: 'The same payloads encrypted with the desk’s key',
      refusals: notTheKey,
      run: async ({ body, params }) => {
        checkKey(params.key);
        return encode(body);
      },
    }),
  ];
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who read whose history, and when: reading people's data is itself worth a record (never its content). The UI
 * decodes a history one event per call, so each reader and ticket is logged once a minute, not once a call.
 */
class ReadLog {
  private readonly last = new Map<string, number>();

  constructor(private readonly logger: ApiDeps['logger']) {}

  note(who: string, owner: string): void {
    const key = `${who} ${owner}`;
    const now = Date.now();
    if (now - (this.last.get(key) ?? 0) < 60_000) return;
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size > 10_000) this.last.delete(this.last.keys().next().value!);
    this.logger.info({ by: who, owner }, 'history decoded for display');
  }
}

/** A payload the UI can show: decoded, or (for an erased ticket's, or a damaged one) a line saying why not. */
async function decodeForDisplay(codec: EncryptionCodec | null, payload: Payload): Promise<Payload> {
  if (!isEncrypted(payload)) return payload;
  if (!codec) return unreadable('payload encryption is off in this API (PAYLOAD_ENCRYPTION=off), so it holds no keys');
  try {
    return await codec.decodeOne(payload);
  } catch (err) {
    // A store that cannot be reached is an outage (503), not a verdict on the payload.
    if (err instanceof PayloadKeyError) return unreadable(err.message);
    throw err;
  }
}

const unreadable = (why: string): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(`[not decodable: ${why}]`)) });

const fromJson = (p: PayloadJson): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): PayloadJson => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * CORS for the codec routes: the Temporal UI's origin (TEMPORAL_UI_URL; a loopback UI under either spelling, 127.0.0.1
 * or localhost), with credentials, as the UI's `includeCredentials` option sends them. Preflights end here.
 */
export function codecCors(uiUrl: string): RequestHandler {
  const allowed = allowedOrigins(uiUrl);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed.has(origin)) {
      res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' });
      if (req.method === 'OPTIONS') {
        res.set({ 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': 'Authorization, Authorization-Extras, Content-Type, X-Namespace', 'Access-Control-Max-Age': '600' });
        res.status(204).end();
        return;
      }
    } else if (req.method === 'OPTIONS') {
      next(forbidden(`the origin ${origin ?? '(none)'} may not call the codec; only the Temporal UI’s (${[...allowed].join(', ')})`));
      return;
    }
    next();
  };
}

function allowedOrigins(uiUrl: string): Set<string> {
  const url = new URL(uiUrl);
  const origins = new Set([url.origin]);
  if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
    for (const host of ['127.0.0.1', 'localhost']) origins.add(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
  }
  return origins;
}
