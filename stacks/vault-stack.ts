import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { awsProvider, standardTags, vaultProvider } from "../lib";
import { AccessLogBucket, VaultBucket, VaultDatabaseCopies, VaultKey, VaultRegistryPolicy, VaultReplication, type VaultDestination } from "../lib/constructs";
import type { PrimaryEnvironment } from "../lib/environment";
import { bucketArn, environmentNames, roleArn, stateKeyAlias, vaultNames, type VaultNames } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";

type Vault = NonNullable<PrimaryEnvironment["vault"]>;

export interface VaultStackProps {
  /** A primary with a vault. */
  readonly environment: PrimaryEnvironment & { readonly vault: Vault };
  /**
   * This vault stack copies the state bucket (a bucket replicates into one vault: the first
   * primary, by region, of those that keep their state in it and declare that vault).
   */
  readonly copiesState: boolean;
}

/**
 * `vault-<region>`: a primary's copies in its vault account (docs/vault.md), made through the
 * vault role: the vault's key, an Object Lock (COMPLIANCE) bucket for each copy (database
 * archives and broker exports, assets, Terraform state) with its access logs, the Git credentials
 * secret, the registry policy that admits the workload account's image replication, and the
 * database's snapshots (VaultDatabaseCopies: the workload account's AWS Backup plan, copying into a
 * locked backup vault here). When it
 * copies the state (`copiesState`), it also turns on the state bucket's replication into the vault
 * (the state bucket's stack is the bootstrap, deployed before any vault exists). The archives' and assets' rules are in the
 * application stack, beside their buckets, after this stack.
 */
export class VaultStack extends EnvironmentStack<PrimaryEnvironment> {
  /** The archive bucket's copy (HostingServicesBucket's vault rule). */
  public readonly archives: VaultDestination;
  /** The assets bucket's copy (DrAssetsBucket's `vault`). */
  public readonly assets: VaultDestination;

  constructor(scope: Construct, props: VaultStackProps) {
    const { environment, copiesState } = props;
    super(scope, "vault", environment);
    const vault = environment.vault;
    const names = vaultNames(environment, vault);
    const provider = vaultProvider(this, environment, vault);
    const source = { sourceAccountId: environment.accountId, writerRoleArns: writerRoleArns(environment, names, copiesState) };

    const key = new VaultKey(this, "key", { aliasName: names.keyAlias, vaultAccountId: vault.accountId, vaultRegion: vault.region, provider, ...source });
    const accessLogs = new AccessLogBucket(this, "access-logs", {
      bucketName: names.accessLogsBucket,
      accountId: vault.accountId,
      provider,
      retentionDays: environment.logRetention.s3AccessLogsDays,
    });
    const bucket = (id: string, bucketName: string): VaultDestination => {
      new VaultBucket(this, id, {
        bucketName,
        provider,
        kmsKeyArn: key.keyArn,
        retentionDays: vault.retentionDays,
        accessLogs: accessLogs.targetFor(bucketName),
        ...source,
      });
      // The bucket by its name (no cross-stack output); the key by reference: its ARN is AWS's to choose.
      return { bucketArn: bucketArn(bucketName), accountId: vault.accountId, region: vault.region, kmsKeyArn: key.keyArn };
    };
    this.archives = bucket("archives", names.archivesBucket);
    this.assets = bucket("assets", names.assetsBucket);
    if (copiesState) this.copyState(bucket("state", names.stateBucket), names);

    // The Git credentials of Flux, put by the operator here as in the workload account (docs/vault.md).
    new SecretsmanagerSecret(this, "git-credentials", {
      provider,
      name: environment.flux.gitCredentialsSecretName,
      description: `Vault copy of the Flux Git credentials of ${environment.flux.repositoryUrl} (value put by the operator)`,
      kmsKeyId: key.keyArn,
      recoveryWindowInDays: 30,
      lifecycle: { preventDestroy: true },
    });

    // The workload account's registry replicates its images here (the replication rule is the standby layer's).
    new VaultRegistryPolicy(this, "registry-policy", {
      provider,
      vaultAccountId: vault.accountId,
      vaultRegion: vault.region,
      sourceAccountId: environment.accountId,
    });

    // The database's snapshots: the workload account's plan copies each into the vault's locked backup vault.
    const { Project, Environment } = standardTags(environment);
    const vaultSide = { provider, accountId: vault.accountId, region: vault.region, vaultName: names.backupVault, retentionDays: vault.retentionDays };
    new VaultDatabaseCopies(this, "database-copies", {
      vault: { ...vaultSide, kmsKeyArn: key.keyArn },
      source: {
        provider: this.awsProvider,
        accountId: environment.accountId,
        region: environment.region,
        vaultName: names.sourceBackupVault,
        planName: names.backupPlan,
        roleName: names.backupRole,
        selectionTags: { Project, Environment },
      },
    });

    new TerraformOutput(this, "vault_key_arn", { value: key.keyArn, description: "The vault's key (the copies' SSE-KMS key)" });
  }

  /** The state bucket (the bootstrap stack's) replicates into the vault from here; its key found by alias. */
  private copyState(state: VaultDestination, names: VaultNames): void {
    const environment = this.environment;
    const stateProvider = awsProvider(this, environment, environment.state.region, "state");
    const stateKey = new DataAwsKmsAlias(this, "state-key", { provider: stateProvider, name: stateKeyAlias(environment.state.bucket) });
    new VaultReplication(this, "state-replication", {
      source: { bucketName: environment.state.bucket, bucketArn: bucketArn(environment.state.bucket), kmsKeyArn: stateKey.targetKeyArn },
      sourceRegion: environment.state.region,
      provider: stateProvider,
      roleName: names.stateReplicationRole,
      accountId: environment.accountId,
      vault: state,
    });
  }
}

/** The workload account's roles that write into the vault: the state's (when it copies the state), the archives' and the assets' replication roles. */
function writerRoleArns(environment: PrimaryEnvironment, names: VaultNames, copiesState: boolean): string[] {
  const roles = [...(copiesState ? [names.stateReplicationRole] : []), names.archivesReplicationRole, environmentNames(environment).replicationRole];
  return roles.map((name) => roleArn(environment.accountId, name));
}
