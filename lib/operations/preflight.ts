import * as fs from "fs";
import type { Agent } from "https";
import { DescribeRegistryCommand, DescribeRepositoriesCommand, ECRClient, type DescribeRepositoriesCommandOutput } from "@aws-sdk/client-ecr";
import { DescribeKeyCommand, KMSClient, type KeyMetadata } from "@aws-sdk/client-kms";
import { DescribeDBInstanceAutomatedBackupsCommand, RDSClient, type DBInstanceAutomatedBackup } from "@aws-sdk/client-rds";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../environment";
import { regionalNames, registryHost, stackId, stateKey } from "../naming";
import { Route53Client } from "@aws-sdk/client-route-53";
import { siteFailoverChecks, siteFailoverStatus, type Resolve4 } from "./site-failover";
import { findSopsFiles } from "./sops-files";
import { sopsReplicaFix } from "./sops-config";

/**
 * `preflight <region>`: checks, before a recovery is needed, that everything peacetime must
 * provide for the recovery region is there. It only reads, and only from the recovery region
 * and the state bucket's region: during the outage it prepares for, the primary's region is dark.
 * The one exception, `peacetime`, reads the registry's replication rule, which exists only in the
 * primary's region.
 */

export type CheckStatus = "pass" | "fail" | "unreachable";

export type CheckId =
  | "standby-stack"
  | "git-credentials"
  | "sops-key"
  | "database-backups"
  | "registry-images"
  | "registry-rule"
  | "cluster-access"
  | "sops-files"
  | "health-checks"
  | "site-region";

export interface PreflightCheck {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found; never a secret value. */
  readonly detail: string;
  /** The exact command or file change; empty when the check passed. */
  readonly fix: string;
}

export interface PreflightResult {
  readonly recoveryRegion: string;
  readonly primaryRegion: string;
  readonly checks: readonly PreflightCheck[];
}

/** AWS clients, each bound to the region its checks may call. */
export interface PreflightClients {
  /** S3 in the state bucket's region (`recovery.state.region`). */
  readonly stateS3: S3Client;
  /** Secrets Manager in the recovery region. */
  readonly secrets: SecretsManagerClient;
  /** KMS in the recovery region. */
  readonly kms: KMSClient;
  /** RDS in the recovery region. */
  readonly rds: RDSClient;
  /** ECR in the recovery region. */
  readonly ecr: ECRClient;
  /**
   * ECR in the primary's region, for the replication rule.
   * @default - none; required with `peacetime`
   */
  readonly primaryEcr?: ECRClient;
  /**
   * Route 53 (global API, signed for us-east-1): the health checks' status as the checkers see it.
   * @default - the health-checks and site-region rows are left out
   */
  readonly route53?: Route53Client;
  /** @default - the system resolver */
  readonly resolve4?: Resolve4;
}

export interface PreflightOptions {
  /**
   * A checkout of the platform-k8s repository: every SOPS file in it must list the replica key.
   * @default - the SOPS files are not checked
   */
  readonly platformRepo?: string;
  /**
   * Also read the registry's replication rule in the primary's region (ECR DescribeRegistry),
   * which is dark during an outage.
   * @default false
   */
  readonly peacetime?: boolean;
  /**
   * The time ages are measured from.
   * @default - the current time
   */
  readonly now?: Date;
}

/** Settings of the clients `preflightClients` makes. */
export interface PreflightClientSettings {
  /**
   * Also make the primary region's ECR client (for `peacetime`).
   * @default false
   */
  readonly peacetime?: boolean;
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
   * Milliseconds to wait for a connection: a dead endpoint must be reported, not waited for.
   * @default 3000
   */
  readonly connectionTimeoutMs?: number;
  /**
   * Milliseconds to wait for an answer once connected.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Attempts per call (the SDK's default is 3, with backoff).
   * @default 2
   */
  readonly maxAttempts?: number;
}

/**
 * Clients for `runPreflight`: the recovery region's, the state region's and, only with
 * `peacetime`, the primary's ECR. Short timeouts and few attempts so that a dead endpoint is
 * reported as unreachable within seconds.
 */
