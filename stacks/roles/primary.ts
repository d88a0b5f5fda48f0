import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { AccessLogBucket, BrokerDefinitionsImport, DataKey, DrAssetsBucket, GitCredentialsSecret, SecureBucket, SopsKey } from "../../lib/constructs";
import type { PrimarySide } from "../../lib/environment";
import { environmentNames, regionalNames, SOPS_KEY_OUTPUT } from "../../lib/naming";
import { PeacetimeIdentity } from "./peacetime-identity";
import {
  laterGenerationSource,
  type BrokerImportContext,
  type DatabasePlan,
  type EnvironmentAssets,
  type EnvironmentRole,
  type GitCredentialsContext,
} from "./role";

/**
 * A primary makes everything it uses: its assets bucket with the replica in `drRegion`, the SOPS
 * key with its replica, an empty database whose backups it replicates itself, and its peacetime
 * identity, part by part in the stack that uses it.
 */
export class PrimaryRole implements EnvironmentRole {
  public readonly environment: PrimarySide["environment"];
  public readonly identity: PeacetimeIdentity;
  public readonly failover = { kind: "PRIMARY", healthCheck: true } as const;
  public readonly databaseLogin: EnvironmentRole["databaseLogin"];

  constructor(side: PrimarySide) {
    this.environment = side.environment;
    this.identity = new PeacetimeIdentity(side.environment);
    this.databaseLogin = { databaseName: side.environment.database.databaseName, username: side.environment.database.username };
  }

  public assets(scope: Construct, context: Parameters<EnvironmentRole["assets"]>[1]): EnvironmentAssets {
    const env = this.environment;
    const names = environmentNames(env);
    const accessLogs = new AccessLogBucket(scope, "access-logs", {
      bucketName: names.accessLogsBucket,
      accountId: env.accountId,
      retentionDays: env.logRetention.s3AccessLogsDays,
    });
    const assets = new SecureBucket(scope, "assets", { bucketName: names.assetsBucket, accessLogs: accessLogs.targetFor(names.assetsBucket) });
    const drAssets = new DrAssetsBucket(scope, "dr-assets", {
      source: assets,
      replicaBucketName: names.drAssetsBucket,
      replicaProvider: context.drProvider,
      sourceRegion: env.region,
      replicaRegion: env.drRegion,
      roleName: names.replicationRole,
      batchRoleName: names.batchReplicationRole,
      accountId: env.accountId,
      replicateDeletes: env.assets.replicateDeletes,
      replicationTimeControl: env.assets.replicationTimeControl,
      replicaAccessLogs: context.drAccessLogs.targetFor(names.drAssetsBucket),
      vault: context.vault,
    });
    const sopsKey = new SopsKey(scope, "sops-key", {
      aliasName: regionalNames(env.project, env.region).sopsKeyAlias,
      accountId: env.accountId,
      replicaProvider: context.drProvider,
    });

    const out = (name: string, value: unknown, description: string) => new TerraformOutput(scope, name, { value, description, sensitive: false });
    out("dr_assets_bucket_name", drAssets.replicaBucketName, "Replica of the assets bucket in drRegion");
    out("dr_assets_bucket_arn", drAssets.replicaBucketArn, "Replica bucket ARN (batch replication destination)");
    out("assets_bucket_arn", drAssets.sourceBucketArn, "Assets bucket ARN (batch replication source)");
    out("replication_role_arn", drAssets.roleArn, "Role S3 replication uses");
    out("batch_replication_role_arn", drAssets.batchRoleArn, "Role of the job that replicates existing objects");
    out("replication_report_prefix", drAssets.reportPrefix, "Where batch replication reports go in the replica");
    out(SOPS_KEY_OUTPUT, sopsKey.keyArn, "SOPS key (multi-Region primary)");
    if (sopsKey.replicaKeyArn) out("sops_replica_key_arn", sopsKey.replicaKeyArn, "SOPS key replica in drRegion");

    return { assetsBucketName: assets.bucketName, policyBuckets: [assets, drAssets.replica], sopsKey: { arnIn: () => sopsKey.keyArn } };
  }

  /** Generation 1 starts empty; a later one comes from the generation it replaces (or an archive). */
  public database(): DatabasePlan {
    const restore = this.environment.database.restore;
    // Rebuilt from a snapshot copied or shared into the account; otherwise empty (an archive is loaded into it by the account scenario).
    const first: DatabasePlan["source"] =
      restore?.from === "snapshot" ? { kind: "snapshot", snapshotIdentifier: restore.snapshotIdentifier } : { kind: "empty", ...this.databaseLogin };
    return { source: laterGenerationSource(this.environment, this.databaseLogin) ?? first, backupReplication: { kind: "in-stack" } };
  }

  /**
   * The primary's Git credentials secret, on its data key, with its replica in drRegion (where its
   * recoveries stand) on a key the primary makes there for it. A deployment whose secret its
   * recovery's standby layer made (until 2026-12) adopts it on the next apply (GitCredentialsSecret).
   */
  public gitCredentials(scope: Construct, context: GitCredentialsContext): void {
    const env = this.environment;
    const replicaKey = new DataKey(scope, "git-credentials-replica-key", {
      aliasName: regionalNames(env.project, env.region).gitCredentialsReplicaKeyAlias,
      accountId: env.accountId,
      region: env.drRegion,
      provider: context.drProvider,
      services: ["secretsmanager"],
      description: `Replica in ${env.drRegion} of the Flux Git credentials secret of ${env.region} (Secrets Manager)`,
    });
    new GitCredentialsSecret(scope, "git-credentials", {
      secretName: env.flux.gitCredentialsSecretName,
      repositoryUrl: env.flux.repositoryUrl,
      kmsKeyArn: context.dataKeyArn,
      replicas: [{ region: env.drRegion, kmsKeyArn: replicaKey.keyArn }],
    });
  }

  /**
   * A primary's broker starts empty; rebuilt in a new account (broker.importDefinitions) it imports
   * the newest export of its own hosting-services bucket, which from-vault copied out of the vault.
   */
  public brokerImport(scope: Construct, context: BrokerImportContext): BrokerDefinitionsImport["resource"][] {
    const env = this.environment;
    if (env.broker.importDefinitions !== true) return [];
    const imported = new BrokerDefinitionsImport(scope, "broker-definitions-import", {
      namespace: context.namespace,
      serviceAccountName: context.serviceAccountName,
      bucketName: environmentNames(env).hostingServicesBucket,
      bucketRegion: env.drRegion,
      managementUrl: context.managementUrl,
      adminUsername: env.broker.adminUsername,
      adminSecret: context.adminSecret,
      registry: context.registry,
    });
    return [imported.resource];
  }
}
