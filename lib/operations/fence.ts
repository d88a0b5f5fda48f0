import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeDBInstancesCommand, RDSClient, StopDBInstanceCommand } from "@aws-sdk/client-rds";
import {
  GetBucketReplicationCommand,
  GetObjectCommand,
  PutBucketReplicationCommand,
  PutObjectCommand,
  S3Client,
  type ReplicationRule,
} from "@aws-sdk/client-s3";
import type { Environment } from "../environment";
import { REPLICATION_RULE_ID } from "../constructs/dr-assets-bucket";
import { FLUX_NAMESPACE, fenceRecordKey, fluxSuspendCommand, globalNames, kubeconfigCommand, regionalNames, SYSTEM_NAMESPACES } from "../naming";
import { isUnreachable } from "./preflight";

/**
 * `fence <region>`: makes a returning old primary harmless before anyone fails back. When the
 * region answers again, its cluster, Flux and applications resume against a stale database, and
 * S3 replication resumes from the stale assets bucket into the bucket that is now the live one in
 * the recovery region: two writers on the same keys. The fence, in this order (Flux first, or it
 * scales the workloads back up from Git):
 * - suspends Flux's root Kustomization and scales every workload outside the system namespaces to
 *   zero, when the cluster answers;
 * - disables the assets bucket's replication rule (the rule is kept, so lifting the fence is
 *   re-enabling it, which `cdktf deploy application-<region>` does);
 * - stops the stale database;
 * - records what it did in the state bucket (outside both regions, versioned, readable by every
 *   operator; a file on one laptop is lost with it), with the replica counts it scaled down.
 * Idempotent: each action reads first and reports done / already done / not reachable.
 */

export type FenceStatus = "done" | "already done" | "would do" | "not reachable" | "failed";

export type FenceActionId = "flux" | "workloads" | "replication" | "database" | "record";

export interface FenceAction {
  readonly id: FenceActionId;
  readonly title: string;
  readonly status: FenceStatus;
  /** What was found or done; never a secret. */
  readonly detail: string;
}

/** A workload the fence scaled to zero, with the replicas it had (lifting restores them, or Flux does). */
export interface ScaledWorkload {
  readonly namespace: string;
  readonly kind: "deployment" | "statefulset";
  readonly name: string;
  readonly replicas: number;
}

/** What `fence` keeps in the state bucket. */
export interface FenceRecord {
  readonly format: "dr-platform/fence/1";
  readonly region: string;
  /** The first run that changed something. */
  readonly fencedAt: string;
  /** The last run that changed something. */
  readonly updatedAt: string;
  readonly actions: readonly FenceAction[];
  readonly scaledWorkloads: readonly ScaledWorkload[];
}

export interface FenceResult {
  readonly region: string;
  readonly apply: boolean;
  readonly actions: readonly FenceAction[];
  readonly record?: FenceRecord;
}

/** The outcome of one kubectl (or aws eks update-kubeconfig) run. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How the fence reaches a cluster: kubectl with a kubeconfig for it (see `kubectlAccess`). */
export interface ClusterAccess {
  /** Logs in (writes a kubeconfig); undefined when it worked, else why not. */
  connect(): Promise<string | undefined>;
  kubectl(args: readonly string[]): Promise<CommandResult>;
}

export interface FenceClients {
  /** S3 in the fenced region (its assets bucket). */
  readonly s3: S3Client;
  /** RDS in the fenced region. */
  readonly rds: RDSClient;
  /** S3 in the state bucket's region (the record). */
  readonly stateS3: S3Client;
  readonly cluster: ClusterAccess;
}

export interface FenceOptions {
  /**
   * Act; otherwise read only and print what would be done.
   * @default false
   */
  readonly apply?: boolean;
  /** @default - the current time */
  readonly now?: Date;
}

