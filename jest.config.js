// Jest runs TypeScript through @swc/jest. One global setup starts the real servers every suite shares.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  ...extra,
});

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  projects: [project('unit'), project('workflow'), project('api'), project('e2e')],
  testTimeout: 60_000,
  maxWorkers: 2,
};
