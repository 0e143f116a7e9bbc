// Builds the browser console (web/) into web/dist with esbuild's JS API: one script and one stylesheet, both
// content-hashed under dist/assets/, and dist/index.html pointing at them. `npm run setup` runs it (so `npm start`
// and `npm test` do) when the sources or the versions of preact, chart.js or esbuild change;
// `npm run web:watch` rebuilds on every save while the API serves web/dist.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
export const WEB_DIR = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
/** Packages whose version changes the bundle. */
const BUNDLED_PACKAGES = ['preact', 'chart.js', 'esbuild'];

/** The build's inputs: every file under web/ (but dist/), this script, and the bundled packages' locked versions. */
export function consoleFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(WEB_DIR), __filename]) hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { version?: string }> };
  for (const name of BUNDLED_PACKAGES) hash.update(`${name}@${lock.packages?.[`node_modules/${name}`]?.version ?? 'missing'}\n`);
  return hash.digest('hex');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      if (file === WEB_DIST || name === 'node_modules' || name.startsWith('.')) return [];
      return statSync(file).isDirectory() ? sourceFiles(file) : [file];
    });
}

function options(outDir: string): esbuild.BuildOptions {
  return {
    entryPoints: { main: path.join(WEB_DIR, 'src', 'main.tsx'), styles: path.join(WEB_DIR, 'src', 'styles.css') },
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    // Code loaded with import() (Chart.js, for the KPI page only) goes into its own files, fetched when needed.
    splitting: true,
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    tsconfig: path.join(WEB_DIR, 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    plugins: [writeIndexHtml(outDir)],
  };
}

/** After each build: index.html names the hashed files, and assets of earlier builds are removed. */
function writeIndexHtml(outDir: string): esbuild.Plugin {
  return {
    name: 'index-html',
    setup(build) {
      build.onEnd((result) => {
        if (!result.metafile) return;
        const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(ROOT, file));
        // The page names the two entry points; the chunks they import are fetched by the script itself.
        const asset = (ext: string) => {
          const found = Object.entries(result.metafile!.outputs).find(([file, out]) => file.endsWith(ext) && /src\/(main\.tsx|styles\.css)$/.test(out.entryPoint ?? ''));
          if (!found) throw new Error(`the console build made no ${ext} file`);
          return `/app/assets/${path.basename(found[0])}`;
        };
        const html = readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8').replace('{{stylesheet}}', asset('.css')).replace('{{script}}', asset('.js'));
        writeFileSync(path.join(outDir, 'index.html'), html);
        const assets = path.join(outDir, 'assets');
        for (const name of readdirSync(assets)) if (!outputs.includes(path.join(assets, name))) rmSync(path.join(assets, name));
      });
    },
  };
}

/** Builds into a fresh folder and swaps it in, so a running API never serves half a build. */
export async function buildConsole(outDir: string = WEB_DIST): Promise<void> {
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const result = await esbuild.build(options(staging));
    if (result.errors.length > 0) throw new Error(esbuild.formatMessagesSync(result.errors, { kind: 'error' }).join('\n'));
    const previous = `${outDir}.old-${process.pid}`;
    try {
      if (existsSync(outDir)) renameSync(outDir, previous);
      renameSync(staging, outDir);
    } catch (err) {
      // Another run (a second `npm test` in the same checkout) swapped its build in first: the same sources, keep it.
      if (!existsSync(path.join(outDir, 'index.html'))) throw err;
      rmSync(staging, { recursive: true, force: true });
    }
    rmSync(previous, { recursive: true, force: true });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const messages = (err as { errors?: esbuild.Message[] }).errors;
    throw messages ? new Error(esbuild.formatMessagesSync(messages, { kind: 'error' }).join('\n')) : err;
  }
}

async function watch(): Promise<void> {
  mkdirSync(WEB_DIST, { recursive: true });
  const context = await esbuild.context({
    ...options(WEB_DIST),
    logLevel: 'info',
    plugins: [writeIndexHtml(WEB_DIST), { name: 'say', setup: (b) => b.onEnd((r) => console.log(`[web] ${r.errors.length ? 'build failed' : 'built web/dist'}`)) }],
  });
  await context.watch();
  console.log('[web] watching web/ (Ctrl-C stops); reload the page after a rebuild');
}

if (require.main === module) {
  (process.argv.includes('--watch') ? watch() : buildConsole().then(() => console.log('[web] built web/dist'))).catch((err: Error) => {
    console.error(`[web] ${err.message}`);
    process.exit(1);
  });
}