export function preflightClients(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, settings: PreflightClientSettings = {}): PreflightClients {
  const config = (region: string) => ({
    region,
    maxAttempts: settings.maxAttempts ?? 2,
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs ?? 3000,
      // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes, and a
      // server that accepts the connection and never answers (a stalled TLS handshake) hangs the check.
      requestTimeout: settings.requestTimeoutMs ?? 10000,
      throwOnRequestTimeout: true,
      httpsAgent: settings.httpsAgent,
    },
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  });
  const r = recovery.region;
  return {
    // Path-style only for a custom endpoint: the emulator does not serve bucket subdomains.
    stateS3: new S3Client({ ...config(recovery.state.region), forcePathStyle: settings.endpoint !== undefined }),
    secrets: new SecretsManagerClient(config(r)),
    kms: new KMSClient(config(r)),
    rds: new RDSClient(config(r)),
    ecr: new ECRClient(config(r)),
    ...(settings.peacetime ? { primaryEcr: new ECRClient(config(primary.region)) } : {}),
    route53: new Route53Client(config("us-east-1")),
  };
}

/** A client's configured region (the SDK resolves it asynchronously). */
async function regionOf(client: { config: { region: unknown } }): Promise<string> {
  const region = client.config.region;
  return typeof region === "function" ? await region() : String(region);
}

/** Refuses clients bound to the wrong region: a recovery-region check must never reach the primary's. */
async function assertClientRegions(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  clients: PreflightClients,
  options: PreflightOptions,
): Promise<void> {
  const expected: [string, { config: { region: unknown } } | undefined, string][] = [
    ["stateS3", clients.stateS3, recovery.state.region],
    ["secrets", clients.secrets, recovery.region],
    ["kms", clients.kms, recovery.region],
    ["rds", clients.rds, recovery.region],
    ["ecr", clients.ecr, recovery.region],
    ...(options.peacetime ? [["primaryEcr", clients.primaryEcr, primary.region] as [string, { config: { region: unknown } } | undefined, string]] : []),
  ];
  const problems: string[] = [];
  for (const [name, client, region] of expected) {
    if (client === undefined) {
      problems.push(`clients.${name} is required${name === "primaryEcr" ? " with peacetime" : ""} (an ECR client in ${region})`);
      continue;
    }
    const actual = await regionOf(client);
    if (actual !== region) problems.push(`clients.${name} must be bound to ${region} (got ${actual})`);
  }
  if (problems.length > 0) throw new Error(`runPreflight: ${problems.join("; ")}`);
}

/** Runs every check; the checks run concurrently and are returned in a fixed order. */
export async function runPreflight(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  clients: PreflightClients,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  if (recovery.recoveryOf !== primary.region) {
    throw new Error(`runPreflight: ${recovery.region} recovers ${recovery.recoveryOf}, not ${primary.region}`);
  }
  await assertClientRegions(recovery, primary, clients, options);
  const now = options.now ?? new Date();
  const key = checkSopsKey(recovery, primary, clients.kms);
  const checks = await Promise.all([
    checkStandbyStack(recovery, clients.stateS3),
    checkGitCredentials(recovery, primary, clients.secrets),
    key.then((k) => k.check),
    checkDatabaseBackups(recovery, primary, clients.rds, now),
    checkRegistryImages(recovery, primary, clients.ecr),
    ...(options.peacetime ? [checkRegistryRule(recovery, primary, clients.primaryEcr!)] : []),
    Promise.resolve(checkClusterAccess(recovery)),
    ...(options.platformRepo === undefined ? [] : [key.then((k) => checkSopsFiles(recovery, primary, options.platformRepo!, k))]),
  ]);
  if (clients.route53) {
    const site = await siteFailoverStatus(recovery, primary, { stateS3: clients.stateS3, route53: clients.route53, resolve4: clients.resolve4 });
    checks.push(...siteFailoverChecks(site));
  }
  return { recoveryRegion: recovery.region, primaryRegion: primary.region, checks };
}

/** 0 when every check passed; 1 when any failed or could not be made (nothing is proved then). */
export function preflightExitCode(result: PreflightResult): number {
  return result.checks.every((c) => c.status === "pass") ? 0 : 1;
}

const STATUS_LABEL: Record<CheckStatus, string> = { pass: "pass", fail: "FAIL", unreachable: "UNREACHABLE" };

