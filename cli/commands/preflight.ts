import * as path from "path";
import { formatPreflight, preflightClients, preflightExitCode, runPreflight } from "../../lib/operations/preflight";
import { clientSettings } from "../aws";
import type { CliContext } from "../command";
import { recoveryPair } from "../environments";

/** `preflight <region>`: every peacetime fact of the recovery region, judged, as a table. */
export async function preflight(
  args: { region: string },
  options: { "platform-repo": string | undefined; peacetime: boolean },
  context: CliContext,
): Promise<number> {
  const { recovery, primary } = recoveryPair(context, "preflight", args.region);
  const clients = preflightClients(recovery, primary, { ...clientSettings(context), peacetime: options.peacetime });
  const platformRepo = options["platform-repo"];
  const result = await runPreflight(recovery, primary, clients, {
    peacetime: options.peacetime,
    platformRepo: platformRepo === undefined ? undefined : path.resolve(platformRepo),
  });
  process.stdout.write(formatPreflight(result));
  return preflightExitCode(result);
}
