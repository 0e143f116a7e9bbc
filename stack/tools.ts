// The local stack's binaries, built from the package registries into .tools/ (SPEC §18).
// Each tool is rebuilt only when its recipe changes, so warm runs skip straight past.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildConsole, consoleFingerprint, WEB_DIST } from './console-build';
import { checkPrerequisites, type Prerequisites } from './preflight';

export const ROOT = path.resolve(__dirname, '..');
export const TOOLS_DIR = path.join(ROOT, '.tools');
const BIN_DIR = path.join(TOOLS_DIR, 'bin');
const STAMP_DIR = path.join(TOOLS_DIR, 'stamps');
const LOG_DIR = path.join(TOOLS_DIR, 'logs');

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_UI_VERSION = 'v2.42.1';

export const toolPaths = {
  temporal: path.join(BIN_DIR, 'temporal'),
  ferretdb: path.join(BIN_DIR, 'ferretdb'),
  testServer: path.join(BIN_DIR, 'temporal-test-server'),
  temporalServer: path.join(BIN_DIR, 'temporal-server'),
  sqlTool: path.join(BIN_DIR, 'temporal-sql-tool'),
  uiServer: path.join(BIN_DIR, 'temporal-ui-server'),
  /** Temporal's PostgreSQL schemas (…/v12/temporal and …/v12/visibility), copied from the server module. */
  temporalSchema: path.join(TOOLS_DIR, 'temporal-schema', 'postgresql', 'v12'),
};

interface Tool {
  name: string;
  binary: string;
  needs: string[]; // commands on PATH
  coldTime: string;
  /** Names its stamp and build log when the binary's name would not (default: the binary's name). */
  id?: string;
  fingerprint(): string;
  build(log: NodeJS.WritableStream): Promise<void>;
}

const ferretDir = path.join(ROOT, 'stack', 'ferretdb');
const testServerPom = path.join(ROOT, 'stack', 'test-server', 'pom.xml');

/** The browser console (web/), bundled by esbuild's JS API: nothing to install, about a second. */
const webConsole: Tool = {
  name: 'the browser console (web/ → web/dist)',
  binary: path.join(WEB_DIST, 'index.html'),
  needs: [],
  coldTime: 'about a second',
  id: 'web-console',
  fingerprint: consoleFingerprint,
  build: () => buildConsole(),
};