/** The pass/fail table: one row per check, its detail below, and the fix under every failure. */
export function formatPreflight(result: PreflightResult): string {
  const count = (status: CheckStatus) => result.checks.filter((c) => c.status === status).length;
  const width = Math.max(...Object.values(STATUS_LABEL).map((l) => l.length)) + 2;
  const indent = " ".repeat(width);
  const lines = [
    `Preflight of ${result.recoveryRegion} (recovery of ${result.primaryRegion}): ${count("pass")} passed, ${count("fail")} failed, ${count("unreachable")} unreachable`,
    "",
  ];
  for (const check of result.checks) {
    lines.push(`${STATUS_LABEL[check.status].padEnd(width)}${check.title} [${check.id}]`);
    lines.push(...check.detail.split("\n").map((l) => `${indent}${l}`));
    if (check.status !== "pass") check.fix.split("\n").forEach((l, i) => lines.push(`${indent}${i === 0 ? "fix: " : "     "}${l}`));
  }
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// How a failed call is reported.

/** An SDK error as the checks see it. */
type SdkError = Error & { $metadata?: { httpStatusCode?: number }; code?: string };

/**
 * True when the endpoint gave no usable answer: no HTTP response at all (refused, reset, timed out,
 * no such host) or a server error. Such a call proves nothing either way.
 */
export function isUnreachable(error: unknown): boolean {
  const e = error as SdkError;
  if (e.name === "CredentialsProviderError") return false;
  const status = e.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

/** One line naming an error: its name, HTTP status and message. */
function describeError(error: unknown): string {
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  return `${e.name}${status === undefined ? "" : ` (HTTP ${status})`}: ${e.message}`;
}

/** The check for a call that failed in a way the check does not handle itself. */
function callFailed(id: CheckId, title: string, what: string, region: string, error: unknown): PreflightCheck {
  if (isUnreachable(error)) {
    return {
      id,
      title,
      status: "unreachable",
      detail: `${what} in ${region} got no answer: ${describeError(error)}`,
      fix: `check the network path and AWS's health for ${region}, then run the preflight again; a region that cannot be reached cannot be recovered into`,
    };
  }
  if ((error as Error).name === "CredentialsProviderError") {
    return {
      id,
      title,
      status: "fail",
      detail: `${what}: no AWS credentials`,
      fix: "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the environment's account and run again",
    };
  }
  return {
    id,
    title,
    status: "fail",
    detail: `${what} in ${region} failed: ${describeError(error)}`,
    fix: `allow the caller ${what} in ${region} (the error above names what was refused) and run again`,
  };
}

// ---------------------------------------------------------------------------------------------
// The checks.

function checkStandbyStack(recovery: RecoveryEnvironment, s3: S3Client): Promise<PreflightCheck> {
  const stack = stackId("standby", recovery.region);
  const id = "standby-stack";
  const title = `Standby stack ${stack} applied`;
  const object = `s3://${recovery.state.bucket}/${stateKey(stack)}`;
  return s3
    .send(new HeadObjectCommand({ Bucket: recovery.state.bucket, Key: stateKey(stack) }))
    .then((head): PreflightCheck => ({
      id,
      title,
      status: "pass",
      detail: `${object} (${recovery.state.region}), last written ${head.LastModified?.toISOString() ?? "at an unknown time"}`,
      fix: "",
    }))
    .catch((error): PreflightCheck => {
      if ((error as SdkError).$metadata?.httpStatusCode === 404) {
        return {
          id,
          title,
          status: "fail",
          detail: `no state object ${object} in ${recovery.state.region}: ${stack} was never applied (or the state bucket does not exist)`,
          fix: `npx cdktf deploy ${stack}   # in peacetime: it creates the IAM roles, hosted zone, secret replica and registry replication the recovery needs`,
        };
      }
      return callFailed(id, title, `S3 HeadObject of ${object}`, recovery.state.region, error);
    });
}

/** The Git credentials JSON Flux reads: HTTPS (`username` + `password`) or SSH (`identity`). */
function credentialsShape(value: string | undefined): { ok: true; kind: string } | { ok: false; problem: string } {
  if (value === undefined) return { ok: false, problem: "the value is binary (SecretBinary), not a JSON string" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, problem: "the value is not JSON" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { ok: false, problem: "the value is JSON but not an object" };
  const fields = parsed as Record<string, unknown>;
  const filled = (name: string) => typeof fields[name] === "string" && (fields[name] as string) !== "";
  if (filled("username") && filled("password")) return { ok: true, kind: "username and password (HTTPS)" };
  if (filled("identity")) return { ok: true, kind: "identity (SSH)" };
  // Key names are not secret; the values are never shown.
  const keys = Object.keys(fields).sort();
  return {
    ok: false,
    problem: `the JSON has neither non-empty "username" and "password" (HTTPS) nor "identity" (SSH); its keys: ${keys.length ? keys.map((k) => JSON.stringify(k)).join(", ") : "none"}`,
  };
}

async function checkGitCredentials(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, secrets: SecretsManagerClient): Promise<PreflightCheck> {
  const name = recovery.flux.gitCredentialsSecretName;
  const id = "git-credentials";
  const title = `Flux Git credentials secret ${name} in ${recovery.region}`;
  const putValue = [
    `aws secretsmanager put-secret-value --region ${primary.region} --secret-id ${name} --secret-string file://git-credentials.json`,
    `# git-credentials.json: {"username": "...", "password": "<token>"} (HTTPS) or {"identity": "<private key>", "identity.pub": "...", "known_hosts": "..."} (SSH)`,
    `# with ${primary.region} down: aws secretsmanager stop-replication-to-replica --region ${recovery.region} --secret-id ${name}, then the same put-secret-value with --region ${recovery.region}`,
  ].join("\n");
  let primaryRegion: string | undefined;
  try {
    primaryRegion = (await secrets.send(new DescribeSecretCommand({ SecretId: name }))).PrimaryRegion;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") {
      return {
        id,
        title,
        status: "fail",
        detail: `no secret ${name} in ${recovery.region}: its replica was never created`,
        fix: `npx cdktf deploy ${stackId("standby", recovery.region)}   # in peacetime: creates ${name} in ${primary.region} with a replica in ${recovery.region}\n${putValue}`,
      };
    }
    return callFailed(id, title, `Secrets Manager DescribeSecret of ${name}`, recovery.region, error);
  }
  const origin =
    primaryRegion === primary.region ? `replica of ${primary.region}` : primaryRegion ? `replica of ${primaryRegion}` : "a standalone secret (not a replica)";
  let value: string | undefined;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") {
      return { id, title, status: "fail", detail: `${name} in ${recovery.region} (${origin}) has no value: nobody has put the credentials`, fix: putValue };
    }
    return callFailed(id, title, `Secrets Manager GetSecretValue of ${name}`, recovery.region, error);
  }
  const shape = credentialsShape(value);
  if (!shape.ok) return { id, title, status: "fail", detail: `${name} in ${recovery.region} (${origin}): ${shape.problem}`, fix: putValue };
  return { id, title, status: "pass", detail: `${origin}; the value has ${shape.kind}`, fix: "" };
}

