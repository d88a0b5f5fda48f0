import { formatStatus, runStatus, statusClients, statusExitCode } from "../../lib/operations";
import { AwsAccountTarget, emulatorTargetFromEnvironment } from "../../lib/targets";
import { clientSettings } from "../aws";
import type { CliContext } from "../command";
import { recoveryPair } from "../environments";

/** `status <region> [--json]`: each data store's recovery point in the recovery region against its target. */
export async function status(args: { region: string }, options: { json: boolean }, context: CliContext): Promise<number> {
  const { recovery, primary } = recoveryPair(context, "status", args.region);
  // The sandbox's emulator when DR_SANDBOX_ENDPOINT names one: its gaps explain what it cannot serve.
  const emulator = emulatorTargetFromEnvironment(context.env);
  const result = await runStatus(recovery, primary, statusClients(recovery, primary, clientSettings(context)), { target: emulator ?? new AwsAccountTarget() });
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatStatus(result));
  return statusExitCode(result);
}
