/**
 * Jest transpiles TypeScript with sucrase (no type-checking; `tsc --noEmit` is its own step in
 * `npm test`). Projects: `unit` (synthesized JSON, schema, terraform validate, lint rules) and
 * `e2e` (test/e2e/: suites that start their own emulator or database on 127.0.0.1 and deploy or
 * run real tools against them: the DR drill, least privilege, nothing lost; test/package/: the
 * packed package installed into another project).
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
  // The DR drill first, even on a runner with no timing cache (test/support/sequencer.js says why).
  testSequencer: "<rootDir>/test/support/sequencer.js",
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/e2e/", "<rootDir>/test/package/"],
    },
    {
      ...shared,
      // Each suite starts its own emulator (test/support/emulator.ts) on 127.0.0.1 and stops it;
      // test/package builds, packs and installs the package into a project of its own.
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts", "<rootDir>/test/package/**/*.test.ts"],
    },
  ],
};
