import { BackupClient } from "@aws-sdk/client-backup";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { KMSClient } from "@aws-sdk/client-kms";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { servingDatabaseIdentifier, type PrimaryEnvironment, type RecoveryEnvironment } from "../environment";
import { environmentNames } from "../naming";
import { assertClientRegions, awsClient, type ClientSettings } from "./aws/clients";
import { formatTime } from "./checks/recovery-point";
import { assetsRow } from "./checks/status/assets";
import { brokerDefinitionsRow } from "./checks/status/broker-definitions";
import { databaseArchivesRow } from "./checks/status/database-archives";
import { rehearsalsRow } from "./checks/status/rehearsals";
import { restoreTestsRow } from "./checks/status/restore-tests";
import { probeRehearsals } from "./probes/rehearsals";
import { probeRestoreTests } from "./probes/restore-tests";
import { databaseBackupsRow } from "./checks/status/database-backups";
import { databaseReplicaRow } from "./checks/status/database-replica";
import type { Reading } from "./aws/errors";
import { probeDatabaseInstance } from "./probes/database-instance";
import { probeReplicaLag, type ReplicaLag } from "./probes/replica-lag";
import { REAL_ACCOUNT, type StatusRow, type StatusTarget, type StatusVerdict } from "./checks/status/row";
import { sopsKeyRow } from "./checks/status/sops-key";
import { probeAssetsReplication } from "./probes/assets-replication";
import { probeNewestDefinitions } from "./probes/broker-definitions";
import { probeNewestArchive } from "./probes/newest-archive";
import { probeReplicatedBackups } from "./probes/replicated-backups";
import { probeSopsKey } from "./probes/sops-key";
import { hasVault } from "./checks/status/vault-replication";
import { probeVaultCopies, vaultRows } from "./status-vault";

/**
 * `status <recovery region>`: how much data a recovery would lose right now. For each data store of
 * the primary it reads the newest copy in the recovery region (and, for the assets, the source in
 * the primary's region), and compares its age with the primary's `recoveryObjectives`. It only
 * reads: regional S3, RDS, KMS and AWS Backup APIs, never IAM or Route 53. A primary with a vault
 * account gets the vault's rows too (its copies' rules and age), read in the workload account only.
 */

export interface StatusResult {
  readonly recoveryRegion: string;
  readonly primaryRegion: string;
  /** The time every age is measured from. */
  readonly checkedAt: Date;
  readonly rows: readonly StatusRow[];
}

/** AWS clients, each bound to the region its rows may read. */
export interface StatusClients {
  /** S3 in the recovery region: the hosting-services bucket and the assets replica. */
  readonly s3: S3Client;
  /** RDS in the recovery region: the replicated automated backups. */
  readonly rds: RDSClient;
  /** KMS in the recovery region: the SOPS replica key. */
  readonly kms: KMSClient;
  /** S3 in the primary's region: the assets bucket and its replication rule (dark during an outage). */
  readonly primaryS3: S3Client;
  /**
   * CloudWatch in the recovery region: a warm standby's replica lag.
   * @default - a warm standby's replica row says the lag was not read
   */
  readonly cloudwatch?: CloudWatchClient;
  /**
   * S3 in the state bucket's region (`primary.state.region`): the state bucket's vault rule.
   * @default - none; required when the primary has a vault
   */
  readonly stateS3?: S3Client;
  /**
   * AWS Backup in the primary's region: the snapshot copy jobs into the vault.
   * @default - none; required when the primary has a vault
   */
  readonly backup?: BackupClient;
}

/** What an extra row reads: the environments, the clients, the clock and the deployment target. */
export interface StatusContext {
  readonly recovery: RecoveryEnvironment;
  readonly primary: PrimaryEnvironment;
  readonly clients: StatusClients;
  readonly now: Date;
  readonly target: StatusTarget;
}

/** A row added by another feature through `StatusOptions.extraChecks` (site health, ...). */
export type StatusCheck = (context: StatusContext) => Promise<StatusRow>;

