import { DescribeDBInstancesCommand, type RDSClient } from "@aws-sdk/client-rds";
import { reading, type Reading } from "../aws/errors";

/** An RDS instance's status (`available`, `stopped`...); `exists: false` when there is no such instance. */
export type DatabaseInstance =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly status?: string;
      /** Whether RDS refuses to delete it. */
      readonly deletionProtection?: boolean;
      /** Its DbiResourceId. */
      readonly resourceId?: string;
      /** The instance it is a read replica of (an identifier or, across regions, an ARN); undefined when it is not one. */
      readonly replicaSource?: string;
      /** A replica's replication state (`replicating`, `error`, `stopped`, `terminated`), from its status infos. */
      readonly replicationStatus?: string;
    };

/** RDS DescribeDBInstances of one identifier. */
export async function probeDatabaseInstance(rds: RDSClient, identifier: string, region: string): Promise<Reading<DatabaseInstance>> {
  const read = await reading(`RDS DescribeDBInstances of ${identifier}`, region, () =>
    rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })),
  );
  if (!read.ok) return read.failure.name === "DBInstanceNotFoundFault" ? { ok: true, value: { exists: false } } : read;
  const instance = read.value.DBInstances?.[0];
  const replication = instance?.StatusInfos?.find((info) => info.StatusType === "read replication");
  return {
    ok: true,
    value: {
      exists: true,
      status: instance?.DBInstanceStatus,
      deletionProtection: instance?.DeletionProtection,
      resourceId: instance?.DbiResourceId,
      ...(instance?.ReadReplicaSourceDBInstanceIdentifier ? { replicaSource: instance.ReadReplicaSourceDBInstanceIdentifier } : {}),
      ...(replication?.Status ? { replicationStatus: replication.Status } : {}),
    },
  };
}
