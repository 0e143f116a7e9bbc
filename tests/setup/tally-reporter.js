// A Jest reporter for CI's closing line: with TEST_TALLY_DIR set it writes { passed, failed } for the run to
// $TEST_TALLY_DIR/$TEST_TALLY_NAME.json (default name `jest`); .ci/tally.mjs sums such files. Without it, it does nothing.
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

class TallyReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.TEST_TALLY_DIR;
    if (!dir) return;
    // A test file that failed to run at all (syntax error, failing import) has no tests: it counts as one failed.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${process.env.TEST_TALLY_NAME || 'jest'}.json`), JSON.stringify({ passed: results.numPassedTests, failed }));
  }
}

module.exports = TallyReporter;
