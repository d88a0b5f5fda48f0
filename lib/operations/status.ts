import type { Agent } from "https";
import { KMSClient } from "@aws-sdk/client-kms";
import { DescribeDBInstanceAutomatedBackupsCommand, RDSClient, type DBInstanceAutomatedBackup } from "@aws-sdk/client-rds";
import {
  GetBucketReplicationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type _Object,
  type ReplicationRule,
} from "@aws-sdk/client-s3";
import { REPLICATION_REPORT_PREFIX, REPLICATION_RULE_ID } from "../constructs/dr-assets-bucket";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../environment";
import { BACKUP_JOB_SERVICE_ACCOUNT, bucketArn, globalNames, kubeconfigCommand, regionalNames, stackId } from "../naming";
import type { TargetGap } from "../targets";
import { checkSopsKey, formatAge, isUnreachable } from "./preflight";
import { ARCHIVE_PREFIX, parseManifest } from "./verify-backup";

/**
 * `status <recovery region>`: how much data a recovery would lose right now. For each data store of
 * the primary it reads the newest copy in the recovery region (and, for the assets, the source in
 * the primary's region), and compares its age with the primary's `recoveryObjectives`. It only
 * reads: regional S3, RDS and KMS APIs, never IAM or Route 53.
 */

export type StatusVerdict = "met" | "missed" | "unknown";

export interface StatusRow {
  /** Stable id for scripts (`database-backups`, ...; other rows may add their own). */
  readonly id: string;
  /** What the operator reads in the table. */
  readonly store: string;
  /** The store's recovery point: writes after it would be lost. Undefined when not a time or unknown. */
  readonly recoveryPoint?: Date;
  /** The table's "recovery point / state" cell. */
  readonly state: string;
  /** The table's "target" cell. */
  readonly target: string;
  readonly verdict: StatusVerdict;
  /** What was found; never a secret. */
  readonly detail: string;
  /** The command or change that makes the row meet its target; empty when met. */
  readonly fix: string;
  /** The deployment target's gap that explains an `unknown` (the target cannot serve the store). */
  readonly gap?: string;
}

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
}

/** What a row reads: the environments, the clients, the clock and the deployment target. */
export interface StatusContext {
  readonly recovery: RecoveryEnvironment;
  readonly primary: PrimaryEnvironment;
  readonly clients: StatusClients;
  readonly now: Date;
  readonly target: StatusTarget;
  readonly sampleSize: number;
  readonly smallBucketObjects: number;
}

/** One row's check. Other features add rows through `StatusOptions.extraChecks` (site health, ...). */
export type StatusCheck = (context: StatusContext) => Promise<StatusRow>;

/** The part of a deployment target status needs: what it cannot serve, and what to call it. */
export interface StatusTarget {
  readonly description: string;
  readonly shortName?: string;
  readonly gaps: readonly TargetGap[];
}

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
}

/** First key segment of the broker definitions exports (backup/broker-definitions.sh). */
export const DEFINITIONS_PREFIX = "rabbitmq";

const REAL_ACCOUNT: StatusTarget = { description: "AWS account", gaps: [] };

// ---------------------------------------------------------------------------------------------
// Verdicts: pure, tested with fixed clocks.

/**
 * Clock difference tolerated between AWS's timestamps and this machine: a recovery point up to a
 * minute "in the future" is skew, not a fault.
 */
export const CLOCK_SKEW_MS = 60_000;

/** A time as the table prints it (UTC, whole seconds). */
export function formatTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Minutes as the table prints them. */
export function formatMinutes(minutes: number): string {
  return minutes < 60 || minutes % 60 !== 0 ? `${minutes} min` : `${minutes / 60} h`;
}

/** The verdict on a recovery point against a target in minutes, measured at `now`. */
export function judgeRecoveryPoint(point: Date, targetMinutes: number, now: Date): { readonly verdict: StatusVerdict; readonly state: string } {
  const age = now.getTime() - point.getTime();
  if (age < -CLOCK_SKEW_MS) return { verdict: "unknown", state: `${formatTime(point)} (in the future: check this machine's clock)` };
  const shown = Math.max(age, 0);
  return { verdict: shown <= targetMinutes * 60_000 ? "met" : "missed", state: `${formatTime(point)} (${formatAge(shown)})` };
}

