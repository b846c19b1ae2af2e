/** Jest compiles TypeScript with SWC exactly as the service's start does (scripts/swc-options.js), decorator metadata included. */
const swc = require('./scripts/swc-options');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc], '/node_modules/jose/.+\\.js$': ['@swc/jest', swc] },
  // jose is ESM only: Node 20 loads it with require(esm), jest needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};
