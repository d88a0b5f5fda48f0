import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsProvider } from "../lib";
import {
  AccessLogBucket,
  AssetsManagementPolicy,
  BackupUser,
  DataKey,
  DrAssetsBucket,
  HostingServicesBucket,
  DatabaseSource,
  PostgresDatabase,
  RabbitMqBroker,
  RdsMonitoringRole,
  ReplicatedBackupsSource,
  SecureBucket,
  SopsKey,
} from "../lib/constructs";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../lib/environment";
import { globalNames, policyArn, REPLICATED_BACKUPS_OUTPUT, regionalNames, roleArn, SOPS_KEY_OUTPUT, stackId } from "../lib/naming";
import { targetOf } from "../lib/targets";
import { EnvironmentStack, isRecovery, type PrimaryProps, type RecoveryProps } from "./environment-stack";
import type { NetworkingStack } from "./networking-stack";

/** A primary, or a recovery together with the primary it recovers. */
export type ApplicationStackProps = { readonly networking: NetworkingStack } & (PrimaryProps | RecoveryProps);

/**
 * `application-<region>`: the datastores and the DR data path. A primary creates the assets
 * bucket, its replica in `drRegion`, and the SOPS key with its replica. A recovery fails over
 * instead of starting over: it uses the primary's replica bucket (already in its region) and
 * restores the database from the primary's replicated backups.
 */
export class ApplicationStack extends EnvironmentStack {
  public readonly drProvider: AwsProvider;
  public readonly assetsBucketName: string;
  /** The workloads' policy on the assets (a recovery's was made in peacetime by its standby stack). */
  public readonly assetsManagementPolicyArn: string;
  public readonly assetsManagementPolicy?: AssetsManagementPolicy;
  public readonly database: PostgresDatabase;
  public readonly broker: RabbitMqBroker;
  public readonly hostingServices: HostingServicesBucket;
  /** The IAM user that uploads archives from outside the cluster (a recovery's is in its standby stack). */
  public readonly backupUserName: string;
  public readonly backupUser?: BackupUser;
  public readonly drAssets?: DrAssetsBucket;
  public readonly sopsKey?: SopsKey;
  /** Server access logs of the primary's assets bucket (a recovery has no bucket of its own in its region). */
  public readonly accessLogs?: AccessLogBucket;
  /** Server access logs of the buckets in drRegion (archives, assets replica). */
  public readonly drAccessLogs: AccessLogBucket;
  /** The environment's data key (secrets, RDS): a primary's own; a recovery's, made by its standby stack. */
  public readonly dataKeyArn: string;
  public readonly dataKey?: DataKey;
  /** Role of RDS enhanced monitoring (a recovery's is in its standby stack). */
  public readonly monitoringRoleArn: string;

