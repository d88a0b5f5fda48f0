import * as fs from "fs";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { awsClient, gitCredentialsPlan, rotateGitCredentials } from "../../lib/operations";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { primarySideOf, sideOf } from "../environments";

/** `rotate-git-credentials <region> --from-file <file>`: put, wait for the replicas, print what comes next. */
export async function rotateGitCredentialsCommand(
  args: { region: string },
  options: { "from-file": string | undefined; wait: string },
  context: CliContext,
): Promise<number> {
  const side = sideOf(context, args.region);
  const file = options["from-file"];
  // Never an argument: a value on the command line ends in shell history and process listings.
  if (!file) throw new UsageError("--from-file is required: the new credentials JSON, from a file or - for stdin (never on the command line)");
  const waitSeconds = Number(options.wait);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 3600)
    throw new UsageError(`--wait must be whole seconds from 0 to 3600 (got ${options.wait})`);
  const value = fs.readFileSync(file === "-" ? 0 : file, "utf8").replace(/\n$/, "");

  const plan = gitCredentialsPlan(side.environment.flux.gitCredentialsSecretName, primarySideOf(context, side));
  const settings = clientSettings(context);
  const result = await rotateGitCredentials(
    plan,
    value,
    {
      home: awsClient(SecretsManagerClient, plan.homeRegion, settings),
      replicas: Object.fromEntries(plan.replicaRegions.map((region) => [region, awsClient(SecretsManagerClient, region, settings)])),
    },
    { waitSeconds },
  );
  console.log(result.lines.join("\n"));
  return result.exitCode;
}