/** Runs a command with a deadline; a missing binary is a failed run, not an exception. */
export function runCommand(command: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.once("close", (status, signal) => resolve({ status, stdout, stderr: signal ? `${stderr}killed by ${signal} after ${timeoutMs} ms` : stderr }));
  });
}

/**
 * kubectl against the environment's cluster, logged in with the runbook's kubeconfig command
 * into a kubeconfig of its own (the operator's ~/.kube/config is left alone). Short timeouts: a
 * dark region's API must be reported as not reachable within seconds, not waited for.
 */
export function kubectlAccess(environment: Environment, options: { readonly timeoutSeconds?: number; readonly env?: NodeJS.ProcessEnv } = {}): ClusterAccess {
  const timeoutSeconds = options.timeoutSeconds ?? 15;
  const kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dr-fence-")), "kubeconfig");
  const [command, ...args] = kubeconfigCommand(environment.region, regionalNames(environment.project, environment.region).cluster).split(" ");
  return {
    connect: async () => {
      const result = await runCommand(command, [...args, "--kubeconfig", kubeconfig], timeoutSeconds * 1000, options.env);
      return result.status === 0 ? undefined : firstLine(result.stderr) || `${command} exited ${result.status}`;
    },
    kubectl: (kubectlArgs) =>
      runCommand("kubectl", ["--kubeconfig", kubeconfig, `--request-timeout=${timeoutSeconds}s`, ...kubectlArgs], (timeoutSeconds + 5) * 1000, options.env),
  };
}

function firstLine(text: string): string {
  return text.trim().split("\n").filter(Boolean).slice(-1)[0] ?? "";
}

function describe(error: unknown): string {
  const e = error as Error & { $metadata?: { httpStatusCode?: number } };
  return `${e.name}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ""}: ${e.message}`;
}

/** An action whose call threw: unreachable when no usable answer came back, failed otherwise. */
function errorAction(id: FenceActionId, title: string, error: unknown): FenceAction {
  return { id, title, status: isUnreachable(error) ? "not reachable" : "failed", detail: describe(error) };
}

// ---------------------------------------------------------------------------------------------
// The actions.

