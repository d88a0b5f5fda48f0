import type { S3Client } from "@aws-sdk/client-s3";
import { DEFINITIONS_PREFIX, deployStackCommand, drCommand, stackId } from "../naming";
import { reading, type Reading } from "./aws/errors";
import { getObject, headObject, putObject } from "./aws/s3-objects";
import type { FromVaultPlan, FromVaultResult } from "./from-vault";
import { probeNewestDefinitions } from "./probes/broker-definitions";
import { probeArchiveObjects, probeNewestArchive, readArchive, type ArchiveFound } from "./probes/newest-archive";

/**
 * `from-vault <region> archive`: the newest database archive of the vault's archive copy (or the
 * one `--key` names) and the newest broker definitions export, copied object by object into the new
 * hosting-services bucket under the same keys: read with the vault role's credentials, written with
 * the caller's, streamed (a dump is never held in memory). The dump first, its manifest last, as
 * backup/archive-database.sh uploads them: a folder with a manifest is a whole archive.
 */

/** One PutObject takes at most 5 GiB; @aws-sdk/lib-storage (multipart) is not a dependency. */
export const SINGLE_PUT_LIMIT_BYTES = 5 * 1024 ** 3;

export interface ArchiveCopyClients {
  /** S3 of vault.region, vault role credentials. */
  readonly vault: S3Client;
  /** S3 of the hosting-services bucket's region (the primary's drRegion), the caller's credentials. */
  readonly target: S3Client;
}

/** What happened to one object. */
export type Copied = { readonly key: string; readonly bytes: number; readonly action: "copied" | "already in place" };

/** A bucket and its region. */
export interface BucketIn {
  readonly bucket: string;
  readonly region: string;
}

/**
 * Copies `key` from the vault's `source` bucket into `target` unless an object of the same size is
 * there: read with the vault role's client, written with the caller's, streamed. The target
 * bucket's default encryption applies (the vault's key stays in the vault).
 */
export async function copyObjectAcross(
  clients: { readonly vault: S3Client; readonly target: S3Client },
  source: BucketIn,
  target: BucketIn,
  key: string,
  bytes: number,
): Promise<Reading<Copied>> {
  const head = await reading(`S3 HeadObject of s3://${target.bucket}/${key}`, target.region, () => headObject(clients.target, target.bucket, key));
  if (head.ok && head.value.ContentLength === bytes) return { ok: true, value: { key, bytes, action: "already in place" } };
  if (!head.ok && head.failure.kind !== "not-found") return head;
  const object = await reading(`S3 GetObject of s3://${source.bucket}/${key}`, source.region, () => getObject(clients.vault, source.bucket, key));
  if (!object.ok) return object;
  const put = await reading(`S3 PutObject of s3://${target.bucket}/${key}`, target.region, () =>
    putObject(clients.target, {
      Bucket: target.bucket,
      Key: key,
      Body: object.value.body,
      ContentLength: object.value.contentLength ?? bytes,
      ...(object.value.contentType ? { ContentType: object.value.contentType } : {}),
    }),
  );
  if (!put.ok) {
    object.value.body.destroy();
    return put;
  }
  return { ok: true, value: { key, bytes, action: "copied" } };
}

/**
 * The refusal of the objects larger than one PutObject takes, with its fix (the two `aws s3 cp` that
 * copy one through a machine) and "nothing was copied"; undefined when every object fits.
 */
export function refuseTooLarge(objects: readonly { readonly key: string; readonly bytes: number }[], source: BucketIn, target: BucketIn): string[] | undefined {
  const tooLarge = objects.filter((o) => o.bytes > SINGLE_PUT_LIMIT_BYTES);
  if (tooLarge.length === 0) return undefined;
  return [
    `${tooLarge.map((o) => `s3://${source.bucket}/${o.key} (${o.bytes} bytes)`).join(", ")}: larger than one PutObject takes (5 GiB)`,
    `  fix: copy it through a machine with the vault role's credentials (aws s3 cp s3://${source.bucket}/<key> ./ --region ${source.region}), then with the new account's (aws s3 cp ./<file> s3://${target.bucket}/<key> --region ${target.region})`,
    "nothing was copied",
  ];
}

