import { backupVaultArn, deployStackCommand, stackId, vaultNames } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { CopyJob } from "../../probes/copy-jobs";
import { formatMinutes, formatTime, judgeRecoveryPoint } from "../recovery-point";
import { failedRead, gapFor, notServed, type StatusRow, type StatusTarget } from "./row";
import type { VaultedPrimary } from "./vault-replication";

/**
 * How old the vault's newest snapshot copy may be: the plan snapshots once a day, and the snapshot
 * and its copy take up to about 2 hours more. Older means a day's copy is missing.
 */
export const VAULT_SNAPSHOT_COPY_MAX_MINUTES = 26 * 60;

/** How far back the copy jobs are read: two days, so a missed day still shows the day before. */
export const VAULT_COPY_JOBS_WINDOW_MINUTES = 48 * 60;

/** Copy job states that mean the copy was not made. */
const FAILED_STATES = new Set(["FAILED", "ABORTED", "PARTIAL"]);

/** The AWS Backup vault, in the vault account and region, that the snapshots are copied into. */
export function vaultBackupVaultArn(primary: VaultedPrimary): string {
  return backupVaultArn(primary.vault.region, primary.vault.accountId, vaultNames(primary, primary.vault).backupVault);
}

/**
 * The vault's copies of the database snapshots (AWS Backup copy jobs into the vault's backup
 * vault, read in the database's region): the newest completed copy's start, against a day and two
 * hours; a failed copy newer than it misses, older ones are listed.
 */
export function vaultSnapshotCopiesRow(primary: VaultedPrimary, found: Reading<readonly CopyJob[]>, target: StatusTarget, now: Date): StatusRow {
  const row = { id: "vault-snapshot-copies", store: "vault copy of the database snapshots", target: formatMinutes(VAULT_SNAPSHOT_COPY_MAX_MINUTES) };
  const names = vaultNames(primary, primary.vault);
  const r = primary.region;
  const arn = vaultBackupVaultArn(primary);
  const since = new Date(now.getTime() - VAULT_COPY_JOBS_WINDOW_MINUTES * 60_000);
  const gap = gapFor(target, "aws_backup_plan");
  if (!found.ok) return gap ? notServed(row, target, gap, failedRead(row, found.failure).detail) : failedRead(row, found.failure);

  const newest = (jobs: readonly CopyJob[]) => [...jobs].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  const completed = newest(found.value.filter((j) => j.state === "COMPLETED"));
  const failed = found.value.filter((j) => FAILED_STATES.has(j.state));
  const failedLines = failed.map(
    (j) => `copy job ${j.id} ${j.state}${j.createdAt ? ` (started ${formatTime(j.createdAt)})` : ""}: ${j.statusMessage ?? "no status message"}`,
  );
  const why = `the plan ${names.backupPlan} snapshots the database daily and copies each snapshot into the vault: a newest copy older than ${row.target} (a day and 2 h for the snapshot and its copy) means a day was missed`;
  const planFix = [
    `aws backup list-backup-jobs --region ${r} --by-backup-vault-name ${names.sourceBackupVault} --by-created-after ${formatTime(since)}   # did the plan ${names.backupPlan} snapshot the database?`,
    `${deployStackCommand(stackId("vault", r))}   # it makes the plan, its copy into ${arn} and the vault's policy admitting the copies`,
  ].join("\n");
  const failedFix = (job: CopyJob) =>
    [
      `aws backup describe-copy-job --region ${r} --copy-job-id ${job.id}   # AWS Backup's reason`,
      `${deployStackCommand(stackId("vault", r))}   # a refused copy: the vault's access policy and key admit ${primary.accountId}'s copies`,
    ].join("\n");

  if (!completed) {
    if (gap && failed.length === 0) return notServed(row, target, gap, `no copy job into ${arn} since ${formatTime(since)}`);
    const latestFailed = newest(failed);
    return {
      ...row,
      state: "none",
      verdict: "missed",
      detail: [`no completed copy job into ${arn} since ${formatTime(since)}`, ...failedLines, why].join("\n"),
      fix: latestFailed ? failedFix(latestFailed) : planFix,
    };
  }
  const point = completed.createdAt ?? new Date(0);
  const judged = judgeRecoveryPoint(point, VAULT_SNAPSHOT_COPY_MAX_MINUTES, now);
  const after = newest(failed.filter((j) => (j.createdAt?.getTime() ?? 0) > point.getTime()));
  const detail = [
    `copy job ${completed.id} into ${arn}: COMPLETED${completed.completedAt ? ` ${formatTime(completed.completedAt)}` : ""}, started ${formatTime(point)} when its snapshot was done`,
    ...failedLines,
    why,
  ].join("\n");
  if (after) return { ...row, recoveryPoint: point, state: `${judged.state}; a newer copy ${after.state}`, verdict: "missed", detail, fix: failedFix(after) };
  return { ...row, recoveryPoint: point, ...judged, detail, fix: judged.verdict === "met" ? "" : planFix };
}
