import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsProvider } from "../lib";
import { servingDatabaseIdentifier } from "../lib/environment";
import { AccessLogBucket, HostingServicesBucket, PostgresDatabase, RabbitMqBroker, type VaultDestination } from "../lib/constructs";
import { DATABASE_RESOURCE_ID_OUTPUT, environmentNames, REPLICATED_BACKUPS_OUTPUT, regionalNames, vaultNames } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";
import type { NetworkingStack } from "./networking-stack";
import type { DataIdentity } from "./roles/peacetime-identity";
import type { EnvironmentRole, SopsKeySource } from "./roles/role";

export interface ApplicationStackProps {
  readonly role: EnvironmentRole;
  readonly networking: NetworkingStack;
  /** A primary's vault (VaultStack): its archives and assets are copied there too. */
  readonly vault?: { readonly archives: VaultDestination; readonly assets: VaultDestination };
}

/**
 * `application-<region>`: the datastores and the DR data path: the archive bucket in `drRegion`,
 * PostgreSQL and RabbitMQ, and what the role gives (a primary's assets bucket with its replica and
 * SOPS key, or a recovery's use of its primary's; an empty database or a restored one).
 */
export class ApplicationStack extends EnvironmentStack {
  public readonly drProvider: AwsProvider;
  /** Server access logs of the buckets in drRegion (archives, assets replica). */
  public readonly drAccessLogs: AccessLogBucket;
  public readonly assetsBucketName: string;
  public readonly sopsKey: SopsKeySource;
  public readonly hostingServices: HostingServicesBucket;
  public readonly identity: DataIdentity;
  public readonly database: PostgresDatabase;
  public readonly broker: RabbitMqBroker;

  constructor(scope: Construct, props: ApplicationStackProps) {
    const { role, networking } = props;
    const env = role.environment;
    super(scope, "application", env);
    this.drProvider = awsProvider(this, env, env.drRegion, "dr");
    const names = environmentNames(env);
    const regional = regionalNames(env.project, env.region);
    const vpc = networking.vpc;
    const datastore = { vpcId: vpc.vpcId, clientCidr: vpc.cidrBlock, subnetIds: vpc.privateSubnets.map((s) => s.id) };

    // S3 server access logs go to a bucket in the source's region (S3 delivers nowhere else).
    this.drAccessLogs = new AccessLogBucket(this, "dr-access-logs", {
      bucketName: names.drAccessLogsBucket,
      accountId: env.accountId,
      provider: this.drProvider,
      retentionDays: env.logRetention.s3AccessLogsDays,
    });
    const assets = role.assets(this, { drProvider: this.drProvider, drAccessLogs: this.drAccessLogs, vault: props.vault?.assets });
    this.assetsBucketName = assets.assetsBucketName;
    this.sopsKey = assets.sopsKey;

    this.hostingServices = new HostingServicesBucket(this, "hosting-services", {
      bucketName: names.hostingServicesBucket,
      provider: this.drProvider,
      region: env.drRegion,
      // Made in peacetime: by a primary's application stack, by a recovery's standby stack (found by alias).
      kmsKeyArn: role.identity.archiveKey(this, this.drProvider),
      noncurrentVersionRetentionDays: env.backups.noncurrentVersionRetentionDays,
      objectLock: env.backups.objectLock,
      accessLogs: this.drAccessLogs.targetFor(names.hostingServicesBucket),
      // The archives (broker exports among them) copied into the vault account too.
      vault: props.vault && {
        destination: props.vault.archives,
        roleName: vaultNames(env, props.vault.archives).archivesReplicationRole,
        accountId: env.accountId,
      },
    });
    this.identity = role.identity.data(this, { assetsBuckets: assets.policyBuckets, archiveBucket: this.hostingServices });
    role.gitCredentials(this, { drProvider: this.drProvider, dataKeyArn: this.identity.dataKeyArn });

    const plan = role.database(this);
    this.database = new PostgresDatabase(this, "database", {
      ...datastore,
      identifier: servingDatabaseIdentifier(env),
      groupName: regional.database,
      generation: env.database.generation,
      engineVersion: env.database.engineVersion,
      instanceClass: env.database.instanceClass,
      allocatedStorageGb: env.database.allocatedStorageGb,
      maxAllocatedStorageGb: env.database.maxAllocatedStorageGb,
      multiAz: env.database.multiAz,
      backupRetentionDays: env.database.backupRetentionDays,
      source: plan.source,
      backupReplica: { provider: this.drProvider, accountId: env.accountId },
      backupReplication: plan.backupReplication,
      replicateBackups: plan.replicateBackups,
      kmsKeyArn: this.identity.dataKeyArn,
      monitoring: { intervalSeconds: env.database.monitoringIntervalSeconds, roleArn: this.identity.monitoringRoleArn },
      timeouts: env.database.timeouts,
      logs: { retentionDays: env.logRetention.databaseDays, kmsKeyArn: networking.logsKeyArn },
    });

    this.broker = new RabbitMqBroker(this, "broker", {
      ...datastore,
      brokerName: regional.broker,
      engineVersion: env.broker.engineVersion,
      instanceType: env.broker.instanceType,
      deploymentMode: env.broker.deploymentMode,
      adminUsername: env.broker.adminUsername,
      users: env.broker.users,
      userSecretName: regional.brokerUserSecret,
      secretsKmsKeyArn: this.identity.dataKeyArn,
      timeouts: env.broker.timeouts,
    });

    const out = (name: string, value: unknown, description: string) => new TerraformOutput(this, name, { value, description, sensitive: false });
    out("assets_bucket_name", this.assetsBucketName, "Bucket the workloads keep assets in");
    out("assets_management_policy_arn", this.identity.assetsPolicyArn, "Policy for the workload role");
    out("hosting_services_bucket_name", this.hostingServices.bucketName, "Bucket for database archives (in drRegion)");
    out("backup_user_name", this.identity.backupUserName, "IAM user that uploads database archives");
    if (this.identity.accessKeySecretArn)
      out("backup_user_access_key_secret_arn", this.identity.accessKeySecretArn, "Secret with the backup user's access key");
    out("database_address", this.database.address, "PostgreSQL host name");
    out("database_master_user_secret_arn", this.database.masterUserSecretArn, "Secret (kept by RDS) with the master credentials");
    out(DATABASE_RESOURCE_ID_OUTPUT, this.database.resource.resourceId, "DbiResourceId: preflight checks the replicated backups are this instance's");
    if (this.database.replicatedBackupsArn) {
      out(REPLICATED_BACKUPS_OUTPUT, this.database.replicatedBackupsArn, "Automated backups replicated into drRegion: what a recovery restores from");
    }
    out("broker_amqp_endpoints", this.broker.amqpEndpoints, "AMQPS endpoints of the broker");
    out("broker_user_secret_arns", this.broker.userSecretArns, "Secret ARN of each broker user");
  }
}