/** The target's gap that concerns a resource type: `aws_x` matches `aws_x` and `aws_x (...)`. */
export function gapFor(target: StatusTarget, resourceType: string): TargetGap | undefined {
  return target.gaps.find((gap) => gap.resourceTypes.some((t) => t === resourceType || t.startsWith(`${resourceType} `)));
}

/** The row of a store the target cannot serve. */
function notServed(row: Pick<StatusRow, "id" | "store" | "target">, target: StatusTarget, gap: TargetGap, found: string): StatusRow {
  return {
    ...row,
    state: `unknown (not served by ${target.shortName ?? target.description})`,
    verdict: "unknown",
    detail: `${found}; ${gap.reason}`,
    fix: `nothing to fix in ${target.shortName ?? target.description}; a real account serves it`,
    gap: gap.id,
  };
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

// ---------------------------------------------------------------------------------------------
// Running the checks.

/** Settings of the clients `statusClients` makes (as preflight's). */
export interface StatusClientSettings {
  /**
   * One endpoint for every service (the local emulator).
   * @default - AWS's endpoints
   */
  readonly endpoint?: string;
  /** @default - the SDK's credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * Agent for TLS (a custom certificate authority).
   * @default - Node's default agent
   */
  readonly httpsAgent?: Agent;
  /**
   * Milliseconds to wait for a connection: a dark region must be reported, not waited for.
   * @default 3000
   */
  readonly connectionTimeoutMs?: number;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
  /** @default 2 */
  readonly maxAttempts?: number;
}

/** Clients for `runStatus`, with short timeouts so that a dark primary is reported within seconds. */
export function statusClients(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, settings: StatusClientSettings = {}): StatusClients {
  const config = (region: string) => ({
    region,
    maxAttempts: settings.maxAttempts ?? 2,
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs ?? 3000,
      requestTimeout: settings.requestTimeoutMs ?? 10000,
      throwOnRequestTimeout: true,
      httpsAgent: settings.httpsAgent,
    },
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  });
  // Path-style only for a custom endpoint: the emulator does not serve bucket subdomains.
  const pathStyle = settings.endpoint !== undefined;
  return {
    s3: new S3Client({ ...config(recovery.region), forcePathStyle: pathStyle }),
    rds: new RDSClient(config(recovery.region)),
    kms: new KMSClient(config(recovery.region)),
    primaryS3: new S3Client({ ...config(primary.region), forcePathStyle: pathStyle }),
  };
}

async function regionOf(client: { config: { region: unknown } }): Promise<string> {
  const region = client.config.region;
  return typeof region === "function" ? await region() : String(region);
}

/** Refuses clients bound to the wrong region: a row must read the region it names. */
async function assertClientRegions(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, clients: StatusClients): Promise<void> {
  const expected: [keyof StatusClients, string][] = [
    ["s3", recovery.region],
    ["rds", recovery.region],
    ["kms", recovery.region],
    ["primaryS3", primary.region],
  ];
  const problems: string[] = [];
  for (const [name, region] of expected) {
    const actual = await regionOf(clients[name]);
    if (actual !== region) problems.push(`clients.${name} must be bound to ${region} (got ${actual})`);
  }
  if (problems.length > 0) throw new Error(`runStatus: ${problems.join("; ")}`);
}

/** Every row, in a fixed order: the built-in stores, then `extraChecks`. The checks run concurrently. */
export async function runStatus(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  clients: StatusClients,
  options: StatusOptions = {},
): Promise<StatusResult> {
  if (recovery.recoveryOf !== primary.region) throw new Error(`runStatus: ${recovery.region} recovers ${recovery.recoveryOf}, not ${primary.region}`);
  await assertClientRegions(recovery, primary, clients);
  const context: StatusContext = {
    recovery,
    primary,
    clients,
    now: options.now ?? new Date(),
    target: options.target ?? REAL_ACCOUNT,
    sampleSize: options.sampleSize ?? 50,
    smallBucketObjects: options.smallBucketObjects ?? 1000,
  };
  const checks: StatusCheck[] = [databaseBackups, databaseArchives, assets, brokerDefinitions, sopsKey, ...(options.extraChecks ?? [])];
  const rows = await Promise.all(checks.map((check) => check(context)));
  return { recoveryRegion: recovery.region, primaryRegion: primary.region, checkedAt: context.now, rows };
}

