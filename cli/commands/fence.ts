import { fenceClients, fenceExitCode, formatFence, runFence } from "../../lib/operations";
import { clientSettings } from "../aws";
import type { CliContext } from "../command";
import { sideOf } from "../environments";

/** `fence <region> [--apply]`: makes a returning old primary harmless; a dry run by default. */
export async function fence(args: { region: string }, options: { apply: boolean }, context: CliContext): Promise<number> {
  const side = sideOf(context, args.region);
  const environment = side.environment;
  const recoveries = side.role === "primary" ? side.recoveries : [];
  const result = await runFence(environment, fenceClients(environment, clientSettings(context), recoveries), { apply: options.apply });
  process.stdout.write(formatFence(result));
  return fenceExitCode(result);
}
