import { RECOVERY_TIERS, type RecoveryTier } from "../../lib/environment";
import { formatRto, modelRegionRto, modelTierRto } from "../../lib/operations";
import { UsageError, type CliContext } from "../command";
import { environmentOf } from "../environments";
import { withSynthesized } from "../synthesized";

/** `rto <region> [--tier <tier>] [--mermaid]`: the modelled recovery time of the synthesized app. */
export async function rto(args: { region: string }, options: { mermaid: boolean; tier?: string }, context: CliContext): Promise<number> {
  const environment = environmentOf(context, args.region);
  const tier = options.tier;
  if (tier !== undefined && !(RECOVERY_TIERS as readonly string[]).includes(tier)) {
    throw new UsageError(`--tier must be one of ${RECOVERY_TIERS.join(", ")} (got ${JSON.stringify(tier)})`);
  }
  if (tier !== undefined && environment.role !== "recovery") {
    throw new UsageError(`--tier models a recovery's tier; ${args.region} is a primary (model the recovery that takes over from it)`);
  }
  const result = withSynthesized(context, (outdir) =>
    environment.role === "recovery" ? modelTierRto(outdir, environment, tier as RecoveryTier | undefined) : modelRegionRto(outdir, environment),
  );
  console.log(formatRto(result, options.mermaid ? "mermaid" : "text"));
  return 0;
}