// ---------------------------------------------------------------------------------------------
// How a failed call is reported.

type SdkError = Error & { $metadata?: { httpStatusCode?: number } };

function describeError(error: unknown): string {
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  return `${e.name}${status === undefined ? "" : ` (HTTP ${status})`}: ${e.message}`;
}

/** A row whose call failed in a way the row does not handle: nothing is known. */
function callFailed(row: Pick<StatusRow, "id" | "store" | "target">, what: string, region: string, error: unknown): StatusRow {
  if ((error as Error).name === "CredentialsProviderError") {
    return {
      ...row,
      state: "unknown (no AWS credentials)",
      verdict: "unknown",
      detail: `${what}: no AWS credentials`,
      fix: "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the environment's account and run again",
    };
  }
  if (isUnreachable(error)) {
    return {
      ...row,
      state: `unknown (${region} did not answer)`,
      verdict: "unknown",
      detail: `${what} in ${region} got no answer: ${describeError(error)}`,
      fix: `check the network path and AWS's health for ${region}, then run again`,
    };
  }
  return {
    ...row,
    state: "unknown (refused)",
    verdict: "unknown",
    detail: `${what} in ${region} failed: ${describeError(error)}`,
    fix: `allow the caller ${what} in ${region} (read-only) and run again`,
  };
}

const isNoSuchBucket = (error: unknown) => (error as Error).name === "NoSuchBucket";

// ---------------------------------------------------------------------------------------------
// The rows.

async function databaseBackups(context: StatusContext): Promise<StatusRow> {
  const { recovery, primary, clients, now, target } = context;
  const source = regionalNames(primary.project, primary.region).database;
  const minutes = primary.recoveryObjectives.databaseBackupsMinutes;
  const row = { id: "database-backups", store: "database backups", target: formatMinutes(minutes) };
  let backups: DBInstanceAutomatedBackup[];
  try {
    backups = (await clients.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: source }))).DBInstanceAutomatedBackups ?? [];
  } catch (error) {
    if ((error as Error).name !== "DBInstanceAutomatedBackupNotFoundFault")
      return callFailed(row, `RDS DescribeDBInstanceAutomatedBackups of ${source}`, recovery.region, error);
    backups = [];
  }
  const fix = `npx cdktf deploy ${stackId("application", primary.region)}   # its aws_db_instance_automated_backups_replication copies ${source}'s backups into ${recovery.region}`;
  if (backups.length === 0) {
    const found = `no automated backups of ${source} in ${recovery.region}`;
    const gap = gapFor(target, "aws_db_instance_automated_backups_replication");
    if (gap) return notServed(row, target, gap, found);
    return { ...row, state: "none", verdict: "missed", detail: found, fix };
  }
  const latest = backups
    .filter((b) => b.RestoreWindow?.LatestTime !== undefined)
    .sort((a, b) => b.RestoreWindow!.LatestTime!.getTime() - a.RestoreWindow!.LatestTime!.getTime())[0];
  if (!latest) {
    const states = backups.map((b) => b.Status ?? "unknown").join(", ");
    return {
      ...row,
      state: "no restorable time",
      verdict: "missed",
      detail: `automated backups of ${source} are in ${recovery.region} (status ${states}) but have no restorable time yet`,
      fix: `wait for the first replicated backup and run again; if it stays so:\n${fix}`,
    };
  }
  const point = latest.RestoreWindow!.LatestTime!;
  const judged = judgeRecoveryPoint(point, minutes, now);
  return {
    ...row,
    recoveryPoint: point,
    ...judged,
    detail: `${latest.DBInstanceAutomatedBackupsArn ?? "(no ARN)"} (status ${latest.Status ?? "unknown"}): latest restorable time ${formatTime(point)}`,
    fix:
      judged.verdict === "met"
        ? ""
        : `RDS ships transaction logs every 5 minutes: a restorable time older than that means the replication lags or stopped; aws rds describe-db-instance-automated-backups --region ${recovery.region} --db-instance-identifier ${source}, and if Status is not "replicating":\n${fix}`,
  };
}

