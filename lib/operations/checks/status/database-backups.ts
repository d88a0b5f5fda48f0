import { type PrimaryEnvironment, type RecoveryEnvironment, servingDatabaseIdentifier } from "../../../environment";
import { deployStackCommand, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import { newestOf, type ReplicatedBackups } from "../../probes/replicated-backups";
import { formatMinutes, formatTime, judgeRecoveryPoint } from "../recovery-point";
import { failedRead, gapFor, notServed, type StatusRow, type StatusTarget } from "./row";

/**
 * The replicated automated backups' latest restorable time against `databaseBackupsMinutes`. Retained
 * backups (a stopped replication: a replaced instance's, after a failback or a new database
 * generation) no longer advance: the recovery point is the replicating ones'.
 */
export function databaseBackupsRow(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  found: Reading<ReplicatedBackups>,
  target: StatusTarget,
  now: Date,
): StatusRow {
  const source = servingDatabaseIdentifier(primary);
  const minutes = primary.recoveryObjectives.databaseBackupsMinutes;
  const row = { id: "database-backups", store: "database backups", target: formatMinutes(minutes) };
  if (!found.ok) return failedRead(row, found.failure);
  const { backups, newest } = found.value;
  const fix = `${deployStackCommand(stackId("application", primary.region))}   # its aws_db_instance_automated_backups_replication copies ${source}'s backups into ${recovery.region}`;
  if (backups.length === 0) {
    const detail = `no automated backups of ${source} in ${recovery.region}`;
    const gap = gapFor(target, "aws_db_instance_automated_backups_replication");
    if (gap) return notServed(row, target, gap, detail);
    return { ...row, state: "none", verdict: "missed", detail, fix };
  }
  const replicating = backups.filter((b) => b.status?.toLowerCase() !== "retained");
  if (replicating.length === 0) {
    const frozen = newest?.latestRestorableTime;
    return {
      ...row,
      ...(frozen ? { recoveryPoint: frozen } : {}),
      state: frozen ? `${formatTime(frozen)} (retained, no longer advancing)` : "retained only",
      verdict: "missed",
      detail: `only retained automated backups of ${source} in ${recovery.region}: the replication stopped${frozen ? `, their latest restorable time ${formatTime(frozen)} no longer advances` : ""}`,
      fix,
    };
  }
  const current = newestOf(replicating);
  const point = current?.latestRestorableTime;
  if (!current || !point) {
    const states = replicating.map((b) => b.status ?? "unknown").join(", ");
    const detail = `automated backups of ${source} are in ${recovery.region} (status ${states}) but have no restorable time yet`;
    // A target that replicates no backup (the emulator) reports the replication with no restore window.
    const gap = gapFor(target, "aws_db_instance_automated_backups_replication");
    if (gap) return notServed(row, target, gap, detail);
    return {
      ...row,
      state: "no restorable time",
      verdict: "missed",
      detail,
      fix: `wait for the first replicated backup and run again; if it stays so:\n${fix}`,
    };
  }
  const judged = judgeRecoveryPoint(point, minutes, now);
  return {
    ...row,
    recoveryPoint: point,
    ...judged,
    detail: `${current.arn ?? "(no ARN)"} (status ${current.status ?? "unknown"}): latest restorable time ${formatTime(point)}`,
    fix:
      judged.verdict === "met"
        ? ""
        : `RDS ships transaction logs every 5 minutes: a restorable time older than that means the replication lags or stopped; aws rds describe-db-instance-automated-backups --region ${recovery.region} --db-instance-identifier ${source}, and if Status is not "replicating":\n${fix}`,
  };
}
