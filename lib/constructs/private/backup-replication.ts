import type { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { accountKeyPolicy } from "./iam";

export interface BackupReplicationResourcesProps {
  readonly identifier: string;
  /** The instance's ARN: a reference in its own stack, or naming's databaseArn() from another. */
  readonly sourceDbInstanceArn: string;
  readonly provider: TerraformProvider;
  readonly accountId: string;
  readonly retentionDays: number;
  /** Terraform references whose change replaces the replication (the instance's resource id, in its own stack). */
  readonly replaceTriggeredBy?: readonly string[];
}

/**
 * The key and the replication of an instance's automated backups, created directly in `scope`
 * (ids `backup-replica-key`, `backup-replication`) so that PostgresDatabase (in its stack) and
 * DatabaseBackupReplication (in another) synthesize the same addresses: moving them does not
 * rename a primary's resources, which prevent_destroy would refuse to replace.
 */
export function backupReplicationResources(scope: Construct, props: BackupReplicationResourcesProps): DbInstanceAutomatedBackupsReplication {
  const replicaKey = new KmsKey(scope, "backup-replica-key", {
    provider: props.provider,
    description: `Automated backups of ${props.identifier}, replicated`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: accountKeyPolicy(props.accountId),
    lifecycle: { preventDestroy: true },
  });
  return new DbInstanceAutomatedBackupsReplication(scope, "backup-replication", {
    provider: props.provider,
    sourceDbInstanceArn: props.sourceDbInstanceArn,
    kmsKeyId: replicaKey.arn,
    retentionPeriod: props.retentionDays,
    lifecycle: props.replaceTriggeredBy ? { replaceTriggeredBy: [...props.replaceTriggeredBy] } : undefined,
  });
}