/** The error lines of an archive that cannot be copied. */
function notFound(plan: FromVaultPlan, found: Exclude<ArchiveFound, { found: "archive" }>): string {
  const { source } = plan.archive;
  const vault = plan.environment.vault;
  const where = `s3://${source} (account ${vault.accountId}, ${vault.region})`;
  switch (found.found) {
    case "none":
      return `no archive in the vault's archive copy ${where}: no folder under ${found.prefix} holds a manifest`;
    case "no-bucket":
      return `the vault's archive copy ${where} does not exist: check vault.accountId, vault.region and project in environments/${plan.environment.region}.ts`;
    case "unreadable":
      return `the archive's manifest s3://${source}/${found.manifestKey} cannot be used (${found.cause}): ${found.problem}; choose another with --key`;
  }
}

export async function copyArchiveFromVault(plan: FromVaultPlan, clients: ArchiveCopyClients): Promise<FromVaultResult> {
  const { source, target, folder } = plan.archive;
  const vault = plan.environment.vault;
  const nothing = "nothing was copied";
  let found: ArchiveFound;
  if (folder === undefined) {
    const newest = await probeNewestArchive(clients.vault, source, vault.region);
    if (!newest.ok) return { exitCode: 1, lines: [`${newest.failure.call} in ${vault.region}: ${newest.failure.description}`, nothing] };
    found = newest.value;
  } else {
    found = await readArchive(clients.vault, source, vault.region, folder);
  }
  if (found.found !== "archive") return { exitCode: 1, lines: [notFound(plan, found), nothing] };
  const archive = found.archive;

  const listed = await probeArchiveObjects(clients.vault, archive, vault.region);
  if (!listed.ok) return { exitCode: 1, lines: [`${listed.failure.call} in ${vault.region}: ${listed.failure.description}`, nothing] };
  const objects = [...listed.value];
  const definitions = await probeNewestDefinitions(clients.vault, source, vault.region);
  if (!definitions.ok) return { exitCode: 1, lines: [`${definitions.failure.call} in ${vault.region}: ${definitions.failure.description}`, nothing] };
  if (definitions.value.found === "export") objects.push({ key: definitions.value.key, bytes: definitions.value.bytes });

  const tooLarge = refuseTooLarge(objects, { bucket: source, region: vault.region }, target);
  if (tooLarge) return { exitCode: 1, lines: tooLarge };

  const lines = [`archive: ${archive.archiveKey}`, `snapshotAt: ${archive.manifest.snapshotAt}`];
  for (const object of objects) {
    const copied = await copyObjectAcross(clients, { bucket: source, region: vault.region }, target, object.key, object.bytes);
    if (!copied.ok) {
      const fix =
        copied.failure.name === "NoSuchBucket"
          ? [`  fix: ${deployStackCommand(stackId("application", plan.environment.region))} makes s3://${target.bucket} in ${target.region}`]
          : [];
      return { exitCode: 1, lines: [...lines, `${copied.failure.call} in ${copied.failure.region}: ${copied.failure.description}`, ...fix] };
    }
    lines.push(`  ${copied.value.action}: s3://${target.bucket}/${object.key} (${object.bytes} bytes)`);
  }
  if (definitions.value.found !== "export")
    lines.push(`  no broker definitions export in the vault (${DEFINITIONS_PREFIX}/): the broker starts without the primary's definitions`);
  lines.push(
    `recovery point: ${archive.manifest.snapshotAt} (the archive's snapshot: a restore from it holds the data as of then)`,
    `next: ${drCommand("verify-backup", plan.environment.drRegion, "--archive", archive.archiveKey, "--target", "<url>")}`,
  );
  return { exitCode: 0, lines };
}