export interface KeyCheck {
  readonly check: PreflightCheck;
  /** True when no key has the alias in the recovery region (as opposed to a key in a bad state). */
  readonly missing?: boolean;
  /** The replica's ARN when DescribeKey answered (even for a key that fails the check). */
  readonly replicaArn?: string;
  /** True when KMS in the recovery region could not be reached. */
  readonly unreachable: boolean;
}

/** The SOPS replica key's check (also `npm run dr -- status`'s SOPS row). */
export async function checkSopsKey(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, kms: KMSClient): Promise<KeyCheck> {
  const alias = regionalNames(primary.project, primary.region).sopsKeyAlias;
  const id = "sops-key";
  const title = `SOPS replica key ${alias} enabled in ${recovery.region}`;
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata;
  } catch (error) {
    if ((error as Error).name === "NotFoundException") {
      return {
        unreachable: false,
        missing: true,
        check: { id, title, status: "fail", detail: `no KMS key with alias ${alias} in ${recovery.region}`, fix: sopsReplicaFix(primary, recovery) },
      };
    }
    const check = callFailed(id, title, `KMS DescribeKey of ${alias}`, recovery.region, error);
    return { unreachable: check.status === "unreachable", check };
  }
  const arn = metadata?.Arn ?? "(no ARN)";
  const config = metadata?.MultiRegionConfiguration;
  const fail = (detail: string, fix: string): KeyCheck => ({
    replicaArn: metadata?.Arn,
    unreachable: false,
    check: { id, title, status: "fail", detail, fix },
  });
  if (config?.MultiRegionKeyType !== "REPLICA") {
    return fail(
      `${alias} in ${recovery.region} names ${arn}, a ${config?.MultiRegionKeyType === "PRIMARY" ? "multi-Region primary" : "single-Region"} key, not the replica of the SOPS key of ${primary.region}`,
      `aws kms update-alias --region ${recovery.region} --alias-name ${alias} --target-key-id <the replica's key id: the mrk-... id of the ${primary.region} key>   # or, if there is no replica: ${sopsReplicaFix(primary, recovery)}`,
    );
  }
  const source = config.PrimaryKey?.Region;
  if (source !== primary.region) {
    return fail(
      `${arn} is a replica of ${config.PrimaryKey?.Arn ?? "an unknown key"}, not of the SOPS key of ${primary.region}`,
      `aws kms update-alias --region ${recovery.region} --alias-name ${alias} --target-key-id <the mrk-... id of the ${primary.region} SOPS key>`,
    );
  }
  switch (metadata?.KeyState) {
    case "Enabled":
      return {
        replicaArn: metadata.Arn,
        unreachable: false,
        check: { id, title, status: "pass", detail: `${arn} (replica of ${config.PrimaryKey?.Arn})`, fix: "" },
      };
    case "Disabled":
      return fail(`${arn} is disabled`, `aws kms enable-key --region ${recovery.region} --key-id ${arn}`);
    case "PendingDeletion":
    case "PendingReplicaDeletion":
      return fail(
        `${arn} is scheduled for deletion (${metadata.KeyState})`,
        `aws kms cancel-key-deletion --region ${recovery.region} --key-id ${arn} && aws kms enable-key --region ${recovery.region} --key-id ${arn}`,
      );
    case "Creating":
    case "Updating":
      return fail(`${arn} is still being replicated (${metadata.KeyState})`, "wait a few minutes and run the preflight again");
    default:
      return fail(`${arn} cannot be used (KeyState ${metadata?.KeyState ?? "unknown"})`, sopsReplicaFix(primary, recovery));
  }
}

