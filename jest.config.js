/**
 * Jest transpiles TypeScript with sucrase (no type-checking; `tsc --noEmit` is its own step in
 * `npm test`). Projects: `unit` (synthesized JSON, schema, terraform validate) and
 * `sandbox` (deploys into the local AWS emulator: the DR drill, least privilege, nothing lost).
 */
const shared = {
  testEnvironment: "node",
  transform: { "\\.ts$": "@sucrase/jest-plugin" },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/test/support/setup.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  // Two cores on CI: use both (jest defaults to cores - 1).
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/sandbox/", "<rootDir>/test/e2e/"],
    },
    {
      ...shared,
      // Deploys into moto_server, which each suite starts on 127.0.0.1 and stops itself.
      displayName: "sandbox",
      testMatch: ["<rootDir>/test/sandbox/**/*.test.ts", "<rootDir>/test/e2e/**/*.test.ts"],
    },
  ],
};
