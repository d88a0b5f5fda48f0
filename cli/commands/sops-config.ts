import { KMSClient } from "@aws-sdk/client-kms";
import { awsClient, sopsConfigFor } from "../../lib/operations";
import { clientSettings } from "../aws";
import type { CliContext } from "../command";
import { recoveryPair } from "../environments";

/** `sops-config <region>`: the platform-k8s repository's .sops.yaml, on stdout only (it is redirected into the file). */
export async function sopsConfig(args: { region: string }, context: CliContext): Promise<number> {
  const { recovery, primary } = recoveryPair(context, "sops-config", args.region);
  process.stdout.write(await sopsConfigFor(recovery, primary, awsClient(KMSClient, recovery.region, clientSettings(context))));
  return 0;
}