/** "3 min ago", "2 h 5 min ago", "4 d 1 h ago". */
export function formatAge(milliseconds: number): string {
  if (milliseconds < 0) return "in the future (check the clock)";
  const minutes = Math.floor(milliseconds / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h ago`;
}

async function checkDatabaseBackups(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, rds: RDSClient, now: Date): Promise<PreflightCheck> {
  const source = regionalNames(primary.project, primary.region).database;
  const id = "database-backups";
  const title = `Automated backups of ${source} replicated into ${recovery.region}`;
  const fix = [
    `npx cdktf deploy ${stackId("application", primary.region)}   # in peacetime: its aws_db_instance_automated_backups_replication copies ${source}'s backups into ${recovery.region}`,
    `# with ${primary.region} down nothing can start the replication: restore a snapshot copied into ${recovery.region} instead (database.restore: { from: "snapshot", snapshotIdentifier: "..." } in environments/${recovery.region}.ts)`,
  ].join("\n");
  let backups: DBInstanceAutomatedBackup[];
  try {
    backups = (await rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: source }))).DBInstanceAutomatedBackups ?? [];
  } catch (error) {
    if ((error as Error).name === "DBInstanceAutomatedBackupNotFoundFault") backups = [];
    else return callFailed(id, title, `RDS DescribeDBInstanceAutomatedBackups of ${source}`, recovery.region, error);
  }
  if (backups.length === 0) return { id, title, status: "fail", detail: `no automated backups of ${source} in ${recovery.region}`, fix };
  const latest = backups
    .filter((b) => b.RestoreWindow?.LatestTime !== undefined)
    .sort((a, b) => b.RestoreWindow!.LatestTime!.getTime() - a.RestoreWindow!.LatestTime!.getTime())[0];
  if (!latest) {
    const states = backups.map((b) => b.Status ?? "unknown").join(", ");
    return {
      id,
      title,
      status: "fail",
      detail: `automated backups of ${source} are in ${recovery.region} (status ${states}) but have no restorable time yet`,
      fix: `wait for the first replicated backup (status ${states}) and run the preflight again; if it stays so:\n${fix}`,
    };
  }
  const time = latest.RestoreWindow!.LatestTime!;
  return {
    id,
    title,
    status: "pass",
    detail: `${latest.DBInstanceAutomatedBackupsArn ?? "(no ARN)"} (status ${latest.Status ?? "unknown"}): latest restorable time ${time.toISOString()}, ${formatAge(now.getTime() - time.getTime())}`,
    fix: "",
  };
}