async function fenceCluster(environment: Environment, cluster: ClusterAccess, apply: boolean): Promise<{ actions: FenceAction[]; scaled: ScaledWorkload[] }> {
  const fluxTitle = `Suspend Flux's root Kustomization ${FLUX_NAMESPACE}/${FLUX_NAMESPACE}`;
  const workloadsTitle = "Scale every workload outside the system namespaces to zero";
  const clusterName = regionalNames(environment.project, environment.region).cluster;
  const unreachable = (why: string) => ({
    actions: [
      { id: "flux" as const, title: fluxTitle, status: "not reachable" as const, detail: `cluster ${clusterName}: ${why}` },
      { id: "workloads" as const, title: workloadsTitle, status: "not reachable" as const, detail: `cluster ${clusterName}: ${why}` },
    ],
    scaled: [],
  });
  const login = await cluster.connect();
  if (login !== undefined) return unreachable(login);
  const suspended = await cluster.kubectl(["-n", FLUX_NAMESPACE, "get", "kustomization", FLUX_NAMESPACE, "-o", "jsonpath={.spec.suspend}"]);
  if (suspended.status !== 0) return unreachable(firstLine(suspended.stderr) || `kubectl exited ${suspended.status}`);
  const actions: FenceAction[] = [];
  if (suspended.stdout.trim() === "true") {
    actions.push({ id: "flux", title: fluxTitle, status: "already done", detail: "spec.suspend is true" });
  } else if (!apply) {
    actions.push({ id: "flux", title: fluxTitle, status: "would do", detail: fluxSuspendCommand(true) });
  } else {
    const patched = await cluster.kubectl([
      "-n",
      FLUX_NAMESPACE,
      "patch",
      "kustomization",
      FLUX_NAMESPACE,
      "--type",
      "merge",
      "-p",
      '{"spec":{"suspend":true}}',
    ]);
    actions.push(
      patched.status === 0
        ? { id: "flux", title: fluxTitle, status: "done", detail: "spec.suspend set to true" }
        : { id: "flux", title: fluxTitle, status: "failed", detail: firstLine(patched.stderr) },
    );
  }

  const listed = await cluster.kubectl(["get", "deployments,statefulsets", "--all-namespaces", "-o", "json"]);
  if (listed.status !== 0) {
    actions.push({ id: "workloads", title: workloadsTitle, status: "not reachable", detail: firstLine(listed.stderr) });
    return { actions, scaled: [] };
  }
  type Item = { kind: string; metadata: { namespace: string; name: string }; spec: { replicas?: number } };
  const running: ScaledWorkload[] = (JSON.parse(listed.stdout) as { items: Item[] }).items
    .filter((item) => !SYSTEM_NAMESPACES.includes(item.metadata.namespace) && (item.spec.replicas ?? 1) > 0)
    .map((item) => ({
      namespace: item.metadata.namespace,
      kind: item.kind === "StatefulSet" ? "statefulset" : "deployment",
      name: item.metadata.name,
      replicas: item.spec.replicas ?? 1,
    }));
  if (running.length === 0) {
    actions.push({ id: "workloads", title: workloadsTitle, status: "already done", detail: "no workload outside the system namespaces has replicas" });
    return { actions, scaled: [] };
  }
  const names = running.map((w) => `${w.namespace}/${w.kind}/${w.name} (${w.replicas})`).join(", ");
  if (!apply) {
    actions.push({ id: "workloads", title: workloadsTitle, status: "would do", detail: `scale to 0: ${names}` });
    return { actions, scaled: [] };
  }
  const scaled: ScaledWorkload[] = [];
  const failures: string[] = [];
  for (const workload of running) {
    const result = await cluster.kubectl(["-n", workload.namespace, "scale", `${workload.kind}/${workload.name}`, "--replicas=0"]);
    if (result.status === 0) scaled.push(workload);
    else failures.push(`${workload.namespace}/${workload.kind}/${workload.name}: ${firstLine(result.stderr)}`);
  }
  actions.push(
    failures.length === 0
      ? { id: "workloads", title: workloadsTitle, status: "done", detail: `scaled to 0: ${names}` }
      : { id: "workloads", title: workloadsTitle, status: "failed", detail: `not scaled: ${failures.join("; ")}` },
  );
  return { actions, scaled };
}

async function fenceReplication(environment: Environment, s3: S3Client, apply: boolean): Promise<FenceAction> {
  const bucket = globalNames(environment.project, environment.region).assetsBucket;
  const title = `Disable the replication rule "${REPLICATION_RULE_ID}" of ${bucket} (the rule is kept)`;
  let rules: ReplicationRule[];
  let role: string | undefined;
  try {
    const config = (await s3.send(new GetBucketReplicationCommand({ Bucket: bucket }))).ReplicationConfiguration;
    rules = config?.Rules ?? [];
    role = config?.Role;
  } catch (error) {
    if ((error as Error).name === "ReplicationConfigurationNotFoundError") {
      return { id: "replication", title, status: "already done", detail: `${bucket} has no replication configuration` };
    }
    return errorAction("replication", title, error);
  }
  const rule = rules.find((r) => r.ID === REPLICATION_RULE_ID);
  if (!rule) return { id: "replication", title, status: "already done", detail: `${bucket} has no rule "${REPLICATION_RULE_ID}"` };
  if (rule.Status === "Disabled") return { id: "replication", title, status: "already done", detail: `rule "${REPLICATION_RULE_ID}" is Disabled` };
  if (!apply)
    return { id: "replication", title, status: "would do", detail: `S3 PutBucketReplication on ${bucket}: rule "${REPLICATION_RULE_ID}" Enabled -> Disabled` };
  try {
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: bucket,
        ReplicationConfiguration: { Role: role, Rules: rules.map((r) => (r.ID === REPLICATION_RULE_ID ? { ...r, Status: "Disabled" } : r)) },
      }),
    );
    return { id: "replication", title, status: "done", detail: `rule "${REPLICATION_RULE_ID}" Enabled -> Disabled` };
  } catch (error) {
    return errorAction("replication", title, error);
  }
}

