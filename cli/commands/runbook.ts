import { buildClusterPlan, buildPlan, formatPlan } from "../../lib/recovery";
import { UsageError } from "../command";
import type { CliContext } from "../command";
import { environmentOf } from "../environments";
import { synthesizedManifest } from "../synthesized";

/** The scenarios `runbook --scenario` prints; each plan is executed by `recover` (region) or `rebuild-cluster` (cluster). */
const SCENARIOS = ["region", "cluster"] as const;

/** `runbook <region> [--scenario region|cluster] [--markdown]`: the plan its command executes, printed from the synthesized stack graph. */
export async function runbook(args: { region: string }, options: { markdown: boolean; scenario: string }, context: CliContext): Promise<number> {
  const scenario = SCENARIOS.find((s) => s === options.scenario);
  if (scenario === undefined) throw new UsageError(`--scenario ${options.scenario}: the scenarios are ${SCENARIOS.join(", ")}`);
  const environment = environmentOf(context, args.region);
  const manifest = synthesizedManifest(context);
  const plan = scenario === "cluster" ? buildClusterPlan(environment, manifest) : buildPlan(environment, manifest);
  console.log(formatPlan(plan, options.markdown ? "markdown" : "text"));
  return 0;
}