export interface StatusOptions {
  /** @default - the current time */
  readonly now?: Date;
  /**
   * The deployment target the stacks went to: a store its gaps explain is reported `unknown` with
   * the gap's reason instead of `missed`.
   * @default - a real AWS account (no gaps)
   */
  readonly target?: StatusTarget;
  /**
   * Source objects whose ReplicationStatus is read (HeadObject), newest first.
   * @default 50
   */
  readonly sampleSize?: number;
  /**
   * Up to this many keys, source and replica are listed completely and their keys compared.
   * @default 1000
   */
  readonly smallBucketObjects?: number;
  /**
   * Rows added after the built-in ones, in this order.
   * @default - none
   */
  readonly extraChecks?: readonly StatusCheck[];
  /**
   * The primary's region is declared lost (`recover`): nothing is read there; the assets row says
   * what the replica holds.
   * @default false
   */
  readonly outage?: boolean;
}

/** Clients for `runStatus` from the one factory: a dark primary is reported within seconds. */
export function statusClients(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, settings: ClientSettings = {}): StatusClients {
  return {
    s3: awsClient(S3Client, recovery.region, settings),
    rds: awsClient(RDSClient, recovery.region, settings),
    kms: awsClient(KMSClient, recovery.region, settings),
    primaryS3: awsClient(S3Client, primary.region, settings),
    cloudwatch: awsClient(CloudWatchClient, recovery.region, settings),
    ...(primary.vault ? { stateS3: awsClient(S3Client, primary.state.region, settings), backup: awsClient(BackupClient, primary.region, settings) } : {}),
  };
}

/** Every row, in a fixed order: the built-in stores, then `extraChecks`. The facts are read concurrently. */
export async function runStatus(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  clients: StatusClients,
  options: StatusOptions = {},
): Promise<StatusResult> {
  if (recovery.recoveryOf !== primary.region) throw new Error(`runStatus: ${recovery.region} recovers ${recovery.recoveryOf}, not ${primary.region}`);
  // A row must read the region it names.
  await assertClientRegions("runStatus", [
    ["s3", clients.s3, recovery.region],
    ["rds", clients.rds, recovery.region],
    ["kms", clients.kms, recovery.region],
    ["primaryS3", clients.primaryS3, primary.region],
    ...(clients.cloudwatch ? [["cloudwatch", clients.cloudwatch, recovery.region] as const] : []),
    ...(primary.vault
      ? ([
          ["stateS3", clients.stateS3, primary.state.region, " for a primary with a vault (its state bucket's vault rule)"],
          ["backup", clients.backup, primary.region, " for a primary with a vault (its snapshots' copy jobs)"],
        ] as const)
      : []),
  ]);
  const now = options.now ?? new Date();
  const target = options.target ?? REAL_ACCOUNT;
  const smallBucketObjects = options.smallBucketObjects ?? 1000;
  const bucket = environmentNames(primary).hostingServicesBucket;
  const r = recovery.region;
  const context: StatusContext = { recovery, primary, clients, now, target };
  const newestArchive = probeNewestArchive(clients.s3, bucket, r, { database: primary.database.databaseName });
  const vaulted = hasVault(primary) ? primary : undefined;
  const [replica, backups, archive, restoreTests, pointInTimeTests, rehearsals, assets, definitions, key, vault, extra] = await Promise.all([
    recovery.tier === "warm-standby" ? probeWarmStandbyReplica(recovery, clients, now) : undefined,
    probeReplicatedBackups(clients.rds, primary, r),
    newestArchive,
    probeRestoreTests(clients.s3, bucket, r),
    primary.backups.restoreTest.pointInTime ? probeRestoreTests(clients.s3, bucket, r, "point-in-time") : undefined,
    recovery.rehearsal ? probeRehearsals(clients.s3, bucket, r) : undefined,
    probeAssetsReplication(clients, primary, r, { sampleSize: options.sampleSize ?? 50, smallBucketObjects, sourceLost: options.outage }),
    probeNewestDefinitions(clients.s3, bucket, r),
    probeSopsKey(clients.kms, primary, r),
    // assertClientRegions above refused a vaulted primary's status without stateS3 and backup.
    vaulted
      ? probeVaultCopies(
          { ...clients, stateS3: clients.stateS3!, backup: clients.backup! },
          vaulted,
          newestArchive,
          now,
          options.outage ? primary.region : undefined,
        )
      : undefined,
    Promise.all((options.extraChecks ?? []).map((check) => check(context))),
  ]);
  const rows = [
    ...(replica ? [databaseReplicaRow(recovery, primary, replica.instance, replica.lag, target, now)] : []),
    databaseBackupsRow(recovery, primary, backups, target, now),
    databaseArchivesRow(recovery, primary, archive, now),
    restoreTestsRow(primary, restoreTests, now),
    ...(pointInTimeTests ? [restoreTestsRow(primary, pointInTimeTests, now, "point-in-time")] : []),
    ...(rehearsals ? [rehearsalsRow(recovery, bucket, rehearsals, now)] : []),
    assetsRow(primary, assets, target, now, smallBucketObjects),
    brokerDefinitionsRow(recovery, primary, definitions, now),
    sopsKeyRow(recovery, primary, key, target),
    ...(vaulted && vault ? vaultRows(vaulted, vault, target, now) : []),
    ...extra,
  ];
  return { recoveryRegion: recovery.region, primaryRegion: primary.region, checkedAt: now, rows };
}