/** States in which StopDBInstance is refused but the instance is on its way down or already down. */
const STOPPED_STATES = ["stopped", "stopping"];

async function fenceDatabase(environment: Environment, rds: RDSClient, apply: boolean): Promise<FenceAction> {
  const identifier = regionalNames(environment.project, environment.region).database;
  // RDS starts a stopped instance again after seven days: run the fence again (it is idempotent) until failback.
  const title = `Stop the database ${identifier} (RDS starts it again after 7 days: fence again if failback takes longer)`;
  let status: string | undefined;
  try {
    status = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances?.[0]?.DBInstanceStatus;
  } catch (error) {
    if ((error as Error).name === "DBInstanceNotFoundFault")
      return { id: "database", title, status: "already done", detail: `no instance ${identifier} in ${environment.region}` };
    return errorAction("database", title, error);
  }
  if (status !== undefined && STOPPED_STATES.includes(status)) return { id: "database", title, status: "already done", detail: `status ${status}` };
  if (status !== "available") {
    return {
      id: "database",
      title,
      status: "failed",
      detail: `status ${status}: RDS stops only an available instance; run the fence again when it is available`,
    };
  }
  if (!apply) return { id: "database", title, status: "would do", detail: `RDS StopDBInstance ${identifier} (status available)` };
  try {
    await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: identifier }));
    return { id: "database", title, status: "done", detail: "status available -> stopping" };
  } catch (error) {
    return errorAction("database", title, error);
  }
}

async function readRecord(environment: Environment, stateS3: S3Client): Promise<FenceRecord | undefined> {
  try {
    const body = await (
      await stateS3.send(new GetObjectCommand({ Bucket: environment.state.bucket, Key: fenceRecordKey(environment.region) }))
    ).Body!.transformToString();
    return JSON.parse(body) as FenceRecord;
  } catch (error) {
    if ((error as Error).name === "NoSuchKey") return undefined;
    throw error;
  }
}

/**
 * Fences the environment's region. A dry run (the default) reads and reports what it would do;
 * with `apply` it acts. The record is written only when an action changed something, so a second
 * run leaves the state bucket (and the replica counts recorded by the first) untouched.
 */
export async function runFence(environment: Environment, clients: FenceClients, options: FenceOptions = {}): Promise<FenceResult> {
  const apply = options.apply ?? false;
  const now = (options.now ?? new Date()).toISOString();
  // Flux first: a running Flux would scale the workloads back up from Git.
  const cluster = await fenceCluster(environment, clients.cluster, apply);
  const [replication, database] = await Promise.all([
    environment.role === "primary" ? fenceReplication(environment, clients.s3, apply) : undefined,
    fenceDatabase(environment, clients.rds, apply),
  ]);
  const actions = [...cluster.actions, ...(replication ? [replication] : []), database];
  const location = `s3://${environment.state.bucket}/${fenceRecordKey(environment.region)}`;
  const recordTitle = `Record what was done in ${location}`;
  if (!actions.some((a) => a.status === "done")) {
    const nothing = actions.some((a) => a.status === "would do") ? "would do" : "already done";
    return {
      region: environment.region,
      apply,
      actions: [
        ...actions,
        {
          id: "record",
          title: recordTitle,
          status: nothing,
          detail: nothing === "would do" ? "after --apply" : "nothing changed: the record is left as it is",
        },
      ],
    };
  }
  let previous: FenceRecord | undefined;
  try {
    previous = await readRecord(environment, clients.stateS3);
  } catch {
    previous = undefined;
  }
  const kept = (previous?.scaledWorkloads ?? []).filter(
    (w) => !cluster.scaled.some((s) => s.namespace === w.namespace && s.kind === w.kind && s.name === w.name),
  );
  const record: FenceRecord = {
    format: "dr-platform/fence/1",
    region: environment.region,
    fencedAt: previous?.fencedAt ?? now,
    updatedAt: now,
    actions,
    scaledWorkloads: [...kept, ...cluster.scaled],
  };
  try {
    await clients.stateS3.send(
      new PutObjectCommand({
        Bucket: environment.state.bucket,
        Key: fenceRecordKey(environment.region),
        Body: JSON.stringify(record, null, 2),
        ContentType: "application/json",
      }),
    );
    return {
      region: environment.region,
      apply,
      actions: [...actions, { id: "record", title: recordTitle, status: "done", detail: `fenced at ${record.fencedAt}` }],
      record,
    };
  } catch (error) {
    // The record matters less than the fence: say so, and print it so the operator can keep it.
    return {
      region: environment.region,
      apply,
      actions: [...actions, { ...errorAction("record", recordTitle, error), detail: `${describe(error)}; the record is printed below` }],
      record,
    };
  }
}

