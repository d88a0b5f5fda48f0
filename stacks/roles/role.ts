import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { AccessLogBucket, BackupReplicationPlacement, DatabaseSource, VaultDestination } from "../../lib/constructs";
import type { Environment } from "../../lib/environment";
import { databaseIdentifier } from "../../lib/naming";
import type { ImageRegistry } from "../../lib/kubernetes";
import type { IdentitySource } from "./peacetime-identity";

/** The key SOPS decrypts with in the environment's region, as a stack that needs it reads it. */
export interface SopsKeySource {
  /** Its ARN in `scope` (a cross-stack reference, or derived inside `scope` from the primary's state). */
  arnIn(scope: Construct): string;
}

/** The assets of application-<region>: where the workloads keep them, and the SOPS key. */
export interface EnvironmentAssets {
  readonly assetsBucketName: string;
  /** The buckets the workloads' assets policy covers. */
  readonly policyBuckets: readonly { readonly bucketArn: string }[];
  readonly sopsKey: SopsKeySource;
}

/** The database of application-<region>: what it starts from, and where its backups' copy is made. */
export interface DatabasePlan {
  readonly source: DatabaseSource;
  /** @default - no replication (only with `replicateBackups: false`) */
  readonly backupReplication?: BackupReplicationPlacement;
  /** Whether the database's automated backups are replicated at all. @default true */
  readonly replicateBackups?: boolean;
}

/**
 * Where a later database generation (2 or more) comes from, whatever the role: a point-in-time
 * restore from the generation it replaces, or an empty instance an archive is loaded into
 * (`restore-database --from-archive`), or, once the restore is over (no restoredFrom), an instance
 * restored earlier; undefined for generation 1 (the role decides).
 */
export function laterGenerationSource(
  environment: Environment,
  login: { readonly databaseName: string; readonly username: string },
): DatabaseSource | undefined {
  const from = environment.database.restoredFrom;
  if (environment.database.generation === 1) return undefined;
  if (from === undefined) return { kind: "restored", ...login };
  if (from.from === "archive") return { kind: "empty", ...login };
  return {
    kind: "instance-point-in-time",
    sourceIdentifier: databaseIdentifier(environment.project, environment.region, from.generation),
    restoreTime: from.restoreTime,
    // A restored instance keeps its source's master user and database name.
    username: login.username,
    databaseName: login.databaseName,
  };
}

/** What the workloads' backup pods run as, for the broker definitions import. */
export interface BrokerImportContext {
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly managementUrl: string;
  /** The administrator's Secrets Manager secret, read by the import when it runs. */
  readonly adminSecret: { readonly secretName: string; readonly region: string };
  /** The account's registry in the region: the jobs' images come from it. */
  readonly registry: ImageRegistry;
}

/**
 * What a primary and a recovery build differently, resolved once per environment (app/assemble.ts
 * picks `PrimaryRole` or `RecoveryRole` from the resolved pair). The stacks ask their role and
 * never test which one it is: a primary makes what a recovery finds, names or restores.
 */
/** What the application stack gives a role's assets: the drRegion provider and log bucket, the vault's assets copy. */
export interface AssetsContext {
  readonly drProvider: AwsProvider;
  readonly drAccessLogs: AccessLogBucket;
  /** A primary with a vault: where its assets are copied as well (VaultStack's `assets`). */
  readonly vault?: VaultDestination;
}

/** What the application stack gives the Git credentials secret: the drRegion provider and the environment's data key. */
export interface GitCredentialsContext {
  readonly drProvider: AwsProvider;
  readonly dataKeyArn: string;
}

export interface EnvironmentRole {
  readonly environment: Environment;
  /** The environment's keys and IAM: made in place (a primary) or named (a recovery: its standby layer made them). */
  readonly identity: IdentitySource;
  /** The failover record of networking-<region>, and whether it carries a health check; undefined for a rehearsal generation (no record). */
  readonly failover: { readonly kind: "PRIMARY" | "SECONDARY"; readonly healthCheck: boolean } | undefined;
  /** The database name and master user the workloads log in with (a restored database keeps its source's). */
  readonly databaseLogin: { readonly databaseName: string; readonly username: string };
  /** application-<region>: the assets bucket and the SOPS key. */
  assets(scope: Construct, context: AssetsContext): EnvironmentAssets;
  /** application-<region>: the database's source and its backups' copy. */
  database(scope: Construct): DatabasePlan;
  /** application-<region>: Flux's Git credentials secret, by the environment that owns it (a primary, with its replica in drRegion). */
  gitCredentials(scope: Construct, context: GitCredentialsContext): void;
  /** workloads-<region>: what must be in the broker before its users and the workloads; what waits for it. */
  brokerImport(scope: Construct, context: BrokerImportContext): ITerraformDependable[];
}
