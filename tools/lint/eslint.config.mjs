// Lint rules: no floating promises anywhere; workflows (and the pure rules they import) stay deterministic.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioPackages = ['mongoose', 'mongodb', 'express', 'pg', 'pino', 'jsonwebtoken', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'tools/**', 'dist/**', '.tools/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts', 'web/**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { project: path.join(root, 'tsconfig.json'), tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    // The browser console (web/) type-checks with its own tsconfig (DOM, JSX); user text is rendered as text only.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { parserOptions: { project: path.join(root, 'web', 'tsconfig.json'), tsconfigRootDir: root } },
    rules: {
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'render user text as text: never as HTML' }],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'render user text as text: never as HTML' },
        { property: 'outerHTML', message: 'render user text as text: never as HTML' },
      ],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node built-ins, no clocks or randomness but Temporal's.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioPackages].map((name) => ({ name, message: 'workflows and domain rules must stay deterministic: no I/O here', allowTypeImports: true })),
          patterns: [{ group: ['**/activities', '**/activities/*', '**/store/*', '**/platform/*', '**/api/*'], message: 'import activity and store types only', allowTypeImports: true }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow' },
        { name: 'setInterval', message: 'use sleep() in a loop' },
        { name: 'fetch', message: 'I/O belongs in activities' },
        { name: 'process', message: 'no process state in workflows' },
        { name: 'require', message: 'import modules statically' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'use the workflow clock (new Date() inside the sandbox) via the helper' },
        { object: 'Math', property: 'random', message: 'use uuid4() from @temporalio/workflow' },
        { object: 'crypto', property: 'randomUUID', message: 'use uuid4() from @temporalio/workflow' },
      ],
    },
  },
);
