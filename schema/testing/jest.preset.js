// Shared Jest settings: every package's jest.config.js spreads this and names itself.
// TypeScript is only transpiled here (fast); `npm run typecheck` type-checks tests with the code.
const { join } = require('node:path');

/** @param {string} packageDir @param {string} displayName @returns {import('jest').Config} */
module.exports = function preset(packageDir, displayName) {
  return {
    displayName,
    rootDir: packageDir,
    testEnvironment: 'node',
    // Workspace packages resolve to their TypeScript sources (see tsconfig.base.json customConditions).
    testEnvironmentOptions: { customExportConditions: ['@bicentennial/source', 'node', 'node-addons'] },
    testMatch: ['<rootDir>/src/**/__tests__/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: join(__dirname, '..', '..', 'tsconfig.json') }],
    },
    setupFilesAfterEnv: [join(__dirname, 'src', 'jest.setup.ts')],
    testTimeout: 60_000,
  };
};
