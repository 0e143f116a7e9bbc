// Runtime settings shared by the worker and the API (SPEC §17). Read once, from the environment.

export interface Config {
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  temporalUiUrl: string;
  mongodbUri: string;
  port: number;
  jwtSecret: string | undefined;
  logLevel: string;
  /** How long a requester has to confirm a resolution (SPEC §10); CONFIRMATION_WINDOW like "3d", "12h", "90s". */
  confirmationWindowMs: number;
  /** How long the satisfaction survey stays open after closure (SPEC §12); SURVEY_WINDOW, default 7d. */
  surveyWindowMs: number;
  /** Business days to file a post-incident review (SPEC §12); REVIEW_WINDOW_DAYS, default 5. */
  reviewWindowDays: number;
  /** Requests a second per client (token subject, or address without a token); RATE_LIMIT, default 50. */
  rateLimit: number;
  /** Burst allowed above the rate; RATE_BURST, default 100. */
  rateBurst: number;
  /** How long the API waits for a workflow to confirm a change before answering 503; UPDATE_TIMEOUT, default 20s. */
  updateTimeoutMs: number;
  /** The development sign-in route (DEV_SIGN_IN=1): only `npm start` with its development secret sets it. */
  devSignIn: boolean;
  /** How long a console's presence on a ticket lasts without a heartbeat; PRESENCE_TTL, default 30s. */
  presenceTtlMs: number;
  /** Worker tuning; unset values keep the Temporal SDK's defaults (README, "Running in production"). */
  worker: WorkerTuning;
  mail: MailSettings;
  payloads: PayloadSettings;
}

/** Encryption of workflow payloads (README, "Privacy"). */
export interface PayloadSettings {
  /** PAYLOAD_MASTER_KEY: wraps the data keys; the worker, the API and the mail intake refuse to start without it. */
  masterKey: string | undefined;
  /** PAYLOAD_MASTER_KEYS_PREVIOUS (comma-separated): retired master keys that still unwrap data keys until re-wrapped. */
  previousMasterKeys: string[];
  /** False only with PAYLOAD_ENCRYPTION=off (a benchmark's comparison run); refused with NODE_ENV=production. */
  encrypt: boolean;
  /** CODEC_UI_KEY: lets a Temporal UI without its own sign-in decode at /codec/ui/{key} (README, "Privacy"); unset: no such route. */
  codecUiKey: string | undefined;
}

/** Email in and out, and attachments (README, "Email"). */
export interface MailSettings {
  /** Where the SMTP intake listens (SMTP_INTAKE_HOST, default 127.0.0.1; SMTP_INTAKE_PORT, default 2525). */
  intakeHost: string;
  intakePort: number;
  /** The relay notices are sent through (SMTP_URL, e.g. smtp://user:pass@relay:587); unset: no mail is sent. */
  smtpUrl: string | undefined;
  /** The From of every notice (MAIL_FROM); required with SMTP_URL. */
  mailFrom: string | undefined;
  /** The largest message the intake accepts (MAIL_MAX_BYTES, default 25 MiB); larger ones are refused with 552. */
  maxMessageBytes: number;
  /** New tickets one sender may open by mail within the window before being told to retry later (MAIL_SENDER_LIMIT, MAIL_SENDER_WINDOW). */
  senderLimit: number;
  senderWindowMs: number;
  /** The largest attachment kept, uploaded or mailed (ATTACHMENT_MAX_BYTES, default 10 MiB). */
  attachmentMaxBytes: number;
  /** Media types an attachment may have (ATTACHMENT_TYPES, comma-separated). */
  attachmentTypes: string[];
}

/** What support desks are sent: documents, images, logs and archives; never HTML, SVG or programs, which a browser or OS would run. */
export const DEFAULT_ATTACHMENT_TYPES = [
  'text/plain',
  'text/csv',
  'application/pdf',
  'application/json',
  'application/zip',
  'application/gzip',
  'message/rfc822',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
];

// Bounds the worker's memory (about 0.4 MiB a ticket): the SDK's own default grows with the heap, thousands here.
export const DEFAULT_CACHED_WORKFLOWS = 500;

