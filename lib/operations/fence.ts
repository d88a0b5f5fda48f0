import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import type { Environment } from "../environment";
import { globalNames, regionalNames } from "../naming";
import { suspendFlux, scaleToZero } from "./actions/cluster";
import { stopDatabase } from "./actions/database";
import { writeFenceRecord } from "./actions/fence-record";
import { disableReplicationRule } from "./actions/replication-rule";
import { awsClient, type ClientSettings } from "./aws/clients";
import { clusterUnreachable, fluxDecision, fluxOutcome, workloadsDecision, workloadsOutcome } from "./checks/fence/cluster";
import { databaseDecision, databaseOutcome } from "./checks/fence/database";
import { nextRecord, recordDecision, recordOutcome } from "./checks/fence/record";
import { replicationDecision, replicationOutcome } from "./checks/fence/replication";
import { lastLine, kubectlAccess, type ClusterAccess } from "./kubectl";
import { probeDatabaseInstance } from "./probes/database-instance";
import { probeFenceRecord, type FenceAction, type FenceRecord } from "./probes/fence-record";
import { probeFlux } from "./probes/flux";
import { probeReplicationRule } from "./probes/replication-rule";
import { probeWorkloads, type Workload } from "./probes/workloads";

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

export interface FenceResult {
  readonly region: string;
  readonly apply: boolean;
  readonly actions: readonly FenceAction[];
  readonly record?: FenceRecord;
}

/** Clients for `runFence` from the one factory (short timeouts), and kubectl for the cluster. */
export function fenceClients(environment: Environment, settings: ClientSettings = {}): FenceClients {
  return {
    s3: awsClient(S3Client, environment.region, settings),
    rds: awsClient(RDSClient, environment.region, settings),
    stateS3: awsClient(S3Client, environment.state.region, settings),
    cluster: kubectlAccess(environment),
  };
}

/** Flux, then the workloads: each read, decided, and acted on when it must. */
async function fenceCluster(environment: Environment, cluster: ClusterAccess, apply: boolean): Promise<{ actions: FenceAction[]; scaled: Workload[] }> {
  const flux = await probeFlux(cluster);
  if (!flux.reachable) return { actions: clusterUnreachable(environment, flux.problem), scaled: [] };
  const fluxDecided = fluxDecision(flux, apply);
  const fluxAction = "action" in fluxDecided ? fluxDecided.action : fluxOutcome(await suspendFlux(cluster));
  const workloads = workloadsDecision(await probeWorkloads(cluster), apply);
  if ("action" in workloads) return { actions: [fluxAction, workloads.action], scaled: [] };
  const scaled: Workload[] = [];
  const failures: string[] = [];
  for (const workload of workloads.act) {
    const result = await scaleToZero(cluster, workload);
    if (result.status === 0) scaled.push(workload);
    else failures.push(`${workload.namespace}/${workload.kind}/${workload.name}: ${lastLine(result.stderr)}`);
  }
  return { actions: [fluxAction, workloadsOutcome(workloads.act, failures)], scaled };
}

async function fenceReplication(environment: Environment, s3: S3Client, apply: boolean): Promise<FenceAction> {
  const bucket = globalNames(environment.project, environment.region).assetsBucket;
  const decided = replicationDecision(environment, await probeReplicationRule(s3, bucket, environment.region), apply);
  return "action" in decided ? decided.action : replicationOutcome(environment, await disableReplicationRule(s3, decided.act, environment.region));
}

async function fenceDatabase(environment: Environment, rds: RDSClient, apply: boolean): Promise<FenceAction> {
  const identifier = regionalNames(environment.project, environment.region).database;
  const decided = databaseDecision(environment, await probeDatabaseInstance(rds, identifier, environment.region), apply);
  return "action" in decided ? decided.action : databaseOutcome(environment, await stopDatabase(rds, decided.act, environment.region));
}

/**
 * Fences the environment's region. A dry run (the default) reads and reports what it would do;
 * with `apply` it acts.
 */
export async function runFence(environment: Environment, clients: FenceClients, options: FenceOptions = {}): Promise<FenceResult> {
  const apply = options.apply ?? false;
  const now = options.now ?? new Date();
  // Flux first: a running Flux would scale the workloads back up from Git.
  const cluster = await fenceCluster(environment, clients.cluster, apply);
  const [replication, database] = await Promise.all([
    environment.role === "primary" ? fenceReplication(environment, clients.s3, apply) : undefined,
    fenceDatabase(environment, clients.rds, apply),
  ]);
  const actions = [...cluster.actions, ...(replication ? [replication] : []), database];
  const decided = recordDecision(environment, actions);
  if ("action" in decided) return { region: environment.region, apply, actions: [...actions, decided.action] };
  const previous = await probeFenceRecord(clients.stateS3, environment);
  const record = nextRecord(environment, previous.ok ? previous.value : undefined, actions, cluster.scaled, now);
  const written = await writeFenceRecord(clients.stateS3, environment, record);
  return { region: environment.region, apply, actions: [...actions, recordOutcome(environment, record, written)], record };
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
