import { Construct } from "constructs";
import { Fn, TerraformLocal, type TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { MONITORING_INTERVALS_SECONDS } from "../environment/sections/database";
import { BACKUP_REPLICATION_TAG, generationSuffix, rdsLogGroup } from "../naming";
import { backupReplicationResources } from "./private/backup-replication";

/** Where a database's data comes from when it is created. */
export type DatabaseSource =
  | { readonly kind: "empty"; readonly databaseName: string; readonly username: string }
  /**
   * Point-in-time restore from automated backups (e.g. a primary's, replicated into this region).
   * `check` is a Terraform condition that must hold before the restore starts (the source was found).
   */
  | {
      readonly kind: "point-in-time";
      readonly automatedBackupsArn: string;
      readonly restoreTime?: string;
      readonly username: string;
      /** The source's database name: the restored instance reports it (RDS keeps it; a PostgreSQL restore cannot set it). */
      readonly databaseName: string;
      readonly check?: { readonly condition: string; readonly errorMessage: string };
    }
  | { readonly kind: "snapshot"; readonly snapshotIdentifier: string }
  /**
   * Point-in-time restore from the automated backups of another instance of this region (the
   * database generation this one replaces: `restore_to_point_in_time.source_db_instance_identifier`).
   */
  | {
      readonly kind: "instance-point-in-time";
      readonly sourceIdentifier: string;
      readonly restoreTime?: string;
      readonly username: string;
      /** The source's database name, which the restored instance reports. */
      readonly databaseName: string;
    }
  /**
   * An instance that was restored (or loaded) earlier and whose restore settings are gone from the
   * configuration: configured as a new one (the same name, user and key it reports), with the
   * restore arguments ignored, so that forgetting them replaces nothing.
   */
  | { readonly kind: "restored"; readonly databaseName: string; readonly username: string }
  /**
   * A cross-Region read replica of `sourceArn` (a warm standby's), encrypted with `kmsKeyArn`. It
   * has no master-user secret of its own until it is promoted and given one
   * (`modify-db-instance --manage-master-user-password`): `masterUserSecretArn` is "" until then.
   * Its source and managed password are ignored after creation, so that the promotion replaces
   * nothing. `databaseName` and `username`: the source's, which the replica reports.
   */
  | { readonly kind: "replica"; readonly sourceArn: string; readonly databaseName: string; readonly username: string };

/** What a restore or a replica sets once: a later change of it must not replace the instance (prevent_destroy would refuse). */
function ignoredAfterCreation(source: DatabaseSource): string[] | undefined {
  if (source.kind === "empty") return undefined;
  // Promotion empties replicate_source_db; the day's modify-db-instance turns the managed password on.
  if (source.kind === "replica") return ["replicate_source_db", "manage_master_user_password", "master_user_secret_kms_key_id"];
  return ["restore_to_point_in_time", "snapshot_identifier"];
}

/** Which stack holds a database's backup replication. */
export type BackupReplicationPlacement = { readonly kind: "in-stack" } | { readonly kind: "separate-stack"; readonly stackId: string };

export interface PostgresDatabaseProps {
  /** Instance identifier (and, unless `groupName` is given, name of its subnet group, parameter group and security group). */
  readonly identifier: string;
  /**
   * Name of the subnet, parameter and security groups, which the generations of a database share
   * (a new generation beside the old one renames none of them: the old instance still uses them).
   * @default - the identifier
   */
  readonly groupName?: string;
  /**
   * The database generation this instance is: from 2 on, the instance and its log groups get
   * construct ids of their own (`resource-g<n>`, `log-postgresql-g<n>`), so that the generation it
   * replaces leaves the state by its own addresses, and a rerun of that removal never touches this one.
   * @default 1
   */
  readonly generation?: number;
  readonly vpcId: string;
  /** Clients are admitted from this range only (the VPC's). */
  readonly clientCidr: string;
  /** Private subnets, in at least two zones. */
  readonly subnetIds: string[];
  /**
   * The PostgreSQL major version, e.g. "16" (the parameter group family is `postgres<major>`). A
   * major only: `auto_minor_version_upgrade` is on, so RDS moves the minor, and a pinned minor
   * would then plan a downgrade that ModifyDBInstance refuses. RDS creates the major's default
   * minor; the provider reports the actual one in `engine_version_actual`.
   */
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
  readonly maxAllocatedStorageGb: number;
  readonly multiAz: boolean;
  /** Days of automated backups, here and in the replica region. At least 7. */
  readonly backupRetentionDays: number;
  readonly source: DatabaseSource;
  /** Region that receives a replica of the automated backups (when they are replicated in this stack). */
  readonly backupReplica: { readonly provider: TerraformProvider; readonly accountId: string };
  /**
   * Replicate automated backups into the replica region (what a recovery there restores from).
   * Turning it off leaves the database without a copy outside its region (DR-RDS-5 refuses that).
   * @default true
   */
  readonly replicateBackups?: boolean;
  /**
   * Where the backup replication lives. `in-stack`: beside the instance, in the replica region of
   * `backupReplica`. `separate-stack`: in the stack `stackId` (a DatabaseBackupReplication there),
   * so that whatever depends on this instance's stack does not wait ~10 minutes for it (a
   * recovery's restored database needs the copy for the next outage, not to serve traffic); the
   * instance is tagged `BackupReplication=<stackId>`, which DR-RDS-5 accepts, and an app test
   * checks that the named stack replicates this instance's ARN.
   * @default { kind: "in-stack" }
   */
  readonly backupReplication?: BackupReplicationPlacement;
  /**
   * Customer-managed key (the environment's DataKey) of the storage of a new instance (a read
   * replica's included) and of Performance Insights. A restored instance keeps the key of what it is restored from (RDS
   * offers no other key on a restore, and a different `kms_key_id` would force a replacement
   * that prevent_destroy refuses); Performance Insights uses this key either way.
   * @default - the AWS managed key aws/rds (DR-RDS-7 refuses it)
   */
  readonly kmsKeyArn?: string;
  /**
   * Enhanced monitoring: OS metrics every `intervalSeconds` (1, 5, 10, 15, 30 or 60; 0 turns it
   * off), published by the role `roleArn` (AmazonRDSEnhancedMonitoringRole, made in peacetime).
   * @default - no enhanced monitoring (DR-RDS-6 refuses it)
   */
  readonly monitoring?: { readonly intervalSeconds: number; readonly roleArn: string };
  /**
   * Minutes Terraform waits for the instance to be created (a restore included) and modified. The
   * provider's own waits (40 and 80 minutes) are shorter than a point-in-time restore of a large
   * database; an instance that outlives the wait is left tainted (or unrecorded) in the state.
   * @default { createMinutes: 180, updateMinutes: 120 }
   */
  readonly timeouts?: { readonly createMinutes: number; readonly updateMinutes: number };
  /**
   * The log groups of the exported logs (DATABASE_LOG_EXPORTS), made before the instance publishes
   * into them: kept `retentionDays`, encrypted with `kmsKeyArn` (a LogsKey whose policy names them).
   * @default - RDS creates them when it first publishes: never expiring, with no customer-managed key
   */
  readonly logs?: { readonly retentionDays: number; readonly kmsKeyArn: string };
}

/** The logs the instance exports to CloudWatch Logs. */
export const DATABASE_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** Waits of a restore: the project's model says 65 minutes for 100 GiB (docs/rto.md), with room for larger ones. */
export const DATABASE_TIMEOUTS = { createMinutes: 180, updateMinutes: 120 } as const;

/**
 * RDS PostgreSQL in private subnets: encrypted, TLS enforced (`rds.force_ssl`), reachable on 5432
 * from inside the VPC only, deletion protection, a final snapshot, backups kept 7+ days and
 * replicated into another region (encrypted there with a key of this construct, or by a
 * DatabaseBackupReplication in another stack, `backupReplication`), and a master
 * password generated and kept by AWS in Secrets Manager. The instance is protected from destroy.
 */
export class PostgresDatabase extends Construct {
  public readonly resource: DbInstance;
  public readonly securityGroup: SecurityGroup;
  public readonly backupReplication?: DbInstanceAutomatedBackupsReplication;
  public readonly address: string;
  public readonly port: number;
  /** The instance identifier (`props.identifier`). */
  public readonly identifier: string;
  /** Its subnet group's name. */
  public readonly subnetGroupName: string;
  /** Its parameter group's name (TLS enforced). */
  public readonly parameterGroupName: string;
  /** The key its storage is encrypted with, as RDS reports it (a restore's included). */
  public readonly kmsKeyArn: string;
  /** Secret (managed by RDS) holding the master user's credentials. */
  public readonly masterUserSecretArn: string;
  /** ARN of the automated backups replicated into the replica region: what a recovery restores from. */
  public readonly replicatedBackupsArn?: string;
  /** The exported logs' groups, when `logs` was given. */
  public readonly logGroups: readonly CloudwatchLogGroup[];
  /**
   * The database name the instance reports: the one it is created with, or, for a point-in-time
   * restore, its source's (configured nowhere: a PostgreSQL restore cannot set it); undefined for
   * a snapshot restore.
   */
  public readonly databaseName?: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const problems: string[] = [];
    if (props.backupRetentionDays < 7 || props.backupRetentionDays > 35)
      problems.push(`backupRetentionDays must be from 7 to 35 (got ${props.backupRetentionDays})`);
    if (props.maxAllocatedStorageGb < props.allocatedStorageGb)
      problems.push(`maxAllocatedStorageGb must be >= allocatedStorageGb (got ${props.maxAllocatedStorageGb} < ${props.allocatedStorageGb})`);
    if (props.source.kind === "replica" && props.replicateBackups !== false && (props.backupReplication ?? { kind: "in-stack" }).kind === "in-stack")
      problems.push(
        "a read replica's automated backups cannot be replicated: give backupReplication a separate stack deployed once it is promoted, or replicateBackups false",
      );
    if (props.subnetIds.length < 2) problems.push(`subnetIds must list at least two subnets (got ${props.subnetIds.length})`);
    if (!/^\d+$/.test(props.engineVersion)) {
      problems.push(
        `engineVersion must be a major version like "16": RDS upgrades the minor itself, and a pinned minor then plans a downgrade (got ${props.engineVersion})`,
      );
    }
    const monitoring = props.monitoring;
    if (monitoring && !(MONITORING_INTERVALS_SECONDS as readonly number[]).includes(monitoring.intervalSeconds)) {
      problems.push(`monitoring.intervalSeconds must be one of ${MONITORING_INTERVALS_SECONDS.join(", ")} (got ${monitoring.intervalSeconds})`);
    }
    const placement: BackupReplicationPlacement = props.backupReplication ?? { kind: "in-stack" };
    if (placement.kind === "separate-stack") {
      if (props.replicateBackups === false)
        problems.push(`backupReplication must not name a separate stack when replicateBackups is false (got ${placement.stackId})`);
      if (placement.stackId.trim() === "") problems.push(`backupReplication.stackId must name the stack holding the replication (got "${placement.stackId}")`);
    }
    const timeouts = props.timeouts ?? DATABASE_TIMEOUTS;
    for (const [name, minutes] of Object.entries(timeouts)) {
      if (!Number.isInteger(minutes) || minutes < 10) problems.push(`timeouts.${name} must be a whole number of minutes >= 10 (got ${minutes})`);
    }
    if (props.logs && (!Number.isInteger(props.logs.retentionDays) || props.logs.retentionDays < 1))
      problems.push(`logs.retentionDays must be a whole number >= 1 (got ${props.logs.retentionDays})`);
    const generation = props.generation ?? 1;
    if (!Number.isInteger(generation) || generation < 1) problems.push(`generation must be a whole number >= 1 (got ${generation})`);
    if (props.groupName !== undefined && !/^[a-z][a-z0-9-]{0,62}$/.test(props.groupName))
      problems.push(`groupName must be a lowercase name of letters, digits and hyphens, at most 63 characters (got ${props.groupName})`);
    if (problems.length > 0) throw new Error(`PostgresDatabase: ${problems.join("; ")}`);
    const major = props.engineVersion.split(".")[0];
    const groupName = props.groupName ?? props.identifier;
    const suffix = generation === 1 ? "" : generationSuffix(generation);

    const subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name: groupName,
      description: `Private subnets of ${groupName}`,
      subnetIds: props.subnetIds,
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${groupName}-postgres`,
      description: `PostgreSQL ${groupName}: 5432 from inside the VPC only`,
      vpcId: props.vpcId,
    });
    new VpcSecurityGroupIngressRule(this, "ingress", {
      securityGroupId: this.securityGroup.id,
      description: "PostgreSQL from inside the VPC",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      cidrIpv4: props.clientCidr,
    });
    const parameters = new DbParameterGroup(this, "parameters", {
      name: `${groupName}-postgres${major}`,
      family: `postgres${major}`,
      description: `TLS-only PostgreSQL ${major} for ${groupName}`,
      parameter: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
    });

    // Before the instance: RDS would otherwise create them on its first publish, never expiring.
    const logs = props.logs;
    this.logGroups = logs
      ? DATABASE_LOG_EXPORTS.map(
          (logType) =>
            new CloudwatchLogGroup(this, `log-${logType}${suffix}`, {
              name: rdsLogGroup(props.identifier, logType),
              retentionInDays: logs.retentionDays,
              kmsKeyId: logs.kmsKeyArn,
            }),
        )
      : [];
    const source = props.source;
    const replica = source.kind === "replica";
    this.resource = new DbInstance(this, `resource${suffix}`, {
      dependsOn: this.logGroups.length > 0 ? [...this.logGroups] : undefined,
      identifier: props.identifier,
      timeouts: { create: `${timeouts.createMinutes}m`, update: `${timeouts.updateMinutes}m` },
      engine: "postgres",
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      allocatedStorage: props.allocatedStorageGb,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: source.kind === "empty" || source.kind === "restored" || source.kind === "replica" ? props.kmsKeyArn : undefined,
      multiAz: props.multiAz,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameters.name,
      publiclyAccessible: false,
      port: 5432,
      dbName: source.kind === "empty" || source.kind === "restored" ? source.databaseName : undefined,
      // A replica has its source's user; RDS refuses a managed password until it is promoted.
      username: source.kind === "snapshot" || source.kind === "replica" ? undefined : source.username,
      manageMasterUserPassword: replica ? undefined : true,
      replicateSourceDb: replica ? source.sourceArn : undefined,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      monitoringInterval: monitoring && monitoring.intervalSeconds > 0 ? monitoring.intervalSeconds : undefined,
      monitoringRoleArn: monitoring && monitoring.intervalSeconds > 0 ? monitoring.roleArn : undefined,
      enabledCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
      tags: placement.kind === "separate-stack" ? { [BACKUP_REPLICATION_TAG]: placement.stackId } : undefined,
      snapshotIdentifier: source.kind === "snapshot" ? source.snapshotIdentifier : undefined,
      restoreToPointInTime:
        source.kind === "point-in-time" || source.kind === "instance-point-in-time"
          ? {
              ...(source.kind === "point-in-time"
                ? { sourceDbInstanceAutomatedBackupsArn: source.automatedBackupsArn }
                : { sourceDbInstanceIdentifier: source.sourceIdentifier }),
              restoreTime: source.restoreTime,
              useLatestRestorableTime: source.restoreTime === undefined ? true : undefined,
            }
          : undefined,
      // A restore happens once: a later change of its source (a new latest restorable time, a
      // rotated ARN) must not force a replacement, which prevent_destroy would refuse.
      lifecycle: {
        preventDestroy: true,
        ignoreChanges: ignoredAfterCreation(source),
        precondition: source.kind === "point-in-time" && source.check ? [source.check] : undefined,
      },
    });
    this.address = this.resource.address;
    this.identifier = props.identifier;
    // Literal names (known at synth): another stack reading them needs no cross-stack output.
    this.subnetGroupName = groupName;
    this.parameterGroupName = `${groupName}-postgres${major}`;
    this.kmsKeyArn = this.resource.kmsKeyId;
    this.databaseName = source.kind === "snapshot" ? undefined : source.databaseName;
    this.port = 5432;
    // A replica has no secret until it is promoted and given one: "" until then, never an invalid
    // index. A local, so that another stack reads the expression's value, not the bare attribute.
    this.masterUserSecretArn = replica
      ? new TerraformLocal(this, "master-user-secret-arn", Fn.try([this.resource.masterUserSecret.get(0).secretArn, ""])).asString
      : this.resource.masterUserSecret.get(0).secretArn;

    if (props.replicateBackups === false || placement.kind === "separate-stack") return;
    this.backupReplication = backupReplicationResources(this, {
      identifier: props.identifier,
      sourceDbInstanceArn: this.resource.arn,
      // A replaced instance (a new resource id under any name) replaces its replication: RDS
      // would otherwise keep copying the old instance's backups while the state says all is well.
      replaceTriggeredBy: [`${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}.resource_id`],
      provider: props.backupReplica.provider,
      accountId: props.backupReplica.accountId,
      retentionDays: props.backupRetentionDays,
    });
    this.replicatedBackupsArn = this.backupReplication.id;
  }
}
