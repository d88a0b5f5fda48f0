import { type PrimaryEnvironment, type RecoveryEnvironment, servingDatabaseIdentifier } from "../../../environment";
import { deployStackCommand, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { DatabaseInstance } from "../../probes/database-instance";
import { REPLICA_LAG_WINDOW_MINUTES, type ReplicaLag } from "../../probes/replica-lag";
import { formatMinutes, formatTime, judgeRecoveryPoint } from "../recovery-point";
import { failedRead, gapFor, notServed, type StatusRow, type StatusTarget } from "./row";

/**
 * A warm standby's database: the cross-Region read replica of the primary's, whose recovery point
 * is the newest ReplicaLag measurement's time less the lag (what the replica held then), judged
 * against the database's target (`databaseBackupsMinutes`). A promoted replica no longer follows:
 * it is the database from then on. A target that reports no ReplicaLag (its gap) leaves it unknown
 * by that gap.
 */
export function databaseReplicaRow(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  instance: Reading<DatabaseInstance>,
  lag: Reading<ReplicaLag>,
  target: StatusTarget,
  now: Date,
): StatusRow {
  const replica = servingDatabaseIdentifier(recovery);
  const source = servingDatabaseIdentifier(primary);
  const minutes = primary.recoveryObjectives.databaseBackupsMinutes;
  const row = { id: "database-replica", store: "database replica", target: formatMinutes(minutes) };
  const deploy = `${deployStackCommand(stackId("application", recovery.region))}   # its aws_db_instance is the read replica of ${source}`;
  if (!instance.ok) return failedRead(row, instance.failure);
  const found = instance.value;
  if (!found.exists) {
    return {
      ...row,
      state: "none",
      verdict: "missed",
      detail: `no instance ${replica} in ${recovery.region}: the warm standby has no read replica of ${source}`,
      fix: deploy,
    };
  }
  if (found.replicaSource === undefined) {
    return {
      ...row,
      state: "promoted (standalone)",
      verdict: "met",
      detail: `${replica} (status ${found.status ?? "unknown"}) is no longer a read replica: it was promoted and takes the writes in ${recovery.region}`,
      fix: "",
    };
  }
  if (found.replicationStatus !== undefined && found.replicationStatus !== "replicating") {
    return {
      ...row,
      state: `replication ${found.replicationStatus}`,
      verdict: "missed",
      detail: `${replica} is a read replica of ${found.replicaSource}, but its replication is ${found.replicationStatus}: it falls behind from then on`,
      fix: `aws rds describe-events --region ${recovery.region} --source-type db-instance --source-identifier ${replica}   # why it stopped; a replica in error is rebuilt:\n${deploy}`,
    };
  }
  if (!lag.ok) return failedRead(row, lag.failure);
  if (!lag.value.measured) {
    const gap = gapFor(target, "aws_db_instance (a read replica's ReplicaLag)");
    if (gap)
      return notServed(
        row,
        target,
        gap,
        `${replica} is a read replica of ${found.replicaSource}, with no ReplicaLag in the last ${REPLICA_LAG_WINDOW_MINUTES} min`,
      );
    return {
      ...row,
      state: "no lag measured",
      verdict: "unknown",
      detail: `${replica} is a read replica of ${found.replicaSource}, but CloudWatch has no ReplicaLag for it in the last ${REPLICA_LAG_WINDOW_MINUTES} min`,
      fix: `aws cloudwatch get-metric-statistics --region ${recovery.region} --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=${replica} --statistics Maximum --period 60 --start-time <15 min ago> --end-time <now>`,
    };
  }
  const { seconds, at } = lag.value;
  const point = new Date(at.getTime() - seconds * 1000);
  const judged = judgeRecoveryPoint(point, minutes, now);
  return {
    ...row,
    recoveryPoint: point,
    verdict: judged.verdict,
    state: `${judged.state}, lag ${seconds} s`,
    detail: `${replica} follows ${found.replicaSource}: ${seconds} s behind at ${formatTime(at)} (CloudWatch ReplicaLag); promoting it now loses the writes after ${formatTime(point)}`,
    fix:
      judged.verdict === "met"
        ? ""
        : `the replica lags: the primary's write load, the replica's instance class (${recovery.database.instanceClass}) or the network between the regions; aws rds describe-db-instances --region ${recovery.region} --db-instance-identifier ${replica}`,
  };
}
