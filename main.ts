import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "./lib/app";
import { ConfigurationError, loadEnvironments } from "./lib/environment";
import { enableSandbox, sandboxBanner, sandboxFromEnvironment } from "./lib/sandbox";

/**
 * Entry point for `cdktf synth` and `npm run synth`: every file in environments/ becomes its
 * stacks. Invalid environment files stop here with every problem listed and nothing written.
 */
function main(): void {
  try {
    // DR_ENVIRONMENTS_DIR: read environments from another folder (tests, a private fork's layout).
    const environments = loadEnvironments(process.env.DR_ENVIRONMENTS_DIR ?? path.join(__dirname, "environments"));
    const sandbox = sandboxFromEnvironment();
    const app = new App();
    if (sandbox) {
      process.stderr.write(`${sandboxBanner(sandbox)}\n`);
      enableSandbox(app, sandbox);
    }
    addEnvironments(app, environments);
    app.synth();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`Invalid configuration, nothing was synthesized:\n${error.problems.map((p) => `  ${p}`).join("\n")}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main();
