import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsProvider } from "../lib";
import { DatabaseBackupReplication } from "../lib/constructs";
import { servingDatabaseIdentifier, type RecoveryEnvironment } from "../lib/environment";
import { databaseArn, REPLICATED_BACKUPS_OUTPUT } from "../lib/naming";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack } from "./environment-stack";

export interface ReplicationStackProps {
  readonly environment: RecoveryEnvironment;
  /** The stack of the restored database; this one deploys after it. */
  readonly application: ApplicationStack;
}

/**
 * `replication-<region>` (recovery environments only): the restored database's automated backups
 * replicated into `drRegion`, with their key there. The region needs them for its next outage,
 * not to serve traffic, so they are deployed after the region is up and nothing depends on this
 * stack. The instance is named by its ARN (naming's databaseArn()), never by a cross-stack
 * reference, and the order comes from an explicit dependency on the application stack.
 */
export class ReplicationStack extends EnvironmentStack<RecoveryEnvironment> {
  public readonly drProvider: AwsProvider;
  public readonly backupReplication: DatabaseBackupReplication;

  constructor(scope: Construct, props: ReplicationStackProps) {
    const { environment: env, application } = props;
    super(scope, "replication", env);
    this.drProvider = awsProvider(this, env, env.drRegion, "dr");
    // The serving generation's ARN: raising database.generation replaces the replication (its source is ForceNew).
    const identifier = servingDatabaseIdentifier(env);
    this.backupReplication = new DatabaseBackupReplication(this, "database", {
      identifier,
      sourceDbInstanceArn: databaseArn(env.region, env.accountId, identifier),
      provider: this.drProvider,
      accountId: env.accountId,
      retentionDays: env.database.backupRetentionDays,
    });
    this.addDependency(application);
    new TerraformOutput(this, REPLICATED_BACKUPS_OUTPUT, {
      value: this.backupReplication.replicatedBackupsArn,
      description: `Automated backups of the restored database replicated into ${env.drRegion}`,
      sensitive: false,
    });
  }
}
