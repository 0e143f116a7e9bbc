// Where the local stack listens and keeps its data. Ports follow the SPEC §17 variables, so pointing
// TEMPORAL_ADDRESS or MONGODB_URI elsewhere uses that server instead of starting one.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { ROOT } from './tools';

export const DATA_DIR = path.join(ROOT, '.data');
const SECRET_FILE = path.join(DATA_DIR, 'dev-secret');
const MASTER_KEY_FILE = path.join(DATA_DIR, 'payload-master-key');
const CODEC_UI_KEY_FILE = path.join(DATA_DIR, 'codec-ui-key');

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
  return keptSecret(SECRET_FILE);
}

/** 32 random bytes in hex, made once and kept in a file only its owner reads. */
function keptSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * Payload encryption under a start command (README, "Privacy"): PAYLOAD_MASTER_KEY when set, else a development key
 * made once and kept in .data/payload-master-key (losing it loses every history's content, like losing the
 * database). The Temporal UI, which has no sign-in here, gets a codec key (CODEC_UI_KEY) only where the API has the
 * development sign-in anyway: with AUTH_JWT_SECRET set, only when CODEC_UI_KEY is set too.
 */
export function payloadEnv(env: NodeJS.ProcessEnv = process.env): { PAYLOAD_MASTER_KEY: string; CODEC_UI_KEY: string | undefined } {
  return {
    PAYLOAD_MASTER_KEY: env.PAYLOAD_MASTER_KEY || keptSecret(MASTER_KEY_FILE),
    CODEC_UI_KEY: env.CODEC_UI_KEY || (env.AUTH_JWT_SECRET ? undefined : keptSecret(CODEC_UI_KEY_FILE)),
  };
}

/** The development master key, if `npm start` made one (for tools run beside it); never makes one. */
export function keptPayloadMasterKey(): string | undefined {
  return existsSync(MASTER_KEY_FILE) ? readFileSync(MASTER_KEY_FILE, 'utf8').trim() : undefined;
}

/** The codec endpoint a start command gives the Temporal UI: the first API's, under its codec key; none without one. */
export function uiCodecEndpoint(apiPort: number, codecUiKey: string | undefined): string | undefined {
  return codecUiKey ? `http://127.0.0.1:${apiPort}/codec/ui/${codecUiKey}` : undefined;
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
