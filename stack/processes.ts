// Child processes of the local stack: line-by-line logs, readiness by TCP port, clean stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { createInterface } from 'node:readline';

export type LineSink = (line: string) => void;

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  onLine: LineSink;
}

/** Starts a process in its own process group, so a terminal's Ctrl-C reaches only the launcher, which stops children in order. */
export function launch(name: string, command: string, args: string[], options: LaunchOptions): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', options.onLine);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.on('error', (err) => {
      options.onLine(`failed to start ${command}: ${err.message}`);
      resolve(127);
    });
  });
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, exited, stop };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Runs a one-shot command to its end with its output kept: on failure the output goes to onLine and the error quotes its last lines. */
export function runToEnd(label: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; onLine: LineSink }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, uid: options.uid, gid: options.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      options.onLine(output);
      reject(new Error(`${label} failed with code ${code}: ${output.trim().split('\n').slice(-5).join(' ')}`));
    });
  });
}

/** Resolves once something accepts TCP connections on the port; rejects if the process exits first or time runs out. */
export async function waitForPort(port: number, proc: ManagedProcess | null, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc?.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${proc?.name} exited with code ${exitCode} before listening on ${port}`);
    if (await canConnect(host, port)) return;
    await delay(100);
  }
  throw new Error(`${proc?.name ?? 'server'} did not listen on ${host}:${port} within ${timeoutMs / 1000} s`);
}

export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/** Asks the OS for a port that is free right now; with `below`, tries random ports under that number instead. */
export async function freePort(below?: number): Promise<number> {
  if (below === undefined) return listenOn(0);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (below - 20_000));
    const got = await listenOn(port).catch(() => null);
    if (got !== null) return got;
  }
  throw new Error(`no free port below ${below}`);
}

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
