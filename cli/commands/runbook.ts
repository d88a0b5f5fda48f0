import { buildClusterPlan, buildPlan, formatPlan } from "../../lib/recovery";
import { UsageError } from "../command";
import type { CliContext } from "../command";
import { environmentOf } from "../environments";
import { synthesizedManifest } from "../synthesized";
import { databasePlan } from "./recover";

/** The scenarios `runbook --scenario` prints; each plan is executed by `recover` (region), `rebuild-cluster` (cluster) or `restore-database` (database). */
const SCENARIOS = ["region", "cluster", "database"] as const;

/** `runbook <region> [--scenario region|cluster|database] [--to-time <iso>] [--from-archive <key>] [--markdown]`: the plan its command executes, printed from the synthesized stack graph. */
export async function runbook(
  args: { region: string },
  options: { markdown: boolean; scenario: string; "to-time": string | undefined; "from-archive": string | undefined },
  context: CliContext,
): Promise<number> {
  const scenario = SCENARIOS.find((s) => s === options.scenario);
  if (scenario === undefined) throw new UsageError(`--scenario ${options.scenario}: the scenarios are ${SCENARIOS.join(", ")}`);
  const request = { toTime: options["to-time"], fromArchive: options["from-archive"] };
  if (scenario !== "database" && (request.toTime !== undefined || request.fromArchive !== undefined)) {
    throw new UsageError(`--to-time and --from-archive are options of the database scenario (--scenario database), not of ${scenario}`);
  }
  const environment = environmentOf(context, args.region);
  const manifest = synthesizedManifest(context);
  const plan =
    scenario === "cluster"
      ? buildClusterPlan(environment, manifest)
      : scenario === "database"
        ? databasePlan(environment, manifest, request)
        : buildPlan(environment, manifest);
  console.log(formatPlan(plan, options.markdown ? "markdown" : "text"));
  return 0;
}
