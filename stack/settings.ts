// Where the local stack listens and keeps its data. Ports follow the SPEC §17 variables, so pointing
// TEMPORAL_ADDRESS or MONGODB_URI elsewhere uses that server instead of starting one.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { ROOT } from './tools';

export const DATA_DIR = path.join(ROOT, '.data');
const SECRET_FILE = path.join(DATA_DIR, 'dev-secret');

export function localSettings(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  const temporalPort = portOf(config.temporalAddress, 7233);
  const uiPort = Number(env.TEMPORAL_UI_PORT || temporalPort + 1000);
  return {
    temporalAddress: config.temporalAddress,
    temporalPort,
    uiPort,
    uiUrl: env.TEMPORAL_UI_URL || `http://127.0.0.1:${uiPort}`,
    namespace: config.temporalNamespace,
    mongodbUri: config.mongodbUri,
    mongoPort: portOf(new URL(config.mongodbUri).host, 27017),
    postgresPort: Number(env.LOCAL_POSTGRES_PORT || 5433),
  };
}

function portOf(hostPort: string, fallback: number): number {
  const port = Number(hostPort.split(':').pop());
  return Number.isInteger(port) && port > 0 ? port : fallback;
}

/**
 * Mail under a start command: the intake on SMTP_INTAKE_PORT and, unless SMTP_URL names a real relay, the local
 * sink on MAIL_SINK_PORT (2526) writing .eml files under `<data>/mail/sent/`, with SMTP_URL pointed at it.
 */
export function mailSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env) {
  const sinkPort = Number(env.MAIL_SINK_PORT || 2526);
  const relay = env.SMTP_URL ? new URL(env.SMTP_URL) : null;
  return {
    intakePort: loadConfig(env).mail.intakePort,
    sink: relay ? null : { port: sinkPort, dir: path.join(dataDir, 'mail', 'sent') },
    /** For the banner: where notices go, without credentials. */
    relay: relay ? `${relay.protocol}//${relay.host}` : null,
    env: { SMTP_URL: env.SMTP_URL || `smtp://127.0.0.1:${sinkPort}`, MAIL_FROM: env.MAIL_FROM || 'Support <support@example.com>' },
  };
}

/** The development secret `npm start` signs tokens with: made once, kept in .data/ so tokens survive restarts. */
export function developmentSecret(): string {
  if (existsSync(SECRET_FILE)) return readFileSync(SECRET_FILE, 'utf8').trim();
  mkdirSync(DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(SECRET_FILE, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * What the start commands give the API for tokens: AUTH_JWT_SECRET when set (no development sign-in, whatever the
 * environment says), else the development secret, and with it the development sign-in route (DEV_SIGN_IN=1).
 */
export function tokenEnv(env: NodeJS.ProcessEnv = process.env): { AUTH_JWT_SECRET: string; DEV_SIGN_IN: '1' | undefined } {
  return env.AUTH_JWT_SECRET ? { AUTH_JWT_SECRET: env.AUTH_JWT_SECRET, DEV_SIGN_IN: undefined } : { AUTH_JWT_SECRET: developmentSecret(), DEV_SIGN_IN: '1' };
}

/** The secret a token should be signed with here: the environment's, else the development one if it exists. */
export function tokenSecret(): string | undefined {
  return process.env.AUTH_JWT_SECRET || (existsSync(SECRET_FILE) ? readFileSync(SECRET_FILE, 'utf8').trim() : undefined);
}
