// `npm run lint`: installs this folder's own ESLint once (its lockfile pins it), then lints the project.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const installed = path.join(here, 'node_modules', '.package-lock.json');

const run = (cmd, args, cwd) => {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const lockOf = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).packages : null);
if (JSON.stringify(lockOf(installed)?.['node_modules/eslint']) !== JSON.stringify(lockOf(path.join(here, 'package-lock.json'))?.['node_modules/eslint'])) {
  console.log('[lint] installing ESLint and typescript-eslint into tools/lint (once)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], here);
}
run(path.join(here, 'node_modules', '.bin', 'eslint'), ['-c', path.join(here, 'eslint.config.mjs'), ...process.argv.slice(2), '.'], root);
