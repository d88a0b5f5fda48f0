import * as path from "path";
import { formatPreflight, preflightClients, preflightExitCode, runPreflight } from "../../lib/operations";
import { AwsAccountTarget, emulatorTargetFromEnvironment } from "../../lib/targets";
import { clientSettings } from "../aws";
import type { CliContext } from "../command";
import { recoveryPair } from "../environments";

/** `preflight <region>`: every peacetime fact of the recovery region, judged, as a table. */
export async function preflight(
  args: { region: string },
  options: { "platform-repo": string | undefined; peacetime: boolean; outage: boolean },
  context: CliContext,
): Promise<number> {
  const { recovery, primary } = recoveryPair(context, "preflight", args.region);
  const clients = preflightClients(recovery, primary, { ...clientSettings(context), peacetime: options.peacetime });
  const platformRepo = options["platform-repo"];
  // The sandbox's emulator when DR_SANDBOX_ENDPOINT names one: its gaps explain what it cannot serve.
  const target = emulatorTargetFromEnvironment(context.env) ?? new AwsAccountTarget();
  const result = await runPreflight(recovery, primary, clients, {
    peacetime: options.peacetime,
    outage: options.outage,
    target,
    platformRepo: platformRepo === undefined ? undefined : path.resolve(platformRepo),
  });
  process.stdout.write(formatPreflight(result));
  return preflightExitCode(result);
}
