import { databaseArn, environmentNames, regionalNames, REPLICATED_BACKUPS_OUTPUT, SOPS_KEY_OUTPUT, stackId } from "../naming";
import { servingDatabaseIdentifier } from "./generations";
import type { Environment, PrimaryEnvironment, RecoveryEnvironment } from "./schema";

/**
 * What a recovery takes from its primary, decided once when the environments are loaded: where
 * it reads the primary's state during the outage (the state bucket, outside both regions), and
 * the primary's copies that already live in the recovery's region. Nothing here is read from the
 * primary's region.
 */
export interface FromPrimary {
  /** The primary's region (dark during the outage). */
  readonly region: string;
  /** The primary's application stack: its state's outputs name the SOPS key and the replicated backups. */
  readonly applicationState: {
    readonly stackId: string;
    readonly state: { readonly bucket: string; readonly region: string };
    /** Output with the ARN of the primary's SOPS key (its replica's ARN is derived from it). */
    readonly sopsKeyOutput: string;
    /** Output with the ARN of the primary's automated backups replicated into the recovery's region. */
    readonly replicatedBackupsOutput: string;
  };
  /** The primary's assets replica, in the recovery's region: the recovery serves its assets from it. */
  readonly assetsBucketName: string;
  /** The primary's archive bucket, in the recovery's region: its broker definitions exports. */
  readonly archiveBucketName: string;
  /** Alias of the primary's archive key (the archive bucket's SSE-KMS key), in the recovery's region. */
  readonly archiveKeyAlias: string;
  /**
   * A restored database keeps the primary's database name and master user. `instanceArn`: the
   * primary's serving instance, the source of a warm standby's cross-Region read replica (its
   * region's API is called in peacetime only, when the replica is created).
   */
  readonly database: { readonly databaseName: string; readonly username: string; readonly instanceArn: string };
}

/** A primary with the recoveries that take over from it. */
export interface PrimarySide {
  readonly role: "primary";
  readonly environment: PrimaryEnvironment;
  readonly recoveries: readonly RecoveryEnvironment[];
}

/** A recovery with the primary it takes over from. */
export interface RecoverySide {
  readonly role: "recovery";
  readonly environment: RecoveryEnvironment;
  readonly primary: PrimaryEnvironment;
  readonly fromPrimary: FromPrimary;
}

/** An environment with its pair resolved. */
export type ResolvedEnvironment = PrimarySide | RecoverySide;

/** What a recovery of `primary` takes from it. */
export function fromPrimary(primary: PrimaryEnvironment): FromPrimary {
  const names = environmentNames(primary);
  return {
    region: primary.region,
    applicationState: {
      stackId: stackId("application", primary.region),
      state: primary.state,
      sopsKeyOutput: SOPS_KEY_OUTPUT,
      replicatedBackupsOutput: REPLICATED_BACKUPS_OUTPUT,
    },
    assetsBucketName: names.drAssetsBucket,
    archiveBucketName: names.hostingServicesBucket,
    archiveKeyAlias: regionalNames(primary.project, primary.region).archiveKeyAlias,
    database: {
      databaseName: primary.database.databaseName,
      username: primary.database.username,
      instanceArn: databaseArn(primary.region, primary.accountId, servingDatabaseIdentifier(primary)),
    },
  };
}

/**
 * Resolves every environment's pair: each primary with its recoveries, each recovery with its
 * primary. Primaries come first (a recovery's stacks read its primary's). The loader has checked
 * that every `recoveryOf` names a primary among `environments`; a caller that skipped it gets an
 * error naming the missing primary.
 */
export function resolvePairs(environments: readonly Environment[]): ResolvedEnvironment[] {
  const primaries = new Map<string, PrimaryEnvironment>();
  for (const environment of environments) if (environment.role === "primary") primaries.set(environment.region, environment);
  const recoveries = environments.filter((e): e is RecoveryEnvironment => e.role === "recovery");
  const resolved: ResolvedEnvironment[] = [...primaries.values()].map((environment) => ({
    role: "primary",
    environment,
    recoveries: recoveries.filter((r) => r.recoveryOf === environment.region),
  }));
  for (const environment of recoveries) {
    const primary = primaries.get(environment.recoveryOf);
    if (!primary) throw new Error(`resolvePairs: the recovery ${environment.region} needs its primary ${environment.recoveryOf} among the environments`);
    resolved.push({ role: "recovery", environment, primary, fromPrimary: fromPrimary(primary) });
  }
  return resolved;
}

/**
 * Where an environment's archives (and the evidence reports of its recoveries) are read and
 * written without its primary's region: a recovery uses its primary's archive bucket, which lives
 * in the recovery's region; a primary its own, which lives in its `drRegion`.
 */
export function archivesOf(side: ResolvedEnvironment): { readonly bucket: string; readonly region: string } {
  return side.role === "recovery"
    ? { bucket: side.fromPrimary.archiveBucketName, region: side.environment.region }
    : { bucket: environmentNames(side.environment).hostingServicesBucket, region: side.environment.drRegion };
}
