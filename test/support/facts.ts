import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import type { AwsFailure, AwsFailureKind, Reading } from "../../lib/operations/aws/errors";
import type { StatusTarget } from "../../lib/operations/checks/status/row";
import { environment, primaryInput, recoveryInput } from "./environments";

/** Plain facts for the checks: environments, readings and failures, no SDK. */
export const primary = environment(primaryInput()) as PrimaryEnvironment;
export const recovery = environment(recoveryInput()) as RecoveryEnvironment;
export const NOW = new Date("2026-11-21T12:00:00Z");
export const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

export const read = <T>(value: T): Reading<T> => ({ ok: true, value });

/** A failed read of `call` in `region`, of the given kind. */
export function failed(
  kind: AwsFailureKind,
  call: string,
  region: string,
  description = "AccessDenied (HTTP 403): not authorized",
): { ok: false; failure: AwsFailure } {
  return { ok: false, failure: { kind, name: description.split(" ")[0].replace(":", ""), description, call, region } };
}

export const EMULATED: StatusTarget = {
  description: "local AWS emulator",
  shortName: "the emulator",
  gaps: [
    { id: "rds-backup-replication", resourceTypes: ["aws_db_instance_automated_backups_replication"], reason: "no RDS backup replication" },
    { id: "s3-object-replication", resourceTypes: ["aws_s3_bucket_replication_configuration (its object copies)"], reason: "copies no object" },
    { id: "kms-replica-key", resourceTypes: ["aws_kms_replica_key", "aws_kms_alias (of the replica)"], reason: "no replica key" },
    { id: "rds-replica-lag", resourceTypes: ["aws_db_instance (a read replica's ReplicaLag)"], reason: "moto keeps no RDS metrics" },
  ],
};
