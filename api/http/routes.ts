// Routes are declared once: the same declaration validates requests, checks roles and documents the API.
import type { KeyObject } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Principal, Role } from '../../domain/roles';
import { authenticate, verificationKey } from './auth';
import type { RateLimiter } from './guards';
import { badRequest, forbidden, type FieldError } from './problem';

type Method = 'get' | 'post' | 'put' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** A problem+json answer with extension members beyond the usual ones (their shapes). */
  problem?: z.ZodRawShape;
  /** The media type of an answer that is not JSON (a file download). */
  content?: string;
}

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** The declared request headers, validated; absent ones are undefined. */
  headers: Record<string, string | undefined>;
  /** Undefined only on public routes. */
  principal: Principal;
  req: Request;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bytes to send as they are instead of a JSON body (a file download). */
  stream?: Readable;
}

export interface Route<B = unknown, Q = unknown, P = unknown> {
  method: Method;
  path: string;
  summary: string;
  tags: string[];
  /** Roles allowed to call it, or 'public' for routes without a token. */
  roles: readonly Role[] | 'public';
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Request headers the route reads, documented in OpenAPI. */
  headers?: Record<string, { description: string; schema: z.ZodType }>;
  /** A multipart/form-data body with one file part, read by the handler itself (documented in OpenAPI). */
  upload?: { field: string; description: string };
  responses: Record<number, ResponseSpec>;
  /** What one call takes from the caller's rate (default 1): the Temporal UI decodes a history a payload per call, hundreds at once. */
  rateCost?: number;
  handle(ctx: RouteContext<B, Q, P>): Promise<Reply>;
}

/** Keeps each route's handler typed against its own schemas while routes share one list. */
export function defineRoute<B = undefined, Q = undefined, P = undefined>(route: Route<B, Q, P>): Route {
  return route as unknown as Route;
}

export function mountRoutes(router: Router, routes: Route[], secret: string, limiter: RateLimiter): void {
  const key = verificationKey(secret);
  for (const route of routes) {
    const expressPath = route.path.replace(/\{(\w+)\}/g, ':$1');
    router[route.method](expressPath, handlerFor(route, key, limiter));
  }
}

function handlerFor(route: Route, secret: KeyObject, limiter: RateLimiter): RequestHandler {
  return async (req: Request, res: Response, next) => {
    try {
      const principal = route.roles === 'public' ? (undefined as unknown as Principal) : authenticate(req.get('authorization'), secret);
      // Authenticated callers are limited by who they are, anonymous ones by their address.
      limiter.take(principal ? `sub:${principal.sub}` : `ip:${req.ip}`, route.rateCost);
      if (route.roles !== 'public' && !route.roles.includes(principal.role)) throw forbidden(`role ${principal.role} may not call ${route.method.toUpperCase()} ${route.path}`);
      const errors: FieldError[] = [];
      const params = parsePart(route.params, req.params, 'params', errors);
      const query = parsePart(route.query, req.query, 'query', errors);
      const body = parsePart(route.body, req.body, 'body', errors);
      const headers = parseHeaders(route, req, errors);
      if (errors.length > 0) throw badRequest(`the request is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
      const reply = await route.handle({ body, query, params, headers, principal, req });
      res.status(reply.status).set(reply.headers ?? {});
      if (reply.stream) await pipeline(reply.stream, res);
      else if (reply.body === undefined) res.end();
      else res.json(reply.body);
    } catch (err) {
      next(err);
    }
  };
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string, errors: FieldError[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}), { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = [where, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) errors.push({ path: [...at, key].join('.'), message: 'is not a known field' });
    else errors.push({ path: at.join('.'), message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message });
  }
  return undefined;
}

function parseHeaders(route: Route, req: Request, errors: FieldError[]): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, spec] of Object.entries(route.headers ?? {})) {
    const value = req.get(name);
    if (value === undefined) continue;
    const result = spec.schema.safeParse(value);
    if (result.success) headers[name] = result.data as string;
    else errors.push({ path: `headers.${name}`, message: result.error.issues[0]?.message ?? 'is not valid' });
  }
  return headers;
}
