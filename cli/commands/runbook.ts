import { buildClusterPlan, buildPlan, formatPlan } from "../../lib/recovery";
import { UsageError } from "../command";
import type { CliContext } from "../command";
import { sideOf } from "../environments";
import { synthesizedManifest } from "../synthesized";
import { accountPlan, checkAccountRequest, databasePlan } from "./recover";

/**
 * The scenarios `runbook --scenario` prints; each plan is executed by `recover` (region),
 * `rebuild-cluster` (cluster), `restore-database` (database) or `rebuild-account` (account).
 */
const SCENARIOS = ["region", "cluster", "database", "account"] as const;

/** `runbook <region> [--scenario region|cluster|database|account] [--to-time <iso>] [--from-archive <key>] [--new-account <id>] [--markdown]`: the plan its command executes, printed from the synthesized stack graph. */
export async function runbook(
  args: { region: string },
  options: { markdown: boolean; scenario: string; "to-time": string | undefined; "from-archive": string | undefined; "new-account": string | undefined },
  context: CliContext,
): Promise<number> {
  const scenario = SCENARIOS.find((s) => s === options.scenario);
  if (scenario === undefined) throw new UsageError(`--scenario ${options.scenario}: the scenarios are ${SCENARIOS.join(", ")}`);
  const request = { toTime: options["to-time"], fromArchive: options["from-archive"] };
  if (scenario !== "database" && (request.toTime !== undefined || request.fromArchive !== undefined)) {
    throw new UsageError(`--to-time and --from-archive are options of the database scenario (--scenario database), not of ${scenario}`);
  }
  if (scenario !== "account" && options["new-account"] !== undefined) {
    throw new UsageError(`--new-account is an option of the account scenario (--scenario account), not of ${scenario}`);
  }
  const side = sideOf(context, args.region);
  const environment = side.environment;
  // Checked before the synth: a usage mistake costs nothing.
  if (scenario === "account") checkAccountRequest(side, options["new-account"]);
  const manifest = synthesizedManifest(context);
  const plan =
    scenario === "cluster"
      ? buildClusterPlan(environment, manifest)
      : scenario === "database"
        ? databasePlan(environment, manifest, request)
        : scenario === "account"
          ? accountPlan(side, manifest, options["new-account"])
          : buildPlan(environment, manifest);
  console.log(formatPlan(plan, options.markdown ? "markdown" : "text"));
  return 0;
}
