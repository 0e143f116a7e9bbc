// Jest runs TypeScript through @swc/jest. The projects that need the real servers share one global setup, which
// Jest runs only when a test of such a project runs: `npm run test:unit` starts no server.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  ...extra,
});

const servers = {
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [project('unit'), project('workflow', servers), project('api', servers), project('e2e', servers), project('mail', servers), project('web', servers)],
  // With TEST_TALLY_DIR set (CI), the tally reporter writes the run's passed/failed counts there for .ci/run's last line.
  reporters: ['default', '<rootDir>/tests/setup/tally-reporter.js'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
