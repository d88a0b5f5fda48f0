import { deployStackCommand, drCommand, environmentNames, stackId, VAULT_RULE_ID, vaultNames } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { ArchiveFound } from "../../probes/newest-archive";
import type { ObjectReplication } from "../../probes/object-replication";
import { formatMinutes, formatTime, judgeRecoveryPoint } from "../recovery-point";
import { failedRead, gapFor, jobFix, notServed, type StatusRow, type StatusTarget } from "./row";
import type { VaultedPrimary } from "./vault-replication";

/** A copy S3 has not made after this long is stuck, not late: S3 replicates most objects within 15 minutes. */
export const VAULT_COPY_PENDING_WARNING_MINUTES = 60;

/**
 * The vault's copy of the newest archive: the ReplicationStatus S3 reports on the source's dump and
 * manifest (a rebuild needs both). Copied, the archive's snapshot time is the vault's recovery
 * point, judged against `databaseArchivesMinutes` as the archive itself; a copy in flight is judged
 * the same way (replication takes minutes after every archive), and warns once it has been pending
 * an hour; a failed or never-started copy misses.
 */
export function vaultArchiveCopyRow(
  primary: VaultedPrimary,
  found: Reading<ArchiveFound>,
  copies: Reading<readonly ObjectReplication[]> | undefined,
  target: StatusTarget,
  now: Date,
): StatusRow {
  const bucket = environmentNames(primary).hostingServicesBucket;
  const vault = vaultNames(primary, primary.vault);
  const minutes = primary.recoveryObjectives.databaseArchivesMinutes;
  const row = { id: "vault-archive-copy", store: "vault copy of the newest archive", target: formatMinutes(minutes) };
  if (!found.ok) return failedRead(row, found.failure);
  if (found.value.found !== "archive") {
    const unreadable = found.value.found === "unreadable";
    return {
      ...row,
      state: unreadable ? "unknown (unreadable manifest)" : "no archive",
      verdict: unreadable ? "unknown" : "missed",
      detail: `no archive of ${bucket} to judge the copy of (the database-archives row says why)`,
      fix: "the database-archives row's fix: the vault copies the archives the job writes",
    };
  }
  if (!copies) throw new Error("vaultArchiveCopyRow: an archive was found but its ReplicationStatus was not read");
  if (!copies.ok) return failedRead(row, copies.failure);
  const { folder, manifest } = found.value.archive;
  const point = new Date(manifest.snapshotAt);
  const detail = [
    `newest archive s3://${bucket}/${folder} (snapshot ${formatTime(point)}), copied by the rule "${VAULT_RULE_ID}" into ${vault.archivesBucket} (account ${primary.vault.accountId})`,
    ...copies.value.map(
      (o) =>
        `${o.key}: ${o.status === undefined ? "no ReplicationStatus" : `ReplicationStatus ${o.status}`}${o.lastModified ? `, written ${formatTime(o.lastModified)}` : ""}`,
    ),
  ].join("\n");
  const r = primary.region;
  const copyAgain = `${drCommand("replicate-existing", r)}   # then S3 Batch Replication copies ${bucket}'s objects that failed or predate the rule`;

  if (copies.value.some((o) => o.state === "FAILED")) {
    return {
      ...row,
      state: "copy FAILED",
      verdict: "missed",
      detail,
      fix: [
        `${deployStackCommand(stackId("vault", r))}   # the vault bucket's policy and key admit the replication role: a refused write fails the copy`,
        copyAgain,
      ].join("\n"),
    };
  }
  const never = copies.value.filter((o) => o.state === "NONE" || o.state === "OTHER");
  if (never.length > 0) {
    const gap = gapFor(target, "aws_s3_bucket_replication_configuration");
    if (gap && never.length === copies.value.length && never.every((o) => o.state === "NONE")) return notServed(row, target, gap, detail);
    return {
      ...row,
      state: "not copied",
      verdict: "missed",
      detail,
      fix: [
        `${deployStackCommand(stackId("application", r))}   # the rule "${VAULT_RULE_ID}" on ${bucket} copies every new object into ${vault.archivesBucket}`,
        copyAgain,
      ].join("\n"),
    };
  }
  const judged = judgeRecoveryPoint(point, minutes, now);
  const archiveFix = judged.verdict === "met" ? "" : jobFix(primary, "database archive");
  const pending = copies.value.filter((o) => o.state === "PENDING");
  if (pending.length === 0) return { ...row, recoveryPoint: point, ...judged, state: `${judged.state}, copied`, detail, fix: archiveFix };

  const since = pending.reduce((t, o) => (o.lastModified && o.lastModified < t ? o.lastModified : t), now);
  const pendingMinutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
  if (pendingMinutes < VAULT_COPY_PENDING_WARNING_MINUTES)
    return { ...row, ...judged, state: `${judged.state}, copy pending ${pendingMinutes} min`, detail, fix: archiveFix };
  const metrics = `aws cloudwatch get-metric-statistics --namespace AWS/S3 --metric-name OperationsPendingReplication --dimensions Name=SourceBucket,Value=${bucket} Name=DestinationBucket,Value=${vault.archivesBucket} Name=RuleId,Value=${VAULT_RULE_ID} --region ${primary.drRegion} ...`;
  return {
    ...row,
    ...judged,
    state: `${judged.state}, copy pending ${formatMinutes(pendingMinutes)} (warning)`,
    detail: `${detail}\nwarning: pending ${VAULT_COPY_PENDING_WARNING_MINUTES} min or more (S3 replicates most objects within 15 min): ${metrics}`,
    fix: [archiveFix, judged.verdict === "met" ? "" : metrics].filter((l) => l !== "").join("\n"),
  };
}