export interface WorkerTuning {
  /** Tickets kept in memory between their tasks (WORKER_CACHED_WORKFLOWS); a miss replays the history. */
  maxCachedWorkflows?: number;
  /** Concurrent long polls for workflow tasks (WORKER_WORKFLOW_POLLERS). */
  workflowTaskPollers?: number;
  /** Concurrent long polls for activity tasks (WORKER_ACTIVITY_POLLERS). */
  activityTaskPollers?: number;
  /** Activities run at once (WORKER_ACTIVITY_SLOTS). */
  maxConcurrentActivities?: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'tickets',
    temporalUiUrl: (env.TEMPORAL_UI_URL || 'http://127.0.0.1:8233').replace(/\/$/, ''),
    mongodbUri: env.MONGODB_URI || 'mongodb://127.0.0.1:27017/support',
    port: parsePort(env.PORT, 3000),
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    confirmationWindowMs: parseDuration(env.CONFIRMATION_WINDOW || '3d', 'CONFIRMATION_WINDOW'),
    surveyWindowMs: parseDuration(env.SURVEY_WINDOW || '7d', 'SURVEY_WINDOW'),
    reviewWindowDays: parsePositive(env.REVIEW_WINDOW_DAYS, 5, 'REVIEW_WINDOW_DAYS'),
    rateLimit: parsePositive(env.RATE_LIMIT, 50, 'RATE_LIMIT'),
    rateBurst: parsePositive(env.RATE_BURST, 100, 'RATE_BURST'),
    updateTimeoutMs: parseDuration(env.UPDATE_TIMEOUT || '20s', 'UPDATE_TIMEOUT'),
    devSignIn: devSignIn(env),
    presenceTtlMs: parseDuration(env.PRESENCE_TTL || '30s', 'PRESENCE_TTL'),
    worker: {
      maxCachedWorkflows: parsePositive(env.WORKER_CACHED_WORKFLOWS, DEFAULT_CACHED_WORKFLOWS, 'WORKER_CACHED_WORKFLOWS'),
      workflowTaskPollers: optionalPositive(env.WORKER_WORKFLOW_POLLERS, 'WORKER_WORKFLOW_POLLERS'),
      activityTaskPollers: optionalPositive(env.WORKER_ACTIVITY_POLLERS, 'WORKER_ACTIVITY_POLLERS'),
      maxConcurrentActivities: optionalPositive(env.WORKER_ACTIVITY_SLOTS, 'WORKER_ACTIVITY_SLOTS'),
    },
    mail: {
      intakeHost: env.SMTP_INTAKE_HOST || '127.0.0.1',
      intakePort: parsePort(env.SMTP_INTAKE_PORT, 2525, 'SMTP_INTAKE_PORT'),
      smtpUrl: env.SMTP_URL || undefined,
      mailFrom: env.MAIL_FROM || undefined,
      maxMessageBytes: parsePositive(env.MAIL_MAX_BYTES, 25 * 1024 * 1024, 'MAIL_MAX_BYTES'),
      senderLimit: parsePositive(env.MAIL_SENDER_LIMIT, 20, 'MAIL_SENDER_LIMIT'),
      senderWindowMs: parseDuration(env.MAIL_SENDER_WINDOW || '1h', 'MAIL_SENDER_WINDOW'),
      attachmentMaxBytes: parsePositive(env.ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024, 'ATTACHMENT_MAX_BYTES'),
      attachmentTypes: env.ATTACHMENT_TYPES ? env.ATTACHMENT_TYPES.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean) : DEFAULT_ATTACHMENT_TYPES,
    },
    payloads: {
      masterKey: env.PAYLOAD_MASTER_KEY || undefined,
      previousMasterKeys: (env.PAYLOAD_MASTER_KEYS_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
      encrypt: payloadEncryption(env),
      codecUiKey: codecUiKey(env),
    },
  };
}

/** Histories in the clear are for measuring what encryption costs, never for a desk that holds people's data. */
function payloadEncryption(env: NodeJS.ProcessEnv): boolean {
  if (env.PAYLOAD_ENCRYPTION === undefined || env.PAYLOAD_ENCRYPTION === '' || env.PAYLOAD_ENCRYPTION === 'on') return true;
  if (env.PAYLOAD_ENCRYPTION !== 'off') throw new Error(`PAYLOAD_ENCRYPTION must be on or off, got "${env.PAYLOAD_ENCRYPTION}"`);
  if (env.NODE_ENV === 'production') throw new Error('PAYLOAD_ENCRYPTION=off writes people’s data to Temporal in the clear: it is for benchmarks only, never with NODE_ENV=production');
  return false;
}

/** It stands in for a supervisor's sign-in in a URL, so it must be long enough not to be guessed. */
function codecUiKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.CODEC_UI_KEY?.trim();
  if (!key) return undefined;
  if (!/^[A-Za-z0-9_-]{32,}$/.test(key)) throw new Error('CODEC_UI_KEY must be at least 32 characters of A–Z, a–z, 0–9, _ or - (make one with: openssl rand -hex 32)');
  return key;
}

/** Anyone may sign in as anyone through that route, so a production image (NODE_ENV=production) refuses to start with it. */
function devSignIn(env: NodeJS.ProcessEnv): boolean {
  if (env.DEV_SIGN_IN !== '1') return false;
  if (env.NODE_ENV === 'production') throw new Error('DEV_SIGN_IN=1 lets anyone sign in as anyone: it is for `npm start` only, never with NODE_ENV=production');
  return true;
}

function optionalPositive(value: string | undefined, name: string): number | undefined {
  return value ? parsePositive(value, 0, name) : undefined;
}

function parsePositive(value: string | undefined, fallback: number, name: string): number {
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

/** The settings each new ticket takes with it. */
export const deskSettingsOf = (config: Config) => ({
  confirmationWindowMs: config.confirmationWindowMs,
  surveyWindowMs: config.surveyWindowMs,
  reviewWindowDays: config.reviewWindowDays,
});

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** "3d", "12h", "15min", "90s", "500ms" → milliseconds. */
export function parseDuration(value: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/.exec(value.trim());
  if (!match) throw new Error(`${name} must be a duration such as 3d, 12h, 15min or 90s, got "${value}"`);
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}

function parsePort(value: string | undefined, fallback: number, name = 'PORT'): number {
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a TCP port number, got "${value}"`);
  return port;
}
