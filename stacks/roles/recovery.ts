import type { Construct } from "constructs";
import type { TerraformRemoteState } from "cdktf";
import { BrokerDefinitionsImport, ReplicatedBackupsSource, SopsReplicaKeyArn } from "../../lib/constructs";
import type { FromPrimary, RecoverySide } from "../../lib/environment";
import { bucketArn, stackId } from "../../lib/naming";
import { targetOf } from "../../lib/targets";
import { StandbyIdentity } from "./peacetime-identity";
import { laterGenerationSource, type BrokerImportContext, type DatabasePlan, type EnvironmentAssets, type EnvironmentRole, type SopsKeySource } from "./role";

/** Id of the primary's application state in every stack that reads it. */
const PRIMARY_STATE = "primary-application-state";

/**
 * A recovery fails over instead of starting over: it serves its primary's assets replica, decrypts
 * with the replica of its primary's SOPS key, restores its primary's database, imports its
 * primary's newest broker definitions, and names the identity its standby layer made in peacetime.
 * What it reads from the primary comes from the primary's state in the state bucket (outside both
 * regions) or from copies already in this region; never from the primary's region.
 */
export class RecoveryRole implements EnvironmentRole {
  public readonly environment: RecoverySide["environment"];
  /** The primary it takes over from (its standby layer writes to the primary's region in peacetime). */
  public readonly primary: RecoverySide["primary"];
  public readonly fromPrimary: FromPrimary;
  public readonly identity: EnvironmentRole["identity"];
  public readonly failover: EnvironmentRole["failover"];
  public readonly databaseLogin: FromPrimary["database"];
  /** The replica of the primary's SOPS key in this region, derived in each stack from the primary's state. */
  public readonly sopsKey: SopsKeySource;

  constructor(side: RecoverySide) {
    this.environment = side.environment;
    this.primary = side.primary;
    this.fromPrimary = side.fromPrimary;
    this.identity = new StandbyIdentity(side.environment);
    // The pilot light and the warm standby check their load balancer as the primary's is checked;
    // backup-and-restore makes no health check: its record's alias target health stands in for it.
    this.failover = { kind: "SECONDARY", healthCheck: side.environment.tier !== "backup-and-restore" };
    this.databaseLogin = side.fromPrimary.database;
    this.sopsKey = {
      arnIn: (scope) =>
        new SopsReplicaKeyArn(scope, "sops-replica-key", {
          primaryState: this.primaryState(scope),
          outputName: this.fromPrimary.applicationState.sopsKeyOutput,
          primaryRegion: this.fromPrimary.region,
          replicaRegion: this.environment.region,
        }).keyArn,
    };
  }

  /** The primary's replica bucket, already in this region, stays managed by the primary's stack. */
  public assets(): EnvironmentAssets {
    const bucketName = this.fromPrimary.assetsBucketName;
    return { assetsBucketName: bucketName, policyBuckets: [{ bucketArn: bucketArn(bucketName) }], sopsKey: this.sopsKey };
  }

  /**
   * Point in time from the primary's replicated backups, or a snapshot, or (a warm standby) a
   * cross-Region read replica of the primary's instance (a later generation: from the one it
   * replaces); the copy for the next outage is its replication stack's.
   */
  public database(scope: Construct): DatabasePlan {
    const restore = this.environment.database.restore;
    const backupReplication = { kind: "separate-stack", stackId: stackId("replication", this.environment.region) } as const;
    const later = laterGenerationSource(this.environment, this.databaseLogin);
    if (later !== undefined) return { source: later, backupReplication };
    if (this.environment.tier === "warm-standby") {
      const { instanceArn, databaseName, username } = this.databaseLogin;
      return { source: { kind: "replica", sourceArn: instanceArn, databaseName, username }, backupReplication };
    }
    if (restore.from === "snapshot") return { source: { kind: "snapshot", snapshotIdentifier: restore.snapshotIdentifier }, backupReplication };
    const source = new ReplicatedBackupsSource(scope, "primary-backups", {
      primaryState: this.primaryState(scope),
      outputName: this.fromPrimary.applicationState.replicatedBackupsOutput,
      automatedBackupsArn: restore.automatedBackupsArn,
    });
    return {
      source: {
        kind: "point-in-time",
        automatedBackupsArn: source.automatedBackupsArn,
        restoreTime: restore.restoreTime,
        // A restored instance keeps the source's master user; another name here would be a change
        // Terraform cannot make in place (username forces replacement, which prevent_destroy blocks).
        username: this.databaseLogin.username,
        databaseName: this.databaseLogin.databaseName,
        check: { condition: source.foundCondition, errorMessage: source.missingMessage },
      },
      backupReplication,
    };
  }

  /** A recovery's Git credentials are its primary's secret's replica: the primary's application stack makes both. */
  public gitCredentials(): void {}

  /**
   * Amazon MQ has no cross-region replication: the primary's newest export rebuilds the topology
   * (a warm standby's standing broker imports it again on a schedule; messages are lost either way).
   */
  public brokerImport(scope: Construct, context: BrokerImportContext): BrokerDefinitionsImport["resource"][] {
    const imported = new BrokerDefinitionsImport(scope, "broker-definitions-import", {
      namespace: context.namespace,
      serviceAccountName: context.serviceAccountName,
      bucketName: this.fromPrimary.archiveBucketName,
      bucketRegion: this.environment.region,
      managementUrl: context.managementUrl,
      adminUsername: this.environment.broker.adminUsername,
      adminSecret: context.adminSecret,
      registry: context.registry,
      // A warm standby's broker stands: the primary's newest topology again on the backups' schedule.
      schedule: this.environment.tier === "warm-standby" ? this.environment.backups.schedule : undefined,
    });
    return [imported.resource];
  }

  /** The primary's application state, read once per stack (the state bucket is outside both regions). */
  public primaryState(scope: Construct): TerraformRemoteState {
    const existing = scope.node.tryFindChild(PRIMARY_STATE) as TerraformRemoteState | undefined;
    const { stackId: id, state } = this.fromPrimary.applicationState;
    return existing ?? targetOf(scope).readState(scope, PRIMARY_STATE, id, state);
  }
}
