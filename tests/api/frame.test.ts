// The HTTP frame every route uses: authentication, roles, validation, problem+json, system routes.
import jwt from 'jsonwebtoken';
import { BODY_LIMIT_BYTES } from '../../api/app';
import { startDesk, TEST_SECRET, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
let alice: string;
beforeAll(async () => {
  desk = await startDesk('api-frame');
  alice = desk.token({ sub: 'alice', role: 'requester' });
});
afterAll(() => desk.close());

const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
};

describe('system routes', () => {
  it('answers liveness and readiness without a token', async () => {
    expect((await desk.http('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await desk.http('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { temporal: 'ok', mongodb: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document generated from the route declarations', async () => {
    const { status, body } = await desk.http('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const create = body.paths['/tickets'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['title', 'description', 'channel', 'productLine', 'problemType']));
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
    expect(body.paths['/tickets/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(body.paths['/healthz'].get.security).toEqual([]);
  });
});

describe('authentication', () => {
  const post = (token?: string) => desk.http('POST', '/tickets', { token, body: createTicketBody });

  it('refuses a request without a token', async () => {
    const res = await post();
    expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses tokens signed with another secret, unsigned, expired or without a role', async () => {
    expectProblem(await post(jwt.sign({ sub: 'alice', role: 'requester' }, 'another-secret')), 401);
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"alice","role":"admin"}').toString('base64url')}.`;
    expectProblem(await post(unsigned), 401);
    const expired = await post(jwt.sign({ sub: 'alice', role: 'requester', exp: Math.floor(Date.now() / 1000) - 60 }, TEST_SECRET));
    expectProblem(expired, 401);
    expect(expired.body.detail).toMatch(/expired/);
    expectProblem(await post(jwt.sign({ sub: 'alice' }, TEST_SECRET)), 401);
    expectProblem(await post(jwt.sign({ sub: 'alice', role: 'root' }, TEST_SECRET)), 401);
  });

  it('refuses a requester opening a ticket for someone else', async () => {
    const res = await desk.http('POST', '/tickets', { token: alice, body: { ...createTicketBody, requester: { id: 'bob' } } });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.requester.id' })]);
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400, not 500', async () => {
    expectProblem(await desk.http('POST', '/tickets', { token: alice, raw: '{"title": "x",' }), 400);
  });

  it('names every invalid field', async () => {
    const res = await desk.http('POST', '/tickets', { token: alice, body: { ...createTicketBody, title: '', channel: 'fax', description: undefined, surprise: true } });
    expectProblem(res, 400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.channel', 'body.description', 'body.surprise']));
    expect(res.body.errors).toContainEqual({ path: 'body.description', message: 'is required' });
    expect(await desk.db.models.Ticket.countDocuments()).toBe(0);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await desk.http('POST', '/tickets', { token: alice, body: { ...createTicketBody, description: 'x'.repeat(BODY_LIMIT_BYTES + 1) } });
    expectProblem(res, 413);
  });

  it('validates headers and path parameters', async () => {
    const badKey = await desk.http('POST', '/tickets', { token: alice, body: createTicketBody, headers: { 'Idempotency-Key': 'has spaces in it' } });
    expectProblem(badKey, 400);
    expect(badKey.body.errors[0].path).toBe('headers.Idempotency-Key');
    const badId = await desk.http('GET', '/tickets/not-an-id', { token: alice });
    expectProblem(badId, 400);
    expect(badId.body.errors[0].path).toBe('params.id');
  });

  it('refuses JSON nested deeper than 32 levels with 400, before parsing it', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const res = await desk.http('POST', '/tickets', { token: alice, raw: `{"title":"x","fields":{"a":${deep}}}` });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/nested deeper than 32/);
    const quoted = await desk.http('POST', '/tickets', { token: alice, body: { title: '[[[['.repeat(100) } });
    expect(quoted.status).toBe(400); // brackets inside strings do not count; the body fails validation instead
    expect(quoted.body.errors.map((e: { path: string }) => e.path)).toContain('body.description');
  });

  it('refuses text the database could never store (NUL, lone surrogates) with 400 instead of retrying for ever', async () => {
    const nul = await desk.http('POST', '/tickets', { token: alice, body: { ...createTicketBody, title: 'bad\u0000title' } });
    expectProblem(nul, 400);
    expect(nul.body.errors[0]).toEqual({ path: 'body.title', message: 'must be well-formed text without NUL characters' });
    // A lone surrogate can only arrive as a JSON escape.
    const raw = JSON.stringify({ ...createTicketBody, description: 'HERE' }).replace('HERE', '\\ud800');
    const surrogate = await desk.http('POST', '/tickets', { token: alice, raw });
    expect(surrogate.body.errors).toContainEqual({ path: 'body.description', message: 'must be well-formed text without NUL characters' });
    const dotted = await desk.http('POST', '/tickets', { token: alice, body: { ...createTicketBody, fields: { ...createTicketBody.fields, 'a.b': 1 } } });
    expect(dotted.body.errors[0].path).toMatch(/^body\.fields/);
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await desk.http('GET', '/nowhere', { token: alice }), 404);
  });
});

describe('rate limit', () => {
  it('answers a client over its rate with 429 and Retry-After, and other clients normally', async () => {
    const limited = await startDesk('api-rate', { worker: false, config: { rateLimit: 1, rateBurst: 3 } });
    try {
      const bob = limited.token({ sub: 'bob', role: 'requester' });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.http('GET', '/tickets', { token: bob })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const refused = await limited.http('GET', '/tickets', { token: bob });
      expectProblem(refused, 429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await limited.http('GET', '/tickets', { token: limited.token({ sub: 'carol', role: 'requester' }) })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
