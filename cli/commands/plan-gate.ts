import * as fs from "fs";
import * as path from "path";
import { formatPlanGate, planGateExitCode, runPlanGate } from "../../lib/operations";
import { UsageError, type CliContext } from "../command";
import { withSynthesizedAsync } from "../synthesized";

/** `plan-gate <stack>`: plans the stack against its state and refuses when a stateful resource would be deleted or replaced. */
export async function planGate(args: { stack: string }, context: CliContext): Promise<number> {
  return withSynthesizedAsync(context, async (outdir) => {
    const stackDir = path.join(outdir, "stacks", args.stack);
    if (!fs.existsSync(stackDir)) {
      const known = fs.readdirSync(path.join(outdir, "stacks")).sort().join(", ");
      throw new UsageError(`no stack ${args.stack} in the synthesized environments (stacks: ${known})`);
    }
    const verdict = await runPlanGate(args.stack, stackDir);
    process.stdout.write(formatPlanGate(verdict));
    return planGateExitCode(verdict);
  });
}
