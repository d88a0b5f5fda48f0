import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { backupReplicationResources } from "./private/backup-replication";

export interface DatabaseBackupReplicationProps {
  /** Identifier of the instance whose backups are replicated (used in the key's description). */
  readonly identifier: string;
  /**
   * ARN of the instance, known before it exists (naming's databaseArn()): the stack holding this
   * construct references no resource of the instance's stack, so it must be ordered after it
   * with `addDependency`.
   */
  readonly sourceDbInstanceArn: string;
  /** Provider of the region that receives the replica. */
  readonly provider: TerraformProvider;
  readonly accountId: string;
  /** Days of replicated backups kept (the instance's backup retention). */
  readonly retentionDays: number;
}

/**
 * The replication of an RDS instance's automated backups into another region, encrypted there
 * with a key of its own (protected from destroy), for a stack other than the instance's: a
 * recovery's restored database needs it for the next outage, not to serve traffic, so it is kept
 * off the recovery's critical path. The instance carries the tag `BackupReplication=<stack id>`
 * (PostgresDatabase `backupReplication: { kind: "separate-stack" }`).
 */
export class DatabaseBackupReplication extends Construct {
  public readonly resource: DbInstanceAutomatedBackupsReplication;
  /** ARN of the replicated automated backups: what a recovery of this region would restore from. */
  public readonly replicatedBackupsArn: string;

  constructor(scope: Construct, id: string, props: DatabaseBackupReplicationProps) {
    super(scope, id);
    if (props.retentionDays < 7 || props.retentionDays > 35)
      throw new Error(`DatabaseBackupReplication: retentionDays must be from 7 to 35 (got ${props.retentionDays})`);
    this.resource = backupReplicationResources(this, props);
    this.replicatedBackupsArn = this.resource.id;
  }
}
