import * as fs from "fs";
import * as path from "path";
import { formatPlanGate, planGateExitCode, runPlanGate } from "../../lib/operations";
import { emulatorTargetFromEnvironment } from "../../lib/targets";
import { UsageError, type CliContext } from "../command";
import { withSynthesizedAsync } from "../synthesized";

/** `plan-gate <stack>`: plans the stack against its state and refuses when a stateful resource would be deleted or replaced. */
export async function planGate(args: { stack: string }, context: CliContext): Promise<number> {
  return withSynthesizedAsync(
    context,
    async (outdir) => {
      const stackDir = path.join(outdir, "stacks", args.stack);
      if (!fs.existsSync(stackDir)) throw new UsageError(`no stack ${args.stack} in the synthesized environments (npx dr-platform graph lists them)`);
      const verdict = await runPlanGate(args.stack, stackDir);
      process.stdout.write(formatPlanGate(verdict));
      return planGateExitCode(verdict);
    },
    // In the sandbox (its variables set, as for preflight and status) the stack is the emulator's.
    emulatorTargetFromEnvironment(context.env),
  );
}
