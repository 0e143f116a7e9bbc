// The product's own processes for the local stacks: worker(s) and API(s) as `npm run worker` / `npm run api`
// would run them, with their log lines handed to the caller and a promise that says when they are ready.
import path from 'node:path';
import { delay, launch, waitForPort, type ManagedProcess } from './processes';
import { ROOT } from './tools';

export interface App {
  process: ManagedProcess;
  /** Resolves when the worker polls or the API answers /readyz; rejects if the process exits first. */
  ready: Promise<void>;
}

export interface AppOptions {
  env: NodeJS.ProcessEnv;
  /** An API on this port (ready when /readyz answers). */
  port?: number;
  /** Another entry point than the worker's or the API's. */
  script?: string;
  /** Ready once this TCP port accepts connections (the mail intake and sink). */
  listens?: number;
  log(source: string, line: string): void;
}

/** One worker (no port) or API (on `port`) process, stopped with its parent; `script` runs another entry point. */
export function launchApp(name: string, options: AppOptions): App {
  const api = options.port !== undefined;
  let polling: () => void = () => undefined;
  const up = new Promise<void>((resolve) => (polling = resolve));
  const env = { ...options.env, EXIT_WITH_PARENT: '1', ...(api ? { PORT: String(options.port) } : {}) };
  const proc = launch(name, process.execPath, ['--import', 'tsx', path.join(ROOT, options.script ?? (api ? 'api/main.ts' : 'worker/main.ts'))], {
    env,
    cwd: ROOT,
    onLine: (line) => {
      if (line.includes('"msg":"worker ready"')) polling();
      options.log(name, line);
    },
  });
  const exited = proc.exited.then((code) => Promise.reject(new Error(`${name} exited with code ${code}`)));
  exited.catch(() => undefined); // only a rejection while waiting for readiness matters
  const ready = options.listens !== undefined ? waitForPort(options.listens, proc, 120_000) : api ? waitForApi(`http://127.0.0.1:${options.port}`) : up;
  return { process: proc, ready: Promise.race([ready, exited]) };
}

/** A worker or API that can be started again: what `npm start` supervises and the fault suite kills. */
export interface RestartableApp {
  name: string;
  process: ManagedProcess;
  start(): Promise<ManagedProcess>;
}

/** Mail under a start command (stack/settings mailSettings): the SMTP intake, and the local sink unless a relay is set. */
export interface MailApps {
  intakePort: number;
  sink: { port: number; dir: string } | null;
}

/** The workers, APIs and mail services of a start command, not yet started; each starts (and starts again) by its `start`. */
export function productApps(options: { env: NodeJS.ProcessEnv; workers: number; apiPorts: number[]; mail?: MailApps; log(source: string, line: string): void }): RestartableApp[] {
  const { env, log, mail } = options;
  const specs: Array<Omit<AppOptions, 'log'> & { name: string }> = [];
  if (mail?.sink) specs.push({ name: 'mail-sink', script: 'mail/sink-main.ts', listens: mail.sink.port, env: { ...env, MAIL_SINK_PORT: String(mail.sink.port), MAIL_SINK_DIR: mail.sink.dir } });
  for (let i = 1; i <= options.workers; i++) specs.push({ name: options.workers > 1 ? `worker-${i}` : 'worker', env });
  options.apiPorts.forEach((port, i) => specs.push({ name: options.apiPorts.length > 1 ? `api-${i + 1}` : 'api', port, env }));
  if (mail) specs.push({ name: 'mail-intake', script: 'mail/intake-main.ts', listens: mail.intakePort, env: { ...env, SMTP_INTAKE_PORT: String(mail.intakePort) } });
  return specs.map(({ name, ...app }) => restartableApp(name, { ...app, log }));
}

export function restartableApp(name: string, options: AppOptions): RestartableApp {
  const app: RestartableApp = {
    name,
    process: undefined as unknown as ManagedProcess,
    async start() {
      const started = launchApp(name, options);
      app.process = started.process;
      try {
        await started.ready;
      } catch (err) {
        await started.process.stop(2_000); // never leave a half-started copy behind
        throw err;
      }
      return started.process;
    },
  };
  return app;
}

export async function waitForApi(base: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`the API at ${base} did not become ready`);
}
