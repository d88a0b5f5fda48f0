import { type PrimaryEnvironment, type RecoveryEnvironment, servingDatabaseIdentifier } from "../../../environment";
import { deployStackCommand, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { DatabaseInstance } from "../../probes/database-instance";
import { failedRead, type PreflightCheck } from "./check";

/**
 * A warm standby's read replica stands in the recovery region and follows the primary's instance:
 * the database its day promotes. In an outage the replica cannot reach its source, so a stopped
 * replication is what promotion answers, not a failure; a replica already promoted (a resumed
 * run) passes too.
 */
export function databaseReplicaCheck(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  found: Reading<DatabaseInstance>,
  outage: boolean,
): PreflightCheck {
  const replica = servingDatabaseIdentifier(recovery);
  const source = servingDatabaseIdentifier(primary);
  const id = "database-replica";
  const title = `Read replica ${replica} of ${source} in ${recovery.region} (the warm standby's database)`;
  const deploy = `${deployStackCommand(stackId("application", recovery.region))}   # in peacetime: its aws_db_instance is the read replica of ${source}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const instance = found.value;
  if (!instance.exists) return { id, title, status: "fail", detail: `no instance ${replica} in ${recovery.region}`, fix: deploy };
  const state = `status ${instance.status ?? "unknown"}`;
  if (instance.replicaSource === undefined) {
    return { id, title, status: "pass", detail: `${replica} (${state}) is promoted: it no longer follows ${source}`, fix: "" };
  }
  const replication = instance.replicationStatus ?? "not reported";
  // RDS reports a replica's replication state in its status infos; an emulator may report none.
  if (["replicating", "not reported"].includes(replication) || (outage && ["error", "stopped"].includes(replication))) {
    const why = ["replicating", "not reported"].includes(replication) ? "" : ` (its source in ${primary.region} is lost: the promotion ends it)`;
    return { id, title, status: "pass", detail: `${replica} (${state}) follows ${instance.replicaSource}: replication ${replication}${why}`, fix: "" };
  }
  return {
    id,
    title,
    status: "fail",
    detail: `${replica} (${state}) is a read replica of ${instance.replicaSource}, but its replication is ${replication}`,
    fix: `aws rds describe-events --region ${recovery.region} --source-type db-instance --source-identifier ${replica}   # why; a replica that does not recover is rebuilt: rename it aside, then\n${deploy}`,
  };
}
