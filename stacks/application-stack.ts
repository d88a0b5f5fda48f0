import { Construct } from "constructs";
import { DataTerraformRemoteStateS3, TerraformOutput } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { awsProvider } from "../lib/aws-provider";
import { AssetsManagementPolicy } from "../lib/constructs/assets-management-policy";
import { BackupUser } from "../lib/constructs/backup-user";
import { DrAssetsBucket } from "../lib/constructs/dr-assets-bucket";
import { HostingServicesBucket } from "../lib/constructs/hosting-services-bucket";
import { DatabaseSource, PostgresDatabase } from "../lib/constructs/postgres-database";
import { RabbitMqBroker } from "../lib/constructs/rabbitmq-broker";
import { SecureBucket } from "../lib/constructs/secure-bucket";
import { SopsKey } from "../lib/constructs/sops-key";
import type { Environment } from "../lib/environment";
import { regionalNames, resourceNames } from "../lib/naming";
import { leftOutInSandbox } from "../lib/sandbox";
import { EnvironmentStack, stackId } from "./environment-stack";
import type { NetworkingStack } from "./networking-stack";

/** Output of a primary's application stack that its recovery environment restores from. */
export const REPLICATED_BACKUPS_OUTPUT = "database_replicated_backups_arn";

export interface ApplicationStackProps {
  readonly environment: Environment;
  readonly networking: NetworkingStack;
  /** The primary a recovery environment recovers (required for role "recovery"). */
  readonly primary?: Environment;
}

/**
 * `application-<region>`: the datastores and the DR data path. A primary creates the assets
 * bucket, its replica in `drRegion`, and the SOPS key with its replica. A recovery environment
 * fails over instead of starting over: it uses the primary's replica bucket (already in its
 * region) and key replica, and restores the database from the primary's replicated backups.
 */
export class ApplicationStack extends EnvironmentStack {
  public readonly drProvider: AwsProvider;
  public readonly assetsBucketName: string;
  public readonly assetsManagementPolicy: AssetsManagementPolicy;
  public readonly database: PostgresDatabase;
  public readonly broker: RabbitMqBroker;
  public readonly hostingServices: HostingServicesBucket;
  public readonly backupUser: BackupUser;
  public readonly drAssets?: DrAssetsBucket;
  public readonly sopsKey?: SopsKey;

  constructor(scope: Construct, props: ApplicationStackProps) {
    const { environment: env, networking, primary } = props;
    super(scope, "application", env);
    if (env.role === "recovery" && primary === undefined) {
      throw new Error(`ApplicationStack: the recovery environment ${env.region} needs its primary (${env.recoveryOf})`);
    }
    this.drProvider = awsProvider(this, env, env.drRegion, "dr");
    const names = resourceNames(env.project, env.region);
    const regional = regionalNames(env.project, env.region);
    const vpc = networking.vpc;
    const privateSubnetIds = vpc.privateSubnets.map((s) => s.id);

    // Assets: a primary owns the bucket and its replica; a recovery uses the primary's replica.
    let assetBuckets: { bucketArn: string }[];
    if (env.role === "primary") {
      const assets = new SecureBucket(this, "assets", { bucketName: names.assetsBucket });
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
      });
      this.sopsKey = new SopsKey(this, "sops-key", {
        aliasName: regional.sopsKeyAlias,
        accountId: env.accountId,
        replicaProvider: this.drProvider,
        replicate: !leftOutInSandbox(this, "kms-replica-key"),
      });
      this.assetsBucketName = assets.bucketName;
      assetBuckets = [assets, this.drAssets.replica];
    } else {
      this.assetsBucketName = resourceNames(primary!.project, primary!.region).drAssetsBucket;
      assetBuckets = [{ bucketArn: `arn:aws:s3:::${this.assetsBucketName}` }];
    }

    this.assetsManagementPolicy = new AssetsManagementPolicy(this, "assets-management-policy", {
      policyName: names.assetsManagementPolicy,
      buckets: assetBuckets,
    });

    this.hostingServices = new HostingServicesBucket(this, "hosting-services", {
      bucketName: names.hostingServicesBucket,
      provider: this.drProvider,
      noncurrentVersionRetentionDays: env.backups.noncurrentVersionRetentionDays,
    });
    this.backupUser = new BackupUser(this, "backup-user", {
      userName: names.backupUser,
      bucket: this.hostingServices,
      createAccessKey: env.backups.accessKey,
    });

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
      source: this.databaseSource(env, primary),
      backupReplica: { provider: this.drProvider, accountId: env.accountId },
      replicateBackups: !leftOutInSandbox(this, "rds-backup-replication"),
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
      secretPrefix: regional.brokerSecretPrefix,
    });

    if (env.dns.loadBalancerHostname) {
      new Route53Record(this, "dr-record", {
        zoneId: networking.zone.zoneId,
        name: `dr.${env.dns.domain}`,
        type: "CNAME",
        ttl: 300,
        records: [env.dns.loadBalancerHostname],
      });
    }

    this.outputs();
  }

  /** A primary starts empty; a recovery restores from the primary's replicated backups or a snapshot. */
  private databaseSource(env: Environment, primary: Environment | undefined): DatabaseSource {
    const restore = env.database.restore;
    if (restore === undefined) return { kind: "empty", databaseName: env.database.databaseName, username: env.database.username };
    if (restore.from === "snapshot") return { kind: "snapshot", snapshotIdentifier: restore.snapshotIdentifier };
    // The sandbox's primary has no replicated backups to restore from (see SANDBOX_GAPS).
    if (leftOutInSandbox(this, "rds-backup-replication")) {
      return { kind: "empty", databaseName: env.database.databaseName, username: primary!.database.username };
    }
    // The primary's state lives in the state bucket, outside both regions: readable during the outage.
    const primaryState = new DataTerraformRemoteStateS3(this, "primary-application-state", {
      bucket: primary!.state.bucket,
      region: primary!.state.region,
      key: `${stackId("application", primary!.region)}.tfstate`,
    });
    return {
      kind: "point-in-time",
      automatedBackupsArn: primaryState.getString(REPLICATED_BACKUPS_OUTPUT),
      restoreTime: restore.restoreTime,
      // A restored instance keeps the source's master user; another name here would be a change
      // Terraform cannot make in place (username forces replacement, which prevent_destroy blocks).
      username: primary!.database.username,
    };
  }

  private outputs(): void {
    const out = (name: string, value: unknown, description: string, sensitive = false) =>
      new TerraformOutput(this, name, { value, description, sensitive });
    out("assets_bucket_name", this.assetsBucketName, "Bucket the workloads keep assets in");
    out("assets_management_policy_arn", this.assetsManagementPolicy.policyArn, "Policy for the workload role");
    out("hosting_services_bucket_name", this.hostingServices.bucketName, "Bucket for database archives (in drRegion)");
    out("backup_user_name", this.backupUser.userName, "IAM user that uploads database archives");
    if (this.backupUser.accessKeySecretArn) out("backup_user_access_key_secret_arn", this.backupUser.accessKeySecretArn, "Secret with the backup user's access key");
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
      out("sops_key_arn", this.sopsKey.keyArn, "SOPS key (multi-Region primary)");
      if (this.sopsKey.replicaKeyArn) out("sops_replica_key_arn", this.sopsKey.replicaKeyArn, "SOPS key replica in drRegion");
    }
  }
}