/** Every key under `prefix` in a bucket (the prefix carries no "/": see docs/backups.md's emulator gaps). */
async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<_Object[]> {
  const objects: _Object[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    objects.push(...(page.Contents ?? []));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** `20261121T030000Z` as a time. */
function stampTime(stamp: string): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stamp)!;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** Where to look when a job stopped producing copies: its CronJob in the primary's cluster. */
function jobFix(primary: PrimaryEnvironment, what: string): string {
  const cluster = regionalNames(primary.project, primary.region).cluster;
  return [
    `${kubeconfigCommand(primary.region, cluster)} && kubectl -n ${BACKUP_JOB_SERVICE_ACCOUNT.namespace} get cronjobs,jobs   # is the ${what} job scheduled and succeeding?`,
    `kubectl -n ${BACKUP_JOB_SERVICE_ACCOUNT.namespace} logs job/<the newest failed job>   # then fix what it names and run the CronJob once: kubectl create job --from=cronjob/<name> <name>-manual`,
  ].join("\n");
}

async function databaseArchives(context: StatusContext): Promise<StatusRow> {
  const { recovery, primary, clients, now } = context;
  const bucket = globalNames(primary.project, primary.region).hostingServicesBucket;
  const database = primary.database.databaseName;
  const minutes = primary.recoveryObjectives.databaseArchivesMinutes;
  const row = { id: "database-archives", store: "database archives", target: formatMinutes(minutes) };
  const pattern = new RegExp(`^${ARCHIVE_PREFIX}/([^/]+)/(\\d{8}T\\d{6}Z)/manifest\\.json$`);
  let newest: { key: string; stamp: string } | undefined;
  try {
    for (const object of await listKeys(clients.s3, bucket, ARCHIVE_PREFIX)) {
      const match = object.Key ? pattern.exec(object.Key) : null;
      if (!match || match[1] !== database) continue;
      if (!newest || match[2] > newest.stamp) newest = { key: object.Key!, stamp: match[2] };
    }
  } catch (error) {
    if (isNoSuchBucket(error)) {
      return {
        ...row,
        state: "none",
        verdict: "missed",
        detail: `no bucket ${bucket} in ${recovery.region}`,
        fix: `npx cdktf deploy ${stackId("application", primary.region)}   # it creates ${bucket}`,
      };
    }
    return callFailed(row, `S3 ListObjectsV2 of ${bucket}`, recovery.region, error);
  }
  if (!newest) {
    return {
      ...row,
      state: "none",
      verdict: "missed",
      detail: `no archive with a manifest.json under s3://${bucket}/${ARCHIVE_PREFIX}/${database}/`,
      fix: jobFix(primary, "database archive"),
    };
  }
  let manifest;
  try {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: newest.key }));
    manifest = parseManifest(await object.Body!.transformToString("utf8"), newest.key);
  } catch (error) {
    return {
      ...row,
      state: "unreadable manifest",
      verdict: "missed",
      detail: `s3://${bucket}/${newest.key}: ${error instanceof Error && !("$metadata" in error) ? error.message : describeError(error)}`,
      fix: `the newest archive cannot be trusted without its manifest: ${jobFix(primary, "database archive")}`,
    };
  }
  const point = new Date(manifest.snapshotAt);
  const judged = judgeRecoveryPoint(point, minutes, now);
  return {
    ...row,
    recoveryPoint: point,
    ...judged,
    detail: [
      `s3://${bucket}/${newest.key}`,
      `database ${manifest.database}, PostgreSQL ${manifest.serverVersion}, ${manifest.archive.bytes} bytes, sha256 ${manifest.archive.sha256.slice(0, 12)}..., ${manifest.tables.length} tables, snapshot ${formatTime(point)}`,
    ].join("\n"),
    fix: judged.verdict === "met" ? "" : jobFix(primary, "database archive"),
  };
}

