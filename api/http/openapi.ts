// The OpenAPI 3.1 document, generated from the same route declarations that validate requests.
import { z } from 'zod';
import type { Route } from './routes';

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const PROBLEMS: Record<number, string> = {
  400: 'Bad input; `errors` names each field',
  401: 'Missing, invalid or expired token',
  403: 'The caller’s role may not do this',
  404: 'Unknown, or not visible to the caller',
  409: 'Illegal transition or conflict',
  412: 'The ticket has moved on since the If-Match version; `ticket` is the ticket now',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Well-formed but refused by a rule',
  429: 'Too many requests; see Retry-After',
  503: 'MongoDB or Temporal unavailable or slow; retry after Retry-After with the same Idempotency-Key',
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12', reused: 'inline' });

export function openApiDocument(routes: Route[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters = [
      ...schemaParameters(route.params, 'path'),
      ...schemaParameters(route.query, 'query'),
      ...Object.entries(route.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: false, description: h.description, schema: jsonSchema(h.schema, 'input') })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      if (spec.problem) responses[status] = { description: spec.description, content: { 'application/problem+json': { schema: jsonSchema(problemSchema.extend(spec.problem), 'output') } } };
      else if (spec.content) responses[status] = { description: spec.description, content: { [spec.content]: { schema: { type: 'string', format: 'binary' } } } };
      else responses[status] = spec.schema ? { description: spec.description, content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } } } : { description: spec.description };
    }
    for (const status of problemStatuses(route)) {
      responses[status] ??= { description: PROBLEMS[status], content: { 'application/problem+json': { schema: jsonSchema(problemSchema, 'output') } } };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      tags: route.tags,
      operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(route.roles === 'public' ? { security: [] } : { description: `Roles: ${route.roles.join(', ')}.`, 'x-roles': route.roles }),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      ...(route.upload ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: uploadSchema(route.upload) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearerAuth: [] }],
    paths,
  };
}

function problemStatuses(route: Route): number[] {
  const statuses = [400];
  if (route.roles !== 'public') statuses.push(401, 403, 429, 503);
  if (route.body || route.upload) statuses.push(413, 415);
  return statuses;
}

function schemaParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

const uploadSchema = ({ field, description }: { field: string; description: string }) => ({
  type: 'object',
  properties: { [field]: { type: 'string', format: 'binary', description } },
  required: [field],
});
