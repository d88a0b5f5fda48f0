import * as path from "path";
import { synthesize } from "./app/synthesize";
import { ConfigurationError } from "./lib/environment";
import { emulatorTargetFromEnvironment } from "./lib/targets/emulator-target";

/**
 * Entry point for `cdktf synth` and `npm run synth`: every file in environments/ becomes its
 * stacks. Invalid environment files and policy violations stop here with every problem listed
 * and no stack trace; the output folder is replaced only by a complete synth. The deployment
 * target is a real AWS account unless DR_SANDBOX_ENDPOINT names the local emulator.
 */
function main(): void {
  try {
    const emulator = emulatorTargetFromEnvironment();
    if (emulator) process.stderr.write(`${emulator.banner()}\n`);
    const result = synthesize({
      // DR_ENVIRONMENTS_DIR: read environments from another folder (tests, a private fork's layout).
      environmentsDir: process.env.DR_ENVIRONMENTS_DIR ?? path.join(__dirname, "environments"),
      outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out",
      target: emulator,
    });
    if (result.suppressions.length > 0) {
      process.stderr.write(`Policy suppressions (${result.suppressions.length}):\n${result.suppressions.map((s) => `  ${s}`).join("\n")}\n`);
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`Invalid configuration, nothing was synthesized:\n${error.problems.map((p) => `  ${p}`).join("\n")}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

main();
