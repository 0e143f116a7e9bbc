// CI's tally for the suites that are not Jest (fault suite, schemathesis): with TEST_TALLY_DIR set, each writes
// { passed, failed } to $TEST_TALLY_DIR/<name>.json and .ci/tally.mjs sums them. Without it, nothing is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Tally {
  passed: number;
  failed: number;
}

export function writeTally(name: string, tally: Tally): void {
  const dir = process.env.TEST_TALLY_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(tally));
}