/**
 * 0: every action done or already done (a dry run: nothing failed or unreachable);
 * 3: some action could not reach its service (the rest was done: run again when it answers);
 * 1: some action failed.
 */
export function fenceExitCode(result: FenceResult): number {
  if (result.actions.some((a) => a.status === "failed")) return 1;
  if (result.actions.some((a) => a.status === "not reachable")) return 3;
  return 0;
}

export function formatFence(result: FenceResult): string {
  const width = Math.max(...result.actions.map((a) => a.status.length)) + 2;
  const lines = [`Fence of ${result.region}${result.apply ? "" : " (dry run: nothing is changed; --apply acts)"}`, ""];
  for (const action of result.actions) {
    lines.push(`${action.status.toUpperCase().padEnd(width)}${action.title} [${action.id}]`);
    lines.push(`${" ".repeat(width)}${action.detail}`);
  }
  const recordAction = result.actions.find((a) => a.id === "record");
  if (result.record && recordAction?.status !== "done")
    lines.push("", "Record (keep it: lifting the fence restores these replica counts):", JSON.stringify(result.record, null, 2));
  return `${lines.join("\n")}\n`;
}

export const FENCE_USAGE = `Usage: npm run dr -- fence <region> [--apply]

Makes a returning old primary harmless, in this order: suspends Flux's root Kustomization and
scales every workload outside the system namespaces to zero (through kubectl, logged in with
aws eks update-kubeconfig; "not reachable" when the cluster does not answer), disables the assets
bucket's replication rule "${REPLICATION_RULE_ID}" (kept, only Disabled), stops the database, and
records what it did in s3://<state bucket>/${fenceRecordKey("<region>")}.
Without --apply it only reads and prints what it would do. Safe to run again: each action is
reported as done, already done, would do, not reachable or failed.
Exits 0 when every action is done or already done, 3 when something was not reachable (run it
again when it answers), 1 when an action failed, 2 on a usage mistake.
Needs AWS credentials for the environment's account, kubectl and the aws CLI.`;

/**
 * Clients for `runFence`: S3 and RDS in the fenced region, S3 in the state bucket's region, kubectl
 * for the cluster. Short timeouts and few attempts: a region that is still dark must be reported
 * as not reachable within seconds.
 */
export function fenceClients(
  environment: Environment,
  settings: { readonly endpoint?: string; readonly httpsAgent?: import("https").Agent } = {},
): FenceClients {
  const config = (region: string) => ({
    region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10000, throwOnRequestTimeout: true, httpsAgent: settings.httpsAgent },
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint, forcePathStyle: true }),
  });
  return {
    s3: new S3Client(config(environment.region)),
    rds: new RDSClient(config(environment.region)),
    stateS3: new S3Client(config(environment.state.region)),
    cluster: kubectlAccess(environment),
  };
}