async function checkRegistryImages(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, ecr: ECRClient): Promise<PreflightCheck> {
  const prefixes = recovery.registry.replicatedPrefixes;
  const id = "registry-images";
  const title = `Container repositories replicated into ${recovery.region}`;
  const names: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page: DescribeRepositoriesCommandOutput = await ecr.send(new DescribeRepositoriesCommand({ nextToken: token }));
      names.push(...(page.repositories ?? []).map((r) => r.repositoryName ?? ""));
      token = page.nextToken;
    } while (token);
  } catch (error) {
    return callFailed(id, title, "ECR DescribeRepositories", recovery.region, error);
  }
  const byPrefix = prefixes.map((prefix) => ({ prefix, repositories: names.filter((n) => n.startsWith(prefix)).sort() }));
  const list = (repositories: string[]) =>
    repositories.length <= 5 ? repositories.join(", ") : `${repositories.slice(0, 5).join(", ")} and ${repositories.length - 5} more`;
  const detail = byPrefix
    .map(({ prefix, repositories }) => `${prefix}*: ${repositories.length === 0 ? "none" : `${repositories.length} (${list(repositories)})`}`)
    .join("\n");
  const missing = byPrefix.filter((p) => p.repositories.length === 0).map((p) => p.prefix);
  if (missing.length === 0) return { id, title, status: "pass", detail, fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: `no repository in ${recovery.region} for ${missing.map((p) => `${p}*`).join(", ")}\n${detail}`,
    fix: [
      `npx cdktf deploy ${stackId("standby", recovery.region)}   # in peacetime: the ECR replication rule in ${primary.region}`,
      `# ECR replicates only images pushed after the rule exists: push each image again, e.g. docker push ${registryHost(recovery.accountId, primary.region)}/<repository>:<tag>`,
      `# with ${primary.region} down: build and push the images to ${registryHost(recovery.accountId, recovery.region)} instead`,
    ].join("\n"),
  };
}

