// How the API serves the console: /app and every path under it answer the console's page (deep links), its
// assets are cached for good, `/` leads there, every answer carries the security headers with a strict
// Content-Security-Policy, and none of it is an API route.
import { startDesk, type TestDesk } from '../helpers/desk';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('web-serving', { worker: false });
});
afterAll(() => desk.close());

const CSP = "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'none';frame-ancestors 'none';form-action 'self'";
const get = (path: string) => fetch(`${desk.baseUrl}${path}`, { redirect: 'manual' });

it('redirects / to the console', async () => {
  const res = await get('/');
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/app');
});

it('answers the console page for /app and any deep link under it, with a strict CSP', async () => {
  for (const path of ['/app', '/app/', '/app/tickets/7K2XQ9MPA4', '/app/tickets/new?x=1']) {
    const res = await get(path);
    expect([path, res.status]).toEqual([path, 200]);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    // No inline script or style: the page only names its two files.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
  }
});

it('serves the hashed assets for good and a missing asset as 404, never the page', async () => {
  const html = await (await get('/app')).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(assets).toHaveLength(2);
  for (const asset of assets) {
    const res = await get(asset);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /javascript/ : /text\/css/);
  }
  const missing = await get('/app/assets/main-NOPE.js');
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
});

it('keeps the JSON API as it was, with the security headers too, and the console out of /openapi.json', async () => {
  const res = await get('/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
  expect(res.headers.get('content-security-policy')).toBe(CSP);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const unauthenticated = await get('/tickets');
  expect(unauthenticated.status).toBe(401);
  const doc = (await desk.http('GET', '/openapi.json')).body;
  expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/app'))).toEqual([]);
  expect(doc.paths['/templates'].get['x-roles']).toEqual(['requester', 'agent', 'supervisor', 'admin']);
});

it('gives anyone who may file a ticket the intake templates and product lines', async () => {
  const alice = desk.token({ sub: 'alice', role: 'requester' });
  const { status, body } = await desk.http('GET', '/templates', { token: alice });
  expect(status).toBe(200);
  expect(body.productLines).toEqual(['billing', 'general', 'network']);
  const incident = body.items.find((t: { problemType: string }) => t.problemType === 'incident');
  expect(incident.fields).toContainEqual({ key: 'symptom', label: 'What you see', type: 'text', required: true });
  expect(body.items.find((t: { problemType: string }) => t.problemType === 'access_request').fields).toContainEqual({
    key: 'accessLevel',
    label: 'Access level',
    type: 'enum',
    required: true,
    options: ['read', 'write', 'admin'],
  });
  const gateway = desk.token({ sub: 'mail-gateway', role: 'gateway' });
  expect((await desk.http('GET', '/templates', { token: gateway })).status).toBe(403);
});