async function brokerDefinitions(context: StatusContext): Promise<StatusRow> {
  const { recovery, primary, clients, now } = context;
  const bucket = globalNames(primary.project, primary.region).hostingServicesBucket;
  const minutes = primary.recoveryObjectives.brokerDefinitionsMinutes;
  const row = { id: "broker-definitions", store: "broker definitions", target: formatMinutes(minutes) };
  const pattern = new RegExp(`^${DEFINITIONS_PREFIX}/(\\d{8}T\\d{6}Z)/definitions\\.json$`);
  let newest: { key: string; stamp: string; size: number } | undefined;
  try {
    for (const object of await listKeys(clients.s3, bucket, DEFINITIONS_PREFIX)) {
      const match = object.Key ? pattern.exec(object.Key) : null;
      if (match && (!newest || match[1] > newest.stamp)) newest = { key: object.Key!, stamp: match[1], size: object.Size ?? 0 };
    }
  } catch (error) {
    if (isNoSuchBucket(error)) {
      return {
        ...row,
        state: "none",
        verdict: "missed",
        detail: `no bucket ${bucket} in ${recovery.region}`,
        fix: `npx cdktf deploy ${stackId("application", primary.region)}   # it creates ${bucket}`,
      };
    }
    return callFailed(row, `S3 ListObjectsV2 of ${bucket}`, recovery.region, error);
  }
  if (!newest) {
    return {
      ...row,
      state: "none",
      verdict: "missed",
      detail: `no export under s3://${bucket}/${DEFINITIONS_PREFIX}/`,
      fix: jobFix(primary, "broker definitions"),
    };
  }
  const point = stampTime(newest.stamp);
  const judged = judgeRecoveryPoint(point, minutes, now);
  return {
    ...row,
    recoveryPoint: point,
    ...judged,
    detail: `s3://${bucket}/${newest.key} (${newest.size} bytes); queues, exchanges, bindings and policies created after it are not in it`,
    fix: judged.verdict === "met" ? "" : jobFix(primary, "broker definitions"),
  };
}

/** One page of keys (at most `max`), and whether the bucket holds more. */
async function firstKeys(s3: S3Client, bucket: string, max: number): Promise<{ objects: _Object[]; truncated: boolean }> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: max }));
  return { objects: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
}

type ReplicationState = "COMPLETED" | "PENDING" | "FAILED" | "NONE" | "OTHER";

/** HeadObject on each object, ten at a time: its ReplicationStatus (`NONE` when S3 set none). */
async function replicationStates(s3: S3Client, bucket: string, objects: _Object[]): Promise<{ object: _Object; state: ReplicationState }[]> {
  const states: { object: _Object; state: ReplicationState }[] = [];
  for (let i = 0; i < objects.length; i += 10) {
    const batch = objects.slice(i, i + 10);
    const heads = await Promise.all(batch.map((o) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: o.Key! }))));
    heads.forEach((head, j) => {
      const status = head.ReplicationStatus as string | undefined;
      const state: ReplicationState =
        status === undefined
          ? "NONE"
          : status === "COMPLETE" || status === "COMPLETED"
            ? "COMPLETED"
            : status === "PENDING" || status === "FAILED"
              ? status
              : "OTHER";
      states.push({ object: batch[j], state });
    });
  }
  return states;
}

