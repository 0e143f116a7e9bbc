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
  /** Worker tuning; unset values keep the Temporal SDK's defaults (README, "Running in production"). */
  worker: WorkerTuning;
}

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
    worker: {
      maxCachedWorkflows: optionalPositive(env.WORKER_CACHED_WORKFLOWS, 'WORKER_CACHED_WORKFLOWS'),
      workflowTaskPollers: optionalPositive(env.WORKER_WORKFLOW_POLLERS, 'WORKER_WORKFLOW_POLLERS'),
      activityTaskPollers: optionalPositive(env.WORKER_ACTIVITY_POLLERS, 'WORKER_ACTIVITY_POLLERS'),
      maxConcurrentActivities: optionalPositive(env.WORKER_ACTIVITY_SLOTS, 'WORKER_ACTIVITY_SLOTS'),
    },
  };
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

function parsePort(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port number, got "${value}"`);
  return port;
}