  constructor(scope: Construct, props: ApplicationStackProps) {
    const { environment: env, networking } = props;
    super(scope, "application", env);
    this.drProvider = awsProvider(this, env, env.drRegion, "dr");
    const names = globalNames(env.project, env.region);
    const regional = regionalNames(env.project, env.region);
    const vpc = networking.vpc;
    const privateSubnetIds = vpc.privateSubnets.map((s) => s.id);

    // S3 server access logs go to a bucket in the source's region (S3 delivers nowhere else).
    this.drAccessLogs = new AccessLogBucket(this, "dr-access-logs", {
      bucketName: names.drAccessLogsBucket,
      accountId: env.accountId,
      provider: this.drProvider,
    });

    if (!isRecovery(props)) {
      this.accessLogs = new AccessLogBucket(this, "access-logs", { bucketName: names.accessLogsBucket, accountId: env.accountId });
      const assets = new SecureBucket(this, "assets", { bucketName: names.assetsBucket, accessLogs: this.accessLogs.targetFor(names.assetsBucket) });
      this.drAssets = new DrAssetsBucket(this, "dr-assets", {
        source: assets,
        replicaBucketName: names.drAssetsBucket,
        replicaProvider: this.drProvider,
        sourceRegion: env.region,
        replicaRegion: env.drRegion,
        roleName: names.replicationRole,
        batchRoleName: names.batchReplicationRole,
        accountId: env.accountId,
        replicateDeletes: env.assets.replicateDeletes,
        replicationTimeControl: env.assets.replicationTimeControl,
        replicaAccessLogs: this.drAccessLogs.targetFor(names.drAssetsBucket),
      });
      this.sopsKey = new SopsKey(this, "sops-key", { aliasName: regional.sopsKeyAlias, accountId: env.accountId, replicaProvider: this.drProvider });
      this.assetsBucketName = assets.bucketName;
      this.assetsManagementPolicy = new AssetsManagementPolicy(this, "assets-management-policy", {
        policyName: names.assetsManagementPolicy,
        buckets: [assets, this.drAssets.replica],
      });
      this.assetsManagementPolicyArn = this.assetsManagementPolicy.policyArn;
    } else {
      // The primary's replica is already here; it stays managed by the primary's stack. The
      // recovery's IAM (assets policy, backup user) was made in peacetime by its standby stack.
      this.assetsBucketName = globalNames(props.primary.project, props.primary.region).drAssetsBucket;
      this.assetsManagementPolicyArn = policyArn(env.accountId, names.assetsManagementPolicy);
    }

    this.hostingServices = new HostingServicesBucket(this, "hosting-services", {
      bucketName: names.hostingServicesBucket,
      provider: this.drProvider,
      noncurrentVersionRetentionDays: env.backups.noncurrentVersionRetentionDays,
      objectLock: env.backups.objectLock,
      accessLogs: this.drAccessLogs.targetFor(names.hostingServicesBucket),
    });

    if (isRecovery(props)) {
      // Made in peacetime by the standby stack: the alias is read with a regional KMS call, the role named.
      this.dataKeyArn = new DataAwsKmsAlias(this, "data-key", { name: regional.dataKeyAlias }).targetKeyArn;
      this.monitoringRoleArn = roleArn(env.accountId, names.rdsMonitoringRole);
    } else {
      this.dataKey = new DataKey(this, "data-key", { aliasName: regional.dataKeyAlias, accountId: env.accountId, region: env.region });
      this.dataKeyArn = this.dataKey.keyArn;
      this.monitoringRoleArn = new RdsMonitoringRole(this, "monitoring-role", { roleName: names.rdsMonitoringRole, accountId: env.accountId }).roleArn;
    }

    if (isRecovery(props)) {
      this.backupUserName = names.backupUser;
    } else {
      this.backupUser = new BackupUser(this, "backup-user", {
        userName: names.backupUser,
        bucket: this.hostingServices,
        createAccessKey: env.backups.accessKey,
        secretKmsKeyArn: this.dataKeyArn,
      });
      this.backupUserName = this.backupUser.userName;
    }

    this.database = new PostgresDatabase(this, "database", {
      identifier: regional.database,
      vpcId: vpc.vpcId,
      clientCidr: vpc.cidrBlock,
      subnetIds: privateSubnetIds,
      engineVersion: env.database.engineVersion,
      instanceClass: env.database.instanceClass,
      allocatedStorageGb: env.database.allocatedStorageGb,
      maxAllocatedStorageGb: env.database.maxAllocatedStorageGb,
      multiAz: env.database.multiAz,
      backupRetentionDays: env.database.backupRetentionDays,
      source: isRecovery(props) ? this.restoredDatabase(props.environment, props.primary) : emptyDatabase(props.environment),
      backupReplica: { provider: this.drProvider, accountId: env.accountId },
      // A restored database's copy for the next outage is not needed to serve: the recovery's
      // replication stack holds it, so the workloads do not wait for it.
      backupReplication: isRecovery(props) ? { kind: "separate-stack", stackId: stackId("replication", env.region) } : { kind: "in-stack" },
      kmsKeyArn: this.dataKeyArn,
      monitoring: { intervalSeconds: env.database.monitoringIntervalSeconds, roleArn: this.monitoringRoleArn },
    });

    this.broker = new RabbitMqBroker(this, "broker", {
      brokerName: regional.broker,
      vpcId: vpc.vpcId,
      clientCidr: vpc.cidrBlock,
      subnetIds: privateSubnetIds,
      engineVersion: env.broker.engineVersion,
      instanceType: env.broker.instanceType,
      deploymentMode: env.broker.deploymentMode,
      adminUsername: env.broker.adminUsername,
      users: env.broker.users,
      userSecretName: regional.brokerUserSecret,
      secretsKmsKeyArn: this.dataKeyArn,
    });

    this.outputs();
  }

