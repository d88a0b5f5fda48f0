import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, regionalNames, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { ReplicatedBackups } from "../../probes/replicated-backups";
import { formatAge } from "../recovery-point";
import { failedRead, type PreflightCheck } from "./check";

/** The primary's automated backups are replicated into the recovery region and restorable. */
export function databaseBackupsCheck(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, found: Reading<ReplicatedBackups>, now: Date): PreflightCheck {
  const source = regionalNames(primary.project, primary.region).database;
  const id = "database-backups";
  const title = `Automated backups of ${source} replicated into ${recovery.region}`;
  const fix = [
    `${deployStackCommand(stackId("application", primary.region))}   # in peacetime: its aws_db_instance_automated_backups_replication copies ${source}'s backups into ${recovery.region}`,
    `# with ${primary.region} down nothing can start the replication: restore a snapshot copied into ${recovery.region} instead (database.restore: { from: "snapshot", snapshotIdentifier: "..." } in environments/${recovery.region}.ts)`,
  ].join("\n");
  if (!found.ok) return failedRead(id, title, found.failure);
  const { backups, newest } = found.value;
  if (backups.length === 0) return { id, title, status: "fail", detail: `no automated backups of ${source} in ${recovery.region}`, fix };
  const time = newest?.latestRestorableTime;
  if (!newest || !time) {
    const states = backups.map((b) => b.status ?? "unknown").join(", ");
    return {
      id,
      title,
      status: "fail",
      detail: `automated backups of ${source} are in ${recovery.region} (status ${states}) but have no restorable time yet`,
      fix: `wait for the first replicated backup (status ${states}) and run the preflight again; if it stays so:\n${fix}`,
    };
  }
  return {
    id,
    title,
    status: "pass",
    detail: `${newest.arn ?? "(no ARN)"} (status ${newest.status ?? "unknown"}): latest restorable time ${time.toISOString()}, ${formatAge(now.getTime() - time.getTime())}`,
    fix: "",
  };
}
