// Keeps every process a start command launched running: one that dies is started again after a backoff, with a
// log line saying what died and how. One that keeps dying (five times within a minute) stops the whole desk,
// naming it and its log, since restarting it further would only hide the fault.
import type { ManagedProcess } from './processes';
import { delay } from './processes';

export interface Restartable {
  process: ManagedProcess;
  start(): Promise<ManagedProcess>;
}

export interface SupervisorOptions {
  log(line: string): void;
  /** Where a process's own log lines are kept, for the message that gives up on it. */
  logFileOf(name: string): string;
  /** Called once when a process keeps dying; the caller stops everything. */
  giveUp(reason: string): void;
  /** Told each time a process runs again after dying, with how long it was gone. */
  onRunning?(name: string, downMs: number): void;
  maxRestarts?: number;
  windowMs?: number;
}

export class Supervisor {
  private stopping = false;
  private readonly deaths = new Map<string, number[]>();
  private readonly maxRestarts: number;
  private readonly windowMs: number;

  constructor(private readonly options: SupervisorOptions) {
    this.maxRestarts = options.maxRestarts ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Watches the process for as long as the desk runs, restarting it whenever it dies. */
  watch(name: string, entry: Restartable): void {
    void this.follow(name, entry);
  }

  /** From now on a process that exits was stopped on purpose. */
  stop(): void {
    this.stopping = true;
  }

  private async follow(name: string, entry: Restartable): Promise<void> {
    while (!this.stopping) {
      const proc = entry.process;
      await proc.exited;
      if (this.stopping) return;
      // Its children (PostgreSQL's backends, say) would hold ports and shared memory the new one needs.
      killGroup(proc);
      const how = describeExit(proc);
      const now = Date.now();
      const recent = [...(this.deaths.get(name) ?? []), now].filter((at) => now - at < this.windowMs);
      this.deaths.set(name, recent);
      if (recent.length >= this.maxRestarts) {
        this.options.giveUp(`${name} died ${recent.length} times within ${this.windowMs / 1000} s (last: ${how}); its log: ${this.options.logFileOf(name)}`);
        return;
      }
      const wait = Math.min(500 * 2 ** (recent.length - 1), 8_000);
      this.options.log(`${name} (pid ${proc.child.pid ?? '?'}) ${how}: starting it again in ${wait / 1000} s`);
      if (!(await this.restart(name, entry, wait))) return;
      this.options.onRunning?.(name, Date.now() - now);
    }
  }

  /** Starts the process again, retrying a start that fails; false when the desk is stopping or gave up. */
  private async restart(name: string, entry: Restartable, wait: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      await delay(wait);
      if (this.stopping) return false;
      const started = Date.now();
      try {
        await entry.start();
        this.options.log(`${name} is running again (pid ${entry.process.child.pid ?? '?'}, ready in ${Date.now() - started} ms)`);
        return true;
      } catch (err) {
        const now = Date.now();
        const recent = [...(this.deaths.get(name) ?? []), now].filter((at) => now - at < this.windowMs);
        this.deaths.set(name, recent);
        if (recent.length >= this.maxRestarts) {
          this.options.giveUp(`${name} failed to start ${attempt} times in a row (${(err as Error).message}); its log: ${this.options.logFileOf(name)}`);
          return false;
        }
        wait = Math.min(wait * 2, 8_000);
        this.options.log(`${name} did not start (${(err as Error).message}); trying again in ${wait / 1000} s`);
      }
    }
  }
}

/** "was killed by SIGKILL", "exited with code 1". */
export function describeExit(proc: ManagedProcess): string {
  const { exitCode, signalCode } = proc.child;
  if (signalCode) return `was killed by ${signalCode}`;
  return exitCode === null ? 'could not be started' : `exited with code ${exitCode}`;
}

function killGroup(proc: ManagedProcess): void {
  if (proc.child.pid === undefined) return;
  try {
    process.kill(-proc.child.pid, 'SIGKILL');
  } catch {
    // the whole group is gone already
  }
}
