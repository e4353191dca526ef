/** @type {import('jest').Config} */
module.exports = {
  // jest's node environment; stacks captured on plain objects skip source maps (environment.js).
  testEnvironment: '<rootDir>/test/support/environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // npm test is the quick suite (at most 20 s on the 2-core machine). test/proofs/ holds the
  // end-to-end proofs that run many processes for their claim (rotation sequences with sign-ins,
  // installs attacked by Botpress's user, races measured over many runs): `npm run test:proofs`,
  // which CI runs too (.ci/run).
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.BPSSO_TESTS === 'proofs' ? [] : ['/test/proofs/'])],
  ...(process.env.BPSSO_TESTS === 'proofs' ? { roots: ['<rootDir>/test/proofs'] } : {}),
  // swc strips types without checking them (npm run lint type-checks once): tests start fast.
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // cdktf's archiver, loaded on first call: test/support/lazy-archiver.js says why.
  moduleNameMapper: { '^archiver$': '<rootDir>/test/support/lazy-archiver.js' },
  setupFilesAfterEnv: ['<rootDir>/test/support/setup-jest.ts'],
  // The quick suite is CPU-bound: two workers on the 2-core machine (a third one cost 5-15% more
  // CPU in alternating runs, for no shorter wall time). The proofs mostly wait on child processes
  // (restarts, deadlines, a local IdP), so a third worker runs while another waits.
  maxWorkers: process.env.BPSSO_TESTS === 'proofs' ? 3 : 2,
  // Longest files first, also on a fresh checkout: test/support/sequencer.js says how.
  testSequencer: '<rootDir>/test/support/sequencer.js',
  // A guard against hangs, not a time budget (speed is measured by npm run bench, never asserted):
  // a test that runs OpenTofu a dozen times takes several seconds even on a quiet machine, and the
  // default 5 s failed it on a loaded one.
  testTimeout: 60_000,
};