/** A warm standby's replica and its newest lag (read only when the instance is still a replica). */
async function probeWarmStandbyReplica(recovery: RecoveryEnvironment, clients: StatusClients, now: Date) {
  const identifier = servingDatabaseIdentifier(recovery);
  const instance = await probeDatabaseInstance(clients.rds, identifier, recovery.region);
  const noClient: Reading<ReplicaLag> = {
    ok: false,
    failure: {
      kind: "other",
      name: "NoClient",
      call: `CloudWatch GetMetricStatistics AWS/RDS ReplicaLag of ${identifier}`,
      region: recovery.region,
      description: "no CloudWatch client was given to runStatus",
    },
  };
  const lag = clients.cloudwatch ? await probeReplicaLag(clients.cloudwatch, identifier, recovery.region, now) : noClient;
  return { instance, lag };
}

/** 1 when a target is missed, or a row is unknown for another reason than the target's gaps (nothing proves it met); else 0. */
export function statusExitCode(result: StatusResult): number {
  return result.rows.some((r) => r.verdict === "missed" || (r.verdict === "unknown" && r.gap === undefined)) ? 1 : 0;
}

const VERDICT_LABEL: Record<StatusVerdict, string> = { met: "met", missed: "MISSED", unknown: "unknown" };

/** The table (store, recovery point / state, target, verdict), then each row's detail and fix. */
export function formatStatus(result: StatusResult): string {
  const count = (v: StatusVerdict) => result.rows.filter((r) => r.verdict === v).length;
  const header = ["STORE", "RECOVERY POINT / STATE", "TARGET", "VERDICT"];
  const cells = result.rows.map((r) => [r.store, r.state, r.target, VERDICT_LABEL[r.verdict]]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ");
  const lines = [
    `Recovery points of ${result.primaryRegion}'s data in ${result.recoveryRegion} at ${formatTime(result.checkedAt)}: ${count("met")} met, ${count("missed")} missed, ${count("unknown")} unknown`,
    "",
    line(header),
    ...cells.map(line),
    "",
  ];
  for (const row of result.rows) {
    lines.push(`${row.store} [${row.id}]: ${VERDICT_LABEL[row.verdict]}`);
    lines.push(...row.detail.split("\n").map((l) => `  ${l}`));
    if (row.verdict !== "met") row.fix.split("\n").forEach((l, i) => lines.push(`  ${i === 0 ? "fix: " : "     "}${l}`));
  }
  return `${lines.join("\n")}\n`;
}