const temporalCli: Tool = {
  name: `Temporal CLI ${TEMPORAL_CLI_VERSION} (dev server + Web UI)`,
  binary: toolPaths.temporal,
  needs: ['go'],
  coldTime: 'about 3 minutes',
  fingerprint: () => TEMPORAL_CLI_VERSION,
  async build(log) {
    const tmpBin = path.join(TOOLS_DIR, 'tmp-temporal');
    await run('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], { env: { GOBIN: tmpBin }, log });
    renameSync(path.join(tmpBin, 'temporal'), toolPaths.temporal);
  },
};

const ferretdb: Tool = {
  name: 'FerretDB v1.24.2 (MongoDB wire protocol on PostgreSQL)',
  binary: toolPaths.ferretdb,
  needs: ['go'],
  coldTime: 'about 70 seconds',
  fingerprint: () => hashFiles(readdirSync(ferretDir).filter((f) => /\.go$|^go\.(mod|sum)$/.test(f)).sort().map((f) => path.join(ferretDir, f))),
  async build(log) {
    const tmp = `${toolPaths.ferretdb}.tmp`;
    await run('go', ['build', '-o', tmp, '.'], { cwd: ferretDir, log });
    renameSync(tmp, toolPaths.ferretdb);
  },
};

const testServer: Tool = {
  name: 'Temporal time-skipping test server 1.39.0 (Maven)',
  binary: toolPaths.testServer,
  needs: ['java', 'mvn'],
  coldTime: 'under a minute',
  fingerprint: () => hashFiles([testServerPom]),
  async build(log) {
    const cpFile = path.join(TOOLS_DIR, 'test-server.classpath');
    await run('mvn', ['-q', '-B', '-f', testServerPom, 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { log });
    const classpath = readFileSync(cpFile, 'utf8').trim();
    // Never add --enable-time-skipping here: the SDK drives skipping itself (SPEC §18).
    writeFileSync(toolPaths.testServer, `#!/bin/sh\nexec java -cp '${classpath}' io.temporal.testserver.TestServer "$@"\n`);
    chmodSync(toolPaths.testServer, 0o755);
  },
};

/** A binary go-installed from a module at a version, renamed so several `server` commands can live side by side. */
function goBinary(name: string, binary: string, pkg: string, version: string, coldTime: string, after?: () => Promise<void>): Tool {
  return {
    name,
    binary,
    needs: ['go'],
    coldTime,
    fingerprint: () => `${pkg}@${version}`,
    async build(log) {
      const tmpBin = path.join(TOOLS_DIR, `tmp-${path.basename(binary)}`);
      await run('go', ['install', `${pkg}@${version}`], { env: { GOBIN: tmpBin }, log });
      renameSync(path.join(tmpBin, path.basename(pkg)), binary);
      await after?.();
    },
  };
}

const temporalServer = goBinary(`Temporal server ${TEMPORAL_SERVER_VERSION} (full cluster)`, toolPaths.temporalServer, 'go.temporal.io/server/cmd/server', TEMPORAL_SERVER_VERSION, 'about 3 minutes', copyTemporalSchema);
const sqlTool = goBinary(`Temporal SQL schema tool ${TEMPORAL_SERVER_VERSION}`, toolPaths.sqlTool, 'go.temporal.io/server/cmd/tools/sql', TEMPORAL_SERVER_VERSION, 'about 2 minutes');
const uiServer = goBinary(`Temporal UI server ${TEMPORAL_UI_VERSION}`, toolPaths.uiServer, 'github.com/temporalio/ui-server/v2/cmd/server', TEMPORAL_UI_VERSION, 'under a minute');

/** The schema files ship in the server module; go already downloaded it for the build. */
async function copyTemporalSchema(): Promise<void> {
  const found = spawnSync('go', ['mod', 'download', '-json', `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`], { cwd: TOOLS_DIR, encoding: 'utf8' });
  const dir = (JSON.parse(found.stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`could not locate go.temporal.io/server@${TEMPORAL_SERVER_VERSION}: ${found.stderr}`);
  rmSync(path.join(TOOLS_DIR, 'temporal-schema'), { recursive: true, force: true });
  cpSync(path.join(dir, 'schema', 'postgresql', 'v12'), toolPaths.temporalSchema, { recursive: true });
  // The module cache is read-only; the copy must not be, or the next update could not replace it.
  spawnSync('chmod', ['-R', 'u+w', path.join(TOOLS_DIR, 'temporal-schema')]);
}

export interface ToolOptions {
  forTests?: boolean;
  cluster?: boolean;
  /** Where this run keeps its data (default: the system's temporary folder, as the test suites do). */
  dataDir?: string;
  /** Ports this run will listen on, checked before any build. */
  ports?: Prerequisites['ports'];
}

/** Checks every prerequisite first (in seconds), then builds whatever tool is missing or out of date. */
export async function ensureTools(options: ToolOptions = {}): Promise<void> {
  const wanted = [webConsole, temporalCli, ferretdb, ...(options.forTests ? [testServer] : []), ...(options.cluster ? [temporalServer, sqlTool, uiServer] : [])];
  const stale = wanted.filter((tool) => !isCurrent(tool));
  await checkPrerequisites(
    { build: stale.flatMap((tool) => tool.needs), run: options.forTests ? ['java'] : [], browser: options.forTests, dataDir: options.dataDir ?? tmpdir(), ports: options.ports },
    say,
  );
  if (stale.length === 0) return;
  for (const dir of [BIN_DIR, STAMP_DIR, LOG_DIR]) mkdirSync(dir, { recursive: true });
  await Promise.all(stale.map(buildWithProgress));
}

async function buildWithProgress(tool: Tool): Promise<void> {
  const started = Date.now();
  const logFile = path.join(LOG_DIR, `${toolId(tool)}.log`);
  const log = createWriteStream(logFile);
  say(`building ${tool.name} (cold: ${tool.coldTime}; log: ${path.relative(ROOT, logFile)})`);
  const ticker = setInterval(() => say(`… still building ${tool.name} (${elapsed(started)})`), 20_000);
  try {
    await tool.build(log);
    writeFileSync(stampPath(tool), tool.fingerprint());
    say(`built ${tool.name} in ${elapsed(started)}`);
  } catch (err) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`could not build ${tool.name}: ${(err as Error).message}\n${tail}`);
  } finally {
    clearInterval(ticker);
    log.end();
  }
}

function isCurrent(tool: Tool): boolean {
  const stamp = stampPath(tool);
  return existsSync(tool.binary) && existsSync(stamp) && readFileSync(stamp, 'utf8') === tool.fingerprint();
}

const toolId = (tool: Tool) => tool.id ?? path.basename(tool.binary);
const stampPath = (tool: Tool) => path.join(STAMP_DIR, toolId(tool));

function hashFiles(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex');
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; log: NodeJS.WritableStream }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(opts.log, { end: false });
    child.stderr.pipe(opts.log, { end: false });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

const say = (message: string) => console.log(`[setup] ${message}`);
const elapsed = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;
