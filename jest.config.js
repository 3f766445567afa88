// Tests are compiled by `tsc -b` (npm test runs the build first) and run as
// JavaScript from build/test, which is faster than transforming TypeScript per run.
// Snapshots live next to the TypeScript sources.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/build/test'],
  testMatch: ['**/*.test.js'],
  transform: {},
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  // one notice when ../shared is missing; a failure when a test wrote into the repository
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
};
