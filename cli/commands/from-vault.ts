import { spawnSync } from "child_process";
import { ECRClient } from "@aws-sdk/client-ecr";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";
import {
  assumeVaultRole,
  awsClient,
  checkFromVaultIdentities,
  copyArchiveFromVault,
  copyAssetsFromVault,
  copyImagesFromVault,
  craneOnPath,
  copyGitCredentialsFromVault,
  copyStateFromVault,
  probeVaultReadiness,
  vaultReadiness,
  fromVaultPlan,
  type ClientSettings,
  type FromVaultPlan,
  type FromVaultResult,
} from "../../lib/operations";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { environmentsOf, sideOf } from "../environments";

/**
 * `from-vault <region> <copy> [--key <key>]`: one copy out of the primary's vault account into the
 * new account. Prints who writes and who reads first; reads with the vault role's credentials,
 * writes with the caller's.
 */
export async function fromVault(args: { region: string; copy: string }, options: { key: string | undefined }, context: CliContext): Promise<number> {
  const side = sideOf(context, args.region);
  let plan: FromVaultPlan;
  try {
    plan = fromVaultPlan(side, environmentsOf(context), args.copy, options.key);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const settings = clientSettings(context);
  const vault = plan.environment.vault;
  const callerSts = awsClient(STSClient, plan.environment.region, settings);
  let vaultSettings: ClientSettings = settings;
  const identities = await checkFromVaultIdentities(plan, callerSts, async () => {
    const assumed = await assumeVaultRole(callerSts, plan);
    if (!assumed.ok) return assumed;
    // The session token goes with the keys: awsClient hands the credentials to the SDK as they are.
    vaultSettings = { ...settings, credentials: assumed.value };
    return { ok: true, value: awsClient(STSClient, vault.region, vaultSettings) };
  });
  console.log(identities.lines.join("\n"));
  if (identities.exitCode !== 0) return identities.exitCode;

  let result: FromVaultResult;
  switch (plan.copy) {
    case "state":
      result = await copyStateFromVault(plan, {
        vault: awsClient(S3Client, vault.region, vaultSettings),
        target: awsClient(S3Client, plan.state.target.region, settings),
      });
      break;
    case "archive":
      // A dump streams for as long as it is large: no read deadline on the copy's calls.
      result = await copyArchiveFromVault(plan, {
        vault: awsClient(S3Client, vault.region, { ...vaultSettings, requestTimeoutMs: 0 }),
        target: awsClient(S3Client, plan.archive.target.region, { ...settings, requestTimeoutMs: 0 }),
      });
      break;
    case "git-credentials":
      result = await copyGitCredentialsFromVault(plan, {
        vault: awsClient(SecretsManagerClient, vault.region, vaultSettings),
        target: awsClient(SecretsManagerClient, plan.secret.region, settings),
      });
      break;
    case "assets":
      result = await copyAssetsFromVault(plan, {
        vault: awsClient(S3Client, vault.region, { ...vaultSettings, requestTimeoutMs: 0 }),
        target: awsClient(S3Client, plan.assets.target.region, { ...settings, requestTimeoutMs: 0 }),
      });
      break;
    case "check":
      result = vaultReadiness(
        plan,
        await probeVaultReadiness(plan, {
          s3: awsClient(S3Client, vault.region, vaultSettings),
          secrets: awsClient(SecretsManagerClient, vault.region, vaultSettings),
          ecr: awsClient(ECRClient, vault.region, vaultSettings),
        }),
        new Date(),
      );
      break;
    case "images": {
      const crane = craneOnPath(context.env);
      result = await copyImagesFromVault(
        plan,
        { vault: awsClient(ECRClient, vault.region, vaultSettings), target: awsClient(ECRClient, plan.images.target.region, settings) },
        {
          path: crane,
          run: (craneArgs, run) => {
            const done = spawnSync(crane!, [...craneArgs], { input: run.input, env: run.env, encoding: "utf8" });
            return { status: done.status, output: `${done.stdout ?? ""}${done.stderr ?? ""}${done.error ? done.error.message : ""}` };
          },
        },
      );
      break;
    }
  }
  console.log(result.lines.join("\n"));
  return result.exitCode;
}
