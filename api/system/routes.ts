// Liveness, readiness and the API description: no token needed.
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { defineRoute } from '../http/routes';

const checkResult = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()) });

export function systemRoutes({ temporal, db }: ApiDeps, document: () => unknown) {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the process serves requests',
      tags: ['system'],
      roles: 'public',
      responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: Temporal and MongoDB are reachable',
      tags: ['system'],
      roles: 'public',
      responses: { 200: { description: 'Ready', schema: checkResult }, 503: { description: 'Not ready', schema: checkResult } },
      async handle() {
        const [temporalCheck, mongoCheck] = await Promise.all([
          probe(() => temporal.connection.withDeadline(Date.now() + 2_000, () => temporal.workflowService.getSystemInfo({}))),
          probe(() => db.ping()),
        ]);
        const ok = temporalCheck === 'ok' && mongoCheck === 'ok';
        return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', checks: { temporal: temporalCheck, mongodb: mongoCheck } } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      tags: ['system'],
      roles: 'public',
      responses: { 200: { description: 'The OpenAPI document' } },
      handle: async () => ({ status: 200, body: document() }),
    }),
  ];
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(check(), 2_500);
    return 'ok';
  } catch (err) {
    return `unreachable: ${(err as Error).message}`.slice(0, 200);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err as Error)),
    );
  });
}