async function assets(context: StatusContext): Promise<StatusRow> {
  const { recovery, primary, clients, now, target } = context;
  const names = globalNames(primary.project, primary.region);
  const source = names.assetsBucket;
  const replica = names.drAssetsBucket;
  const minutes = primary.recoveryObjectives.assetsMinutes;
  const row = { id: "assets", store: "assets", target: formatMinutes(minutes) };
  const deployFix = `npx cdktf deploy ${stackId("application", primary.region)}   # the rule "${REPLICATION_RULE_ID}" on ${source} replicates into ${replica}`;
  const batchFix = `npm run dr -- replicate-existing ${primary.region}   # S3 Batch Replication copies objects written before the rule and those whose replication failed`;

  // The replica side first: it is in the recovery region and answers even when the primary is dark.
  let replicaKeys: { objects: _Object[]; truncated: boolean };
  try {
    replicaKeys = await firstKeys(clients.s3, replica, context.smallBucketObjects);
  } catch (error) {
    if (isNoSuchBucket(error)) return { ...row, state: "no replica", verdict: "missed", detail: `no bucket ${replica} in ${recovery.region}`, fix: deployFix };
    return callFailed(row, `S3 ListObjectsV2 of ${replica}`, recovery.region, error);
  }
  const replicaObjects = replicaKeys.objects.filter((o) => o.Key && !o.Key.startsWith(REPLICATION_REPORT_PREFIX));
  const replicaCount = `${replicaObjects.length}${replicaKeys.truncated ? "+" : ""}`;

  let rule: ReplicationRule | undefined;
  let sourceKeys: { objects: _Object[]; truncated: boolean };
  try {
    const config = await clients.primaryS3.send(new GetBucketReplicationCommand({ Bucket: source })).catch((error) => {
      if ((error as Error).name === "ReplicationConfigurationNotFoundError") return undefined;
      throw error;
    });
    rule = config?.ReplicationConfiguration?.Rules?.find((r) => r.ID === REPLICATION_RULE_ID);
    sourceKeys = await firstKeys(clients.primaryS3, source, context.smallBucketObjects);
  } catch (error) {
    const failed = callFailed(row, `S3 GetBucketReplication and ListObjectsV2 of ${source}`, primary.region, error);
    const newest = replicaObjects.reduce<Date | undefined>((t, o) => (o.LastModified && (!t || o.LastModified > t) ? o.LastModified : t), undefined);
    return {
      ...failed,
      detail: `${failed.detail}\nthe replica ${replica} holds ${replicaCount} objects${newest ? `, the newest replicated ${formatTime(newest)}` : ""}: a recovery has those`,
    };
  }

  const rtc = rule?.Destination?.ReplicationTime?.Status === "Enabled";
  const ruleText = !rule
    ? `no rule "${REPLICATION_RULE_ID}" on ${source}`
    : `rule "${REPLICATION_RULE_ID}" ${rule.Status === "Enabled" ? "enabled" : "DISABLED"} into ${rule.Destination?.Bucket ?? "(no destination)"}, Replication Time Control ${rtc ? "on (15 min)" : "off (no replication time promised)"}`;
  if (!rule || rule.Status !== "Enabled" || rule.Destination?.Bucket !== bucketArn(replica)) {
    return { ...row, state: "not replicating", verdict: "missed", detail: ruleText, fix: deployFix };
  }

  const objects = sourceKeys.objects.filter((o) => o.Key);
  if (objects.length === 0)
    return { ...row, state: "current (the bucket is empty)", recoveryPoint: now, verdict: "met", detail: `${ruleText}\n${source} holds no object`, fix: "" };
  const sample = [...objects].sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0)).slice(0, context.sampleSize);
  let states;
  try {
    states = await replicationStates(clients.primaryS3, source, sample);
  } catch (error) {
    return callFailed(row, `S3 HeadObject in ${source}`, primary.region, error);
  }
  const of = (state: ReplicationState) => states.filter((s) => s.state === state);
  const tally = (["COMPLETED", "PENDING", "FAILED", "NONE", "OTHER"] as const)
    .filter((s) => of(s).length > 0)
    .map((s) => `${of(s).length} ${s === "NONE" ? "without a status" : s}`)
    .join(", ");
  const small = !sourceKeys.truncated && !replicaKeys.truncated;
  const replicaSet = new Set(replicaObjects.map((o) => o.Key));
  const absent = small ? objects.filter((o) => !replicaSet.has(o.Key)) : [];
  const detail = [
    ruleText,
    `newest ${sample.length} of ${objects.length}${sourceKeys.truncated ? "+" : ""} source objects: ${tally}`,
    small
      ? `source ${objects.length} keys, replica ${replicaObjects.length} keys${
          absent.length
            ? `; not in the replica: ${absent
                .slice(0, 5)
                .map((o) => o.Key)
                .join(", ")}${absent.length > 5 ? `, and ${absent.length - 5} more` : ""}`
            : ""
        }`
      : `source ${objects.length}${sourceKeys.truncated ? "+" : ""} keys, replica ${replicaCount} keys (more than ${context.smallBucketObjects}: keys not compared)`,
  ].join("\n");

  const gap = gapFor(target, "aws_s3_bucket_replication_configuration");
  if (gap && of("COMPLETED").length === 0 && of("PENDING").length === 0 && of("FAILED").length === 0) return notServed(row, target, gap, detail);

  if (of("FAILED").length > 0 || of("NONE").length > 0 || of("OTHER").length > 0) {
    const never = [...of("FAILED"), ...of("NONE"), ...of("OTHER")].map((s) => s.object);
    const oldest = never.reduce((t, o) => (o.LastModified && o.LastModified < t ? o.LastModified : t), now);
    return {
      ...row,
      recoveryPoint: oldest,
      state: `${never.length} of ${sample.length} sampled never replicated (oldest ${formatTime(oldest)})`,
      verdict: "missed",
      detail,
      fix: batchFix,
    };
  }
  const pending = of("PENDING").map((s) => s.object);
  if (pending.length > 0) {
    const oldest = pending.reduce((t, o) => (o.LastModified && o.LastModified < t ? o.LastModified : t), now);
    const judged = judgeRecoveryPoint(oldest, minutes, now);
    return {
      ...row,
      recoveryPoint: oldest,
      ...judged,
      state: `${judged.state}, oldest of ${pending.length} pending`,
      detail,
      fix:
        judged.verdict === "met"
          ? ""
          : `${rtc ? "" : `turn Replication Time Control on (assets.replicationTimeControl in environments/${primary.region}.ts, then ${deployFix.split("   #")[0]}); `}check the rule's metrics: aws cloudwatch get-metric-statistics --namespace AWS/S3 --metric-name OperationsPendingReplication --dimensions Name=SourceBucket,Value=${source} Name=DestinationBucket,Value=${replica} Name=RuleId,Value="${REPLICATION_RULE_ID}" --region ${primary.region} ...`,
    };
  }
  if (absent.length > 0) {
    return { ...row, state: `${absent.length} keys missing in the replica`, verdict: "missed", detail, fix: batchFix };
  }
  return { ...row, recoveryPoint: now, state: `current (${sample.length} sampled replicated)`, verdict: "met", detail, fix: "" };
}

