// Runs the whole product in the foreground for `npm start` and `npm run start:cluster`: servers first, then
// the demo data, then the workers and APIs, with one prefixed log stream. Ctrl-C stops everything in order.
import { launchApps } from './apps';
import { seedIfEmpty } from './seed';

const COLORS: Record<string, number> = { temporal: 35, 'temporal-ui': 95, postgres: 34, ferretdb: 36, worker: 32, api: 33, stack: 37 };

export function log(source: string, line: string): void {
  const color = COLORS[source.replace(/-\d+$/, '')] ?? 37;
  const tag = process.stdout.isTTY ? `\x1b[${color}m[${source}]\x1b[0m` : `[${source}]`;
  process.stdout.write(`${tag} ${line}\n`);
}

export interface Servers {
  stop(): Promise<void>;
}

export async function runProduct(options: {
  startServers(): Promise<Servers>;
  mongodbUri: string;
  env: NodeJS.ProcessEnv;
  workers: number;
  apiPorts: number[];
  banner: string[];
}): Promise<void> {
  let servers: Servers | null = null;
  let apps: ReturnType<typeof launchApps> | null = null;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stack', 'stopping…');
    await apps?.stop();
    await servers?.stop();
    log('stack', 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    servers = await options.startServers();
    await seedIfEmpty(options.mongodbUri, (line) => log('stack', line));
    apps = launchApps({ env: options.env, workers: options.workers, apiPorts: options.apiPorts, log });
    for (const proc of apps.processes) {
      void proc.exited.then((code) => {
        if (stopping) return;
        log('stack', `${proc.name} exited with code ${code}; stopping the stack`);
        void shutdown(1);
      });
    }
    await apps.ready;
  } catch (err) {
    log('stack', `start failed: ${(err as Error).message}`);
    await shutdown(1);
    return;
  }
  log('stack', `ready\n\n${options.banner.map((l) => `  ${l}`).join('\n')}\n`);
}