async function checkRegistryRule(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, ecr: ECRClient): Promise<PreflightCheck> {
  const id = "registry-rule";
  const title = `ECR replication rule in ${primary.region} into ${recovery.region} (peacetime)`;
  let rules;
  try {
    rules = (await ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration?.rules ?? [];
  } catch (error) {
    return callFailed(id, title, "ECR DescribeRegistry", primary.region, error);
  }
  const toRecovery = rules.filter((rule) => (rule.destinations ?? []).some((d) => d.region === recovery.region && d.registryId === recovery.accountId));
  // A rule without filters replicates every repository.
  const covered = (prefix: string) =>
    toRecovery.some(
      (rule) =>
        (rule.repositoryFilters ?? []).length === 0 ||
        (rule.repositoryFilters ?? []).some((f) => f.filterType === "PREFIX_MATCH" && f.filter !== undefined && prefix.startsWith(f.filter)),
    );
  const missing = recovery.registry.replicatedPrefixes.filter((p) => !covered(p));
  if (missing.length === 0) {
    return {
      id,
      title,
      status: "pass",
      detail: `replicates ${recovery.registry.replicatedPrefixes.map((p) => `${p}*`).join(", ")} into ${recovery.accountId} ${recovery.region}`,
      fix: "",
    };
  }
  return {
    id,
    title,
    status: "fail",
    detail: `no rule of the ${primary.region} registry replicates ${missing.map((p) => `${p}*`).join(", ")} into ${recovery.accountId} ${recovery.region} (${rules.length} rule${rules.length === 1 ? "" : "s"} in all)`,
    fix: `npx cdktf deploy ${stackId("standby", recovery.region)}   # its ECR replication configuration in ${primary.region}`,
  };
}

function checkClusterAccess(recovery: RecoveryEnvironment): PreflightCheck {
  const { publicAccessCidrs, privateAccessCidrs } = recovery.kubernetes;
  const id = "cluster-access";
  const title = "Cluster API access declared";
  const ways = [
    ...(publicAccessCidrs.length ? [`public endpoint from ${publicAccessCidrs.join(", ")}`] : []),
    ...(privateAccessCidrs.length ? [`private endpoint from ${privateAccessCidrs.join(", ")} (apply the gitops stack from there)`] : []),
  ];
  if (ways.length > 0) return { id, title, status: "pass", detail: ways.join("; "), fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: `environments/${recovery.region}.ts declares no way to reach the cluster API: neither kubernetes.publicAccessCidrs nor kubernetes.privateAccessCidrs`,
    fix: `in environments/${recovery.region}.ts add kubernetes.publicAccessCidrs: ["<operators' network>/32"] (break-glass) or kubernetes.privateAccessCidrs: ["<in-VPC or peered runner network>"]`,
  };
}

function checkSopsFiles(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, platformRepo: string, key: KeyCheck): PreflightCheck {
  const id = "sops-files";
  const title = `SOPS files in ${platformRepo} list the replica key`;
  if (!key.replicaArn) {
    return {
      id,
      title,
      status: key.unreachable ? "unreachable" : "fail",
      detail: `needs the replica key's ARN, which KMS in ${recovery.region} did not give (see sops-key)`,
      fix: key.unreachable ? "fix sops-key's reachability and run again" : "fix sops-key first, then run again",
    };
  }
  if (!fs.existsSync(platformRepo) || !fs.statSync(platformRepo).isDirectory()) {
    return {
      id,
      title,
      status: "fail",
      detail: `${platformRepo} is not a folder`,
      fix: "pass --platform-repo <path to a checkout of the platform-k8s repository>",
    };
  }
  const files = findSopsFiles(platformRepo);
  if (files.length === 0) {
    return {
      id,
      title,
      status: "fail",
      detail: `no SOPS-encrypted YAML or JSON file (a top-level sops map with a kms list) under ${platformRepo}`,
      fix: "pass --platform-repo <path to a checkout of the platform-k8s repository>",
    };
  }
  const missing = files.filter((f) => !f.kmsArns.includes(key.replicaArn!)).map((f) => f.file);
  if (missing.length === 0) return { id, title, status: "pass", detail: `all ${files.length} SOPS files list ${key.replicaArn}`, fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: `${missing.length} of ${files.length} SOPS files do not list ${key.replicaArn}:\n${missing.map((f) => `  ${f}`).join("\n")}`,
    fix: [
      `npm run dr -- sops-config ${recovery.region} > ${platformRepo}/.sops.yaml`,
      `# then, in ${platformRepo}, while ${primary.region} is up (sops decrypts each data key with the ${primary.region} key):`,
      ...missing.map((f) => `sops updatekeys -y ${f}`),
    ].join("\n"),
  };
}

export const PREFLIGHT_USAGE = `Usage: npm run dr -- preflight <region> [--platform-repo <path>] [--peacetime]

Checks that everything peacetime must provide for recovering into <region> (a recovery
environment in environments/<region>.ts) is there, and prints a pass/fail table with the fix
under each failure. It only reads, and only from <region> and the state bucket's region (never
the primary's region, which is dark during an outage):
  standby-stack      the standby stack's state object (S3 HeadObject)
  git-credentials    Flux's Git credentials secret replica, non-empty (Secrets Manager; the value is never printed)
  sops-key           the SOPS key's replica enabled (KMS DescribeKey on the alias)
  database-backups   the primary's automated backups replicated here, with their latest restorable time
  registry-images    repositories here for every registry.replicatedPrefixes entry (ECR DescribeRepositories)
  cluster-access     kubernetes.publicAccessCidrs or privateAccessCidrs declared (from the file)
  health-checks      the site's Route 53 health checks in both regions, as the checkers see them (GetHealthCheckStatus)
  site-region        which region's load balancer the site host resolves to (a DNS lookup)
Options:
  --platform-repo <path>  also check that every SOPS file of this platform-k8s checkout lists the
                          replica key's ARN (see npm run dr -- sops-config <region>)
  --peacetime             also read the ECR replication rule in the primary's region (DescribeRegistry)
Exits 0 when every check passed, 1 when any failed or got no answer. Needs AWS credentials for the
environment's account.`;
