import { formatRto, modelRegionRto } from "../../lib/operations";
import type { CliContext } from "../command";
import { environmentOf } from "../environments";
import { withSynthesized } from "../synthesized";

/** `rto <region> [--mermaid]`: the modelled recovery time of the synthesized app. */
export async function rto(args: { region: string }, options: { mermaid: boolean }, context: CliContext): Promise<number> {
  const environment = environmentOf(context, args.region);
  const result = withSynthesized(context, (outdir) => modelRegionRto(outdir, environment));
  console.log(formatRto(result, options.mermaid ? "mermaid" : "text"));
  return 0;
}
