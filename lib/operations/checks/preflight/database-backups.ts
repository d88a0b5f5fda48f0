import { type PrimaryEnvironment, type RecoveryEnvironment, servingDatabaseIdentifier } from "../../../environment";
import { DATABASE_RESOURCE_ID_OUTPUT, deployStackCommand, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import { newestOf, type ReplicatedBackup, type ReplicatedBackups } from "../../probes/replicated-backups";
import type { StackOutputs } from "../../probes/state-objects";
import { formatAge } from "../recovery-point";
import { failedRead, type PreflightCheck } from "./check";

/**
 * The primary's automated backups are replicated into the recovery region, restorable, fresh
 * within the primary's `recoveryObjectives.databaseBackupsMinutes`, and of the live primary
 * instance: their DbiResourceId is the one the primary's application state records (read from
 * the state bucket, never from the primary's region). A replaced primary whose replication was
 * not restarted leaves the old instance's backups there, ageing. Only the live instance's backups
 * are judged: right after a replacement (a failback, a database generation) the old instance's
 * retained backups are still restorable while the new replication is pending, which is a wait,
 * not a stopped replication.
 */
export function databaseBackupsCheck(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  found: Reading<ReplicatedBackups>,
  now: Date,
  primaryOutputs: Reading<StackOutputs>,
): PreflightCheck {
  const source = servingDatabaseIdentifier(primary);
  const id = "database-backups";
  const title = `Automated backups of ${source} replicated into ${recovery.region}`;
  const fix = [
    `${deployStackCommand(stackId("application", primary.region))}   # in peacetime: its aws_db_instance_automated_backups_replication copies ${source}'s backups into ${recovery.region}`,
    `# with ${primary.region} down nothing can start the replication: restore a snapshot copied into ${recovery.region} instead (database.restore: { from: "snapshot", snapshotIdentifier: "..." } in environments/${recovery.region}.ts)`,
  ].join("\n");
  if (!found.ok) return failedRead(id, title, found.failure);
  const { backups } = found.value;
  if (backups.length === 0) return { id, title, status: "fail", detail: `no automated backups of ${source} in ${recovery.region}`, fix };
  const describeBackup = (b: ReplicatedBackup) => {
    const time = b.latestRestorableTime;
    const restorable = time ? `latest restorable time ${time.toISOString()}, ${formatAge(now.getTime() - time.getTime())}` : "no restorable time yet";
    return `${b.arn ?? "(no ARN)"} (status ${b.status ?? "unknown"}): ${restorable}`;
  };
  const application = stackId("application", primary.region);
  if (!primaryOutputs.ok) return failedRead(id, title, primaryOutputs.failure);
  const live = primaryOutputs.value.applied ? primaryOutputs.value.outputs[DATABASE_RESOURCE_ID_OUTPUT]?.value : undefined;
  if (typeof live !== "string") {
    return {
      id,
      title,
      status: "fail",
      detail: `${describeBackup(found.value.newest ?? backups[0])}
the state of ${application} has no output ${DATABASE_RESOURCE_ID_OUTPUT}: the backups cannot be matched with the live instance`,
      fix: `${deployStackCommand(application)}   # in peacetime: records the instance's DbiResourceId in its state`,
    };
  }
  // Only the live instance's backups count: after a replacement the old instance's retained
  // backups stay restorable for their retention while the new replication is still pending.
  const newest = newestOf(backups.filter((b) => b.dbiResourceId === live));
  if (!newest) {
    const others = [...new Set(backups.map((b) => b.dbiResourceId ?? "an unknown instance"))].join(", ");
    return {
      id,
      title,
      status: "fail",
      detail: `${describeBackup(found.value.newest ?? backups[0])}
they are the backups of ${others}, not of the live ${source} (${live}): the replication of the current instance is not running`,
      fix,
    };
  }
  const time = newest.latestRestorableTime;
  if (!time) {
    return {
      id,
      title,
      status: "fail",
      detail: `automated backups of ${source} (${live}) are in ${recovery.region} (status ${newest.status ?? "unknown"}) but have no restorable time yet`,
      fix: `wait for the first replicated backup (status ${newest.status ?? "unknown"}) and run the preflight again; if it stays so:\n${fix}`,
    };
  }
  const described = describeBackup(newest);
  const objective = primary.recoveryObjectives.databaseBackupsMinutes;
  const ageMinutes = (now.getTime() - time.getTime()) / 60_000;
  if (ageMinutes > objective) {
    return {
      id,
      title,
      status: "fail",
      detail: `${described}
older than recoveryObjectives.databaseBackupsMinutes of environments/${primary.region}.ts (${objective} min): a recovery now would lose more`,
      fix: `aws rds describe-db-instance-automated-backups --region ${recovery.region} --db-instance-identifier ${source}   # replication status; a stopped replication:
${fix}`,
    };
  }
  return { id, title, status: "pass", detail: `${described}, of ${live} (the live instance)`, fix: "" };
}
