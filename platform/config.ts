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
  };
}

function parsePort(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port number, got "${value}"`);
  return port;
}
