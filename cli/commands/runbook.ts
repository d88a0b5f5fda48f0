import { buildPlan, formatPlan } from "../../lib/recovery";
import type { CliContext } from "../command";
import { environmentOf } from "../environments";
import { synthesizedManifest } from "../synthesized";

/** `runbook <region> [--markdown]`: the plan `recover` executes, printed from the synthesized stack graph. */
export async function runbook(args: { region: string }, options: { markdown: boolean }, context: CliContext): Promise<number> {
  const environment = environmentOf(context, args.region);
  console.log(formatPlan(buildPlan(environment, synthesizedManifest(context)), options.markdown ? "markdown" : "text"));
  return 0;
}
