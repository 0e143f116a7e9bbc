// CI's closing line: `node .ci/tally.mjs DIR [STEP...]` sums the { passed, failed } JSON files the test steps wrote
// into DIR (Jest's tally reporter, the fault suite, schemathesis, the cluster run) and prints `N passed, M failed`.
// Each STEP is a comma list of the tally names a step that started reports under (`schema-*` matches a prefix);
// `failed:` before it marks the step that exited non-zero. A step counts at least one failed test when it left
// no tally at all (it died before reporting), or when it failed although its tallies show no failed test.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, ...steps] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node .ci/tally.mjs DIR [[failed:]NAME[,NAME…]…]');
  process.exit(2);
}

let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  // no directory: no step reported anything
}
const tallies = new Map(
  files.map((file) => {
    try {
      const { passed, failed } = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      if (!Number.isInteger(passed) || !Number.isInteger(failed) || passed < 0 || failed < 0) throw new Error('not counts');
      return [file.slice(0, -'.json'.length), { passed, failed }];
    } catch {
      return [file.slice(0, -'.json'.length), { passed: 0, failed: 1 }]; // a tally that cannot be read is a failure
    }
  }),
);

let passed = 0;
let failed = 0;
for (const t of tallies.values()) {
  passed += t.passed;
  failed += t.failed;
}

const matches = (pattern, name) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);
for (const step of steps) {
  const stepFailed = step.startsWith('failed:');
  const patterns = (stepFailed ? step.slice('failed:'.length) : step).split(',').filter(Boolean);
  const own = [...tallies].filter(([name]) => patterns.some((p) => matches(p, name))).map(([, t]) => t);
  const missing = patterns.some((p) => ![...tallies.keys()].some((name) => matches(p, name)));
  if (missing || (stepFailed && own.every((t) => t.failed === 0))) failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