async function sopsKey(context: StatusContext): Promise<StatusRow> {
  const { recovery, primary, clients, target } = context;
  const row = { id: "sops-key", store: "SOPS replica key", target: "enabled replica" };
  const key = await checkSopsKey(recovery, primary, clients.kms);
  const { check } = key;
  if (check.status === "pass") return { ...row, state: "enabled", verdict: "met", detail: check.detail, fix: "" };
  if (key.missing) {
    const gap = gapFor(target, "aws_kms_replica_key");
    if (gap) return notServed(row, target, gap, check.detail);
    return { ...row, state: "missing", verdict: "missed", detail: check.detail, fix: check.fix };
  }
  if (check.status === "unreachable")
    return { ...row, state: `unknown (${recovery.region} did not answer)`, verdict: "unknown", detail: check.detail, fix: check.fix };
  // A key in a bad state, or a refused call: preflight's detail says which.
  return {
    ...row,
    state: key.replicaArn ? "not usable" : "unknown (refused)",
    verdict: key.replicaArn ? "missed" : "unknown",
    detail: check.detail,
    fix: check.fix,
  };
}

export const STATUS_USAGE = `Usage: npm run dr -- status <region> [--json]

For the recovery environment in environments/<region>.ts: how much data a recovery would lose now.
Per data store of its primary, the newest copy in <region>, its age and the primary's target
(recoveryObjectives in environments/<primary>.ts), with the fix under every row that misses it:
  database-backups    latest restorable time of the automated backups replicated into <region> (RDS)
  database-archives   the newest archive's manifest (snapshot time, size, tables) in the hosting-services bucket
  assets              the replication rule (enabled, Replication Time Control), the ReplicationStatus of the
                      newest source objects (HeadObject), source and replica keys compared for small buckets;
                      reads the primary's region (reported unknown when it is dark)
  broker-definitions  the newest RabbitMQ definitions export
  sops-key            the SOPS key's replica in <region> enabled (KMS DescribeKey)
It only reads (S3, RDS, KMS; never IAM or Route 53).
Options:
  --json   the rows as JSON instead of the table
Exits 0 when every target is met (or a row is unknown only because the deployment target cannot serve
it), 1 when any target is missed or a row could not be read. Needs AWS credentials for the account.`;
