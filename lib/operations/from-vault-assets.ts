import type { S3Client } from "@aws-sdk/client-s3";
import { deployStackCommand, stackId } from "../naming";
import { reading } from "./aws/errors";
import { listObjects } from "./aws/s3-objects";
import type { FromVaultPlan, FromVaultResult } from "./from-vault";
import { copyObjectAcross, refuseTooLarge } from "./from-vault-archive";

/**
 * `from-vault <region> assets`: every object of the vault's assets copy (its current versions)
 * into the new assets bucket under the same keys, streamed; an object already there with the same
 * size is left as it is, so a rerun copies only what is missing. The vault never receives delete
 * markers, so an object deleted in the lost account after its copy comes back too: the command
 * says how many objects it copied and where they came from.
 */

export interface AssetsCopyClients {
  /** S3 of vault.region, vault role credentials. */
  readonly vault: S3Client;
  /** S3 of the environment's region, the caller's (new account's) credentials. */
  readonly target: S3Client;
}

export async function copyAssetsFromVault(plan: FromVaultPlan, clients: AssetsCopyClients): Promise<FromVaultResult> {
  const { source, target } = plan.assets;
  const vault = plan.environment.vault;
  const from = { bucket: source, region: vault.region };
  const listed = await reading(`S3 ListObjectsV2 of ${source}`, vault.region, () => listObjects(clients.vault, source));
  if (!listed.ok) return { exitCode: 1, lines: [`${listed.failure.call} in ${vault.region}: ${listed.failure.description}`, "nothing was copied"] };
  const objects = listed.value.objects.map((o) => ({ key: o.Key!, bytes: o.Size ?? 0 })).sort((a, b) => a.key.localeCompare(b.key));
  const tooLarge = refuseTooLarge(objects, from, target);
  if (tooLarge) return { exitCode: 1, lines: tooLarge };
  const counts = { copied: 0, "already in place": 0 };
  for (const object of objects) {
    const copied = await copyObjectAcross(clients, from, target, object.key, object.bytes);
    if (!copied.ok) {
      const fix =
        copied.failure.name === "NoSuchBucket"
          ? [`  fix: ${deployStackCommand(stackId("application", plan.environment.region))} makes s3://${target.bucket}`]
          : [];
      return {
        exitCode: 1,
        lines: [
          `${copied.failure.call} in ${copied.failure.region}: ${copied.failure.description}`,
          ...fix,
          `${counts.copied} copied before it; run again to go on (objects already there are skipped)`,
        ],
      };
    }
    counts[copied.value.action] += 1;
  }
  return {
    exitCode: 0,
    lines: [
      `assets: ${objects.length} objects of s3://${source} (account ${vault.accountId}, ${vault.region}) -> s3://${target.bucket} (${target.region}): ${counts.copied} copied, ${counts["already in place"]} already in place`,
      "  the new bucket's replication rules copy them on to drRegion and the vault (written after the rules)",
    ],
  };
}
