// The browser console (SPEC §16): its built files under /app, every other /app path answered with its
// index.html so deep links open (/app/tickets/7K2XQ9MPA4), and `/` redirecting there. Not API routes: they are
// mounted beside the declared routes and stay out of /openapi.json. The security headers cover every answer.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { HttpProblem } from './http/problem';

export const CONSOLE_BASE = '/app';

/** Built by `npm run setup` (and so by `npm start` and `npm test`) from web/ with stack/console-build.ts. */
export const CONSOLE_DIST = path.join('web', 'dist');

/** The build next to the sources (api/ run by tsx) or next to a compiled dist/api/. */
export function consoleDistDir(): string {
  const candidates = [path.resolve(__dirname, '..', CONSOLE_DIST), path.resolve(__dirname, '..', '..', CONSOLE_DIST)];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

/**
 * Helmet's headers with a strict Content-Security-Policy: scripts and styles from the console's own files only
 * (no inline script, no inline style element), no plugins, no framing, no foreign connections. The JSON API
 * carries them too, harmlessly.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
}

/** `/` → /app; the console's assets (content-hashed, cached for good); index.html for every other /app path. */
export function consoleRoutes(distDir: string = consoleDistDir()): Router {
  const router = express.Router();
  const indexHtml = path.join(distDir, 'index.html');
  router.get('/', (_req, res) => res.redirect(302, CONSOLE_BASE));
  router.use(
    CONSOLE_BASE,
    express.static(distDir, {
      index: false,
      redirect: false,
      setHeaders(res, file) {
        res.setHeader('Cache-Control', file === indexHtml ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    }),
  );
  router.get([CONSOLE_BASE, `${CONSOLE_BASE}/*path`], (req, res, next) => {
    // A missing asset is a 404, not the page: a stale index.html must not be run as a script.
    if (req.path.startsWith(`${CONSOLE_BASE}/assets/`)) return next();
    if (!existsSync(indexHtml)) return next(new HttpProblem(503, 'the console is not built: run `npm run setup`'));
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
