import * as path from "path";
import { assertCurrentBuild, StaleBuildError } from "./app/build-info";
import { synthesize } from "./app/synthesize";
import { ConfigurationError } from "./lib/environment";
import { emulatorTargetFromEnvironment } from "./lib/targets";

/**
 * Entry point for `cdktf synth` and `npm run synth`: every file in environments/ becomes its
 * stacks. Invalid environment files and policy violations stop here with every problem listed
 * and no stack trace; the output folder is replaced only by a complete synth. The deployment
 * target is a real AWS account unless DR_SANDBOX_ENDPOINT names the local emulator.
 *
 * It runs compiled, as dist/main.js (`npm run build`), or from the source with a transpiler
 * (`npm run synth:dev`). Compiled, it refuses a build older than the code beside it, and reads an
 * environment file edited since the build from its source (app/build-info.ts).
 */
const COMPILED = path.basename(__dirname) === "dist";
const ROOT = COMPILED ? path.dirname(__dirname) : __dirname;

function main(): void {
  try {
    const build = COMPILED ? assertCurrentBuild(ROOT, __dirname) : undefined;
    const emulator = emulatorTargetFromEnvironment();
    if (emulator) process.stderr.write(`${emulator.banner()}\n`);
    const result = synthesize({
      // DR_ENVIRONMENTS_DIR: read environments from another folder (tests, a private fork's layout).
      environmentsDir: process.env.DR_ENVIRONMENTS_DIR ?? path.join(ROOT, "environments"),
      sourceHashes: build?.sources,
      outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out",
      target: emulator,
      // Under `cdktf synth` (which always sets cdktf's context variable) the CLI removes the folders
      // of stacks that are gone itself, and fails when they already are.
      keepOrphanedStacks: process.env.CDKTF_CONTEXT_JSON !== undefined,
    });
    if (result.warnings.length > 0) {
      process.stderr.write(`Warnings (${result.warnings.length}):\n${result.warnings.map((w) => `  ${w}`).join("\n")}\n`);
    }
    if (result.suppressions.length > 0) {
      process.stderr.write(`Policy suppressions (${result.suppressions.length}):\n${result.suppressions.map((s) => `  ${s}`).join("\n")}\n`);
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`Invalid configuration, nothing was synthesized:\n${error.problems.map((p) => `  ${p}`).join("\n")}\n`);
      process.exitCode = 1;
      return;
    }
    if (error instanceof StaleBuildError) {
      process.stderr.write(
        `dist/ was built from other sources, nothing was synthesized:\n${error.problems.map((p) => `  ${p}`).join("\n")}\n` +
          "Run `npm run build` (or synthesize from the source: `npm run synth:dev`).\n",
      );
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

main();
