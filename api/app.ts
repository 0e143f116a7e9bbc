// The HTTP application: JSON in, JSON or problem+json out, every route declared in one list.
import express, { type Express } from 'express';
import type { ApiDeps } from './deps';
import { openApiDocument } from './http/openapi';
import { limitJsonDepth, RateLimiter } from './http/guards';
import { loggedPath, notFound, problemHandler } from './http/problem';
import { mountRoutes, type Route } from './http/routes';
import { adminRoutes } from './admin/routes';
import { attachmentRoutes } from './attachments/routes';
import { cannedReplyRoutes } from './replies/routes';
import { directoryRoutes } from './directory/routes';
import { sessionRoutes } from './session/routes';
import { presenceRoutes } from './tickets/presence';
import { queueRoutes } from './tickets/queues';
import { emailRoutes } from './channels/email';
import { knowledgeRoutes } from './knowledge/routes';
import { kpiRoutes } from './kpis/routes';
import { systemRoutes } from './system/routes';
import { ticketActions } from './tickets/actions';
import { ticketRoutes } from './tickets/routes';
import { templateRoutes } from './tickets/templates';
import { consoleRoutes, securityHeaders } from './web';
import { CODEC_BODY_LIMIT_BYTES, codecCors, codecRoutes } from './privacy/codec';
import { exportRoutes } from './privacy/export';
import { privacyRoutes } from './privacy/erasure';

export const BODY_LIMIT_BYTES = 256 * 1024;

export function createApp(deps: ApiDeps): Express {
  const secret = deps.config.jwtSecret;
  if (!secret) throw new Error('AUTH_JWT_SECRET is required');

  let document: unknown;
  const routes: Route[] = [
    ...systemRoutes(deps, () => (document ??= openApiDocument(routes, { title: 'Support tickets API', version: '0.1.0' }))),
    ...ticketRoutes(deps),
    ...ticketActions(deps),
    ...templateRoutes(deps),
    ...emailRoutes(deps),
    ...attachmentRoutes(deps),
    ...knowledgeRoutes(deps),
    ...kpiRoutes(deps),
    ...adminRoutes(deps),
    // What the browser console needs beyond the ticket routes: queues, presence, canned replies, who am I.
    ...queueRoutes(deps),
    ...presenceRoutes(deps),
    ...cannedReplyRoutes(deps),
    ...directoryRoutes(deps),
    ...sessionRoutes(deps, secret),
    // Privacy (README, "Privacy"): the Temporal UI's codec endpoint, a person's data export, erasure and retention.
    ...codecRoutes(deps),
    ...exportRoutes(deps),
    ...privacyRoutes(deps),
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  // The Temporal UI calls the codec from its own origin, with larger bodies than the rest of the API takes.
  app.use('/codec', codecCors(deps.config.temporalUiUrl), express.json({ limit: CODEC_BODY_LIMIT_BYTES, strict: true, verify: limitJsonDepth }));
  app.use(express.json({ limit: BODY_LIMIT_BYTES, strict: true, verify: limitJsonDepth }));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.info({ method: req.method, path: loggedPath(req.path), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
  const router = express.Router();
  mountRoutes(router, routes, secret, new RateLimiter(deps.config.rateLimit, deps.config.rateBurst));
  app.use(router);
  // The browser console at /app: static files, not API routes (outside /openapi.json).
  app.use(consoleRoutes());
  app.use((_req, _res, next) => next(notFound('route')));
  app.use(problemHandler(deps.logger));
  return app;
}
