// Runs the whole product in the foreground for `npm start` and `npm run start:cluster`: servers first, then
// the demo data, then the workers and APIs, with one prefixed log stream (each source also kept in its own file
// under the data folder's logs/). Every process is supervised; Ctrl-C stops everything in order.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { productApps, type MailApps, type RestartableApp } from './apps';
import { seedIfEmpty } from './seed';
import type { RunningStack } from './stack';
import { Supervisor } from './supervisor';
import { ROOT } from './tools';

const COLORS: Record<string, number> = { temporal: 35, 'temporal-ui': 95, postgres: 34, ferretdb: 36, worker: 32, api: 33, 'mail-intake': 31, 'mail-sink': 90, stack: 37 };

/** The console log of a start command; `keepIn` also appends each source's lines to `<dir>/<source>.log`. */
export const logFiles = {
  files: new Map<string, WriteStream>(),
  dir: null as string | null,
  keepIn(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
  },
  fileOf(source: string): string {
    return this.dir ? path.relative(ROOT, path.join(this.dir, `${source}.log`)) : '(not kept)';
  },
};

export function log(source: string, line: string): void {
  const color = COLORS[source.replace(/-\d+$/, '')] ?? 37;
  const tag = process.stdout.isTTY ? `\x1b[${color}m[${source}]\x1b[0m` : `[${source}]`;
  process.stdout.write(`${tag} ${line}\n`);
  if (!logFiles.dir) return;
  let file = logFiles.files.get(source);
  if (!file) logFiles.files.set(source, (file = createWriteStream(path.join(logFiles.dir, `${source}.log`), { flags: 'a' })));
  file.write(`${new Date().toISOString()} ${line}\n`);
}

export async function runProduct(options: {
  startServers(): Promise<Pick<RunningStack, 'servers' | 'stop'>>;
  mongodbUri: string;
  env: NodeJS.ProcessEnv;
  workers: number;
  apiPorts: number[];
  mail?: MailApps;
  banner: string[];
}): Promise<void> {
  let servers: Pick<RunningStack, 'servers' | 'stop'> | null = null;
  let apps: RestartableApp[] = [];
  let stopping = false;
  const supervisor = new Supervisor({
    log: (line) => log('stack', line),
    logFileOf: (name) => logFiles.fileOf(name),
    giveUp: (reason) => {
      log('stack', `giving up: ${reason}`);
      void shutdown(1);
    },
  });
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    supervisor.stop();
    log('stack', 'stopping…');
    await Promise.all([...apps].reverse().map((app) => app.process?.stop()));
    await servers?.stop();
    log('stack', 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    servers = await options.startServers();
    for (const [name, server] of Object.entries(servers.servers)) supervisor.watch(name, server);
    await seedIfEmpty(options.mongodbUri, (line) => log('stack', line));
    apps = productApps({ env: options.env, workers: options.workers, apiPorts: options.apiPorts, ...(options.mail ? { mail: options.mail } : {}), log });
    await Promise.all(apps.map((app) => app.start()));
    for (const app of apps) supervisor.watch(app.name, app);
  } catch (err) {
    log('stack', `start failed: ${(err as Error).message}`);
    await shutdown(1);
    return;
  }
  log('stack', `ready\n\n${options.banner.map((l) => `  ${l}`).join('\n')}\n`);
}