  /** A recovery restores from the primary's replicated backups (point in time) or a snapshot. */
  private restoredDatabase(env: RecoveryEnvironment, primary: PrimaryEnvironment): DatabaseSource {
    const restore = env.database.restore;
    if (restore.from === "snapshot") return { kind: "snapshot", snapshotIdentifier: restore.snapshotIdentifier };
    const source = new ReplicatedBackupsSource(this, "primary-backups", {
      // The primary's state lives in the state bucket, outside both regions: readable during the outage.
      primaryState: targetOf(this).readState(this, "primary-application-state", stackId("application", primary.region), primary.state),
      outputName: REPLICATED_BACKUPS_OUTPUT,
      automatedBackupsArn: restore.automatedBackupsArn,
    });
    return {
      kind: "point-in-time",
      automatedBackupsArn: source.automatedBackupsArn,
      restoreTime: restore.restoreTime,
      // A restored instance keeps the source's master user; another name here would be a change
      // Terraform cannot make in place (username forces replacement, which prevent_destroy blocks).
      username: primary.database.username,
      check: { condition: source.foundCondition, errorMessage: source.missingMessage },
    };
  }

  private outputs(): void {
    const out = (name: string, value: unknown, description: string) => new TerraformOutput(this, name, { value, description, sensitive: false });
    out("assets_bucket_name", this.assetsBucketName, "Bucket the workloads keep assets in");
    out("assets_management_policy_arn", this.assetsManagementPolicyArn, "Policy for the workload role");
    out("hosting_services_bucket_name", this.hostingServices.bucketName, "Bucket for database archives (in drRegion)");
    out("backup_user_name", this.backupUserName, "IAM user that uploads database archives");
    if (this.backupUser?.accessKeySecretArn)
      out("backup_user_access_key_secret_arn", this.backupUser.accessKeySecretArn, "Secret with the backup user's access key");
    out("database_address", this.database.address, "PostgreSQL host name");
    out("database_master_user_secret_arn", this.database.masterUserSecretArn, "Secret (kept by RDS) with the master credentials");
    if (this.database.replicatedBackupsArn) {
      out(REPLICATED_BACKUPS_OUTPUT, this.database.replicatedBackupsArn, "Automated backups replicated into drRegion: what a recovery restores from");
    }
    out("broker_amqp_endpoints", this.broker.amqpEndpoints, "AMQPS endpoints of the broker");
    out("broker_user_secret_arns", this.broker.userSecretArns, "Secret ARN of each broker user");
    if (this.drAssets) {
      out("dr_assets_bucket_name", this.drAssets.replicaBucketName, "Replica of the assets bucket in drRegion");
      out("dr_assets_bucket_arn", this.drAssets.replicaBucketArn, "Replica bucket ARN (batch replication destination)");
      out("assets_bucket_arn", this.drAssets.sourceBucketArn, "Assets bucket ARN (batch replication source)");
      out("replication_role_arn", this.drAssets.roleArn, "Role S3 replication uses");
      out("batch_replication_role_arn", this.drAssets.batchRoleArn, "Role of the job that replicates existing objects");
      out("replication_report_prefix", this.drAssets.reportPrefix, "Where batch replication reports go in the replica");
    }
    if (this.sopsKey) {
      out(SOPS_KEY_OUTPUT, this.sopsKey.keyArn, "SOPS key (multi-Region primary)");
      if (this.sopsKey.replicaKeyArn) out("sops_replica_key_arn", this.sopsKey.replicaKeyArn, "SOPS key replica in drRegion");
    }
  }
}

/** A primary starts from an empty database. */
function emptyDatabase(env: PrimaryEnvironment): DatabaseSource {
  return { kind: "empty", databaseName: env.database.databaseName, username: env.database.username };
}
