import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { type Environment, servingDatabaseIdentifier } from "../environment";
import { failoverSwitchNames, environmentNames, siteHost, type FailoverSwitchNames } from "../naming";
import { setFailoverSwitch } from "./actions/failover-switch";
import { switchDecision, switchOutcome } from "./checks/fence/switch";
import { probeFailoverSwitch } from "./probes/failover-switch";
import { awsCliSwitchAccess, type SwitchAccess } from "./switch-access";
import { scaleToZero, suspendCronJob, suspendFluxObject } from "./actions/cluster";
import { stopDatabase } from "./actions/database";
import { writeFenceRecord } from "./actions/fence-record";
import { disableReplicationRule } from "./actions/replication-rule";
import { awsClient, type ClientSettings } from "./aws/clients";
import { clusterUnreachable, cronJobsDecision, cronJobsOutcome, fluxDecision, fluxOutcome, workloadsDecision, workloadsOutcome } from "./checks/fence/cluster";
import { databaseDecision, databaseOutcome } from "./checks/fence/database";
import { nextRecord, recordDecision, recordOutcome } from "./checks/fence/record";
import { replicationDecision, replicationOutcome } from "./checks/fence/replication";
import { lastLine, kubectlAccess, type ClusterAccess, type CommandResult } from "./kubectl";
import { probeDatabaseInstance } from "./probes/database-instance";
import { probeFenceRecord, type FenceAction, type FenceRecord } from "./probes/fence-record";
import { probeLibraryCronJobs } from "./probes/cronjobs";
import { probeFlux } from "./probes/flux";
import { probeReplicationRule } from "./probes/replication-rule";
import { probeWorkloads, type Workload } from "./probes/workloads";

/**
 * `fence <region>`: makes a returning old primary harmless before anyone fails back. When the
 * region answers again, its cluster, Flux and applications resume against a stale database, and
 * S3 replication resumes from the stale assets bucket into the bucket that is now the live one in
 * the recovery region: two writers on the same keys. The fence, in this order (Flux before the
 * workloads, or it scales them back up from Git):
 * - sets the pair's failover switches to the recovery (a primary's: CloudWatch in each recovery's
 *   region, no Route 53 write), so the site does not return here by itself;
 * - suspends every Flux Kustomization and HelmRelease (the root first: a child reconciles on its
 *   own), scales every workload outside the system namespaces to zero and suspends the library's
 *   CronJobs, when the cluster answers;
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
  /**
   * The pair's failover switches (one per recovery, in its region): a fenced primary's are set to
   * the recovery, so that the site does not return to it by itself.
   * @default - no switch is set (a recovery's fence; or a primary without recoveries)
   */
  readonly switches?: { readonly access: SwitchAccess; readonly at: readonly { readonly region: string; readonly names: FailoverSwitchNames }[] };
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

/**
 * Clients for `runFence` from the one factory (short timeouts), kubectl for the cluster, and the
 * AWS CLI for the switches of `recoveries` (a primary's: `resolvePairs`).
 */
export function fenceClients(environment: Environment, settings: ClientSettings = {}, recoveries: readonly Environment[] = []): FenceClients {
  const host = siteHost(environment.dns);
  return {
    s3: awsClient(S3Client, environment.region, settings),
    rds: awsClient(RDSClient, environment.region, settings),
    stateS3: awsClient(S3Client, environment.state.region, settings),
    cluster: kubectlAccess(environment),
    switches: {
      access: awsCliSwitchAccess(settings),
      at: recoveries.map((r) => ({ region: r.region, names: failoverSwitchNames(environment.project, r.region, host) })),
    },
  };
}

/** Each recovery's switch to the recovery: read, decided, set when it must. */
async function fenceSwitches(clients: FenceClients, apply: boolean): Promise<FenceAction[]> {
  const switches = clients.switches;
  if (switches === undefined) return [];
  const actions: FenceAction[] = [];
  for (const { region, names } of switches.at) {
    const decided = switchDecision(await probeFailoverSwitch(switches.access, names, region), region, apply);
    actions.push("action" in decided ? decided.action : switchOutcome(await setFailoverSwitch(switches.access, names, region, "recovery"), region));
  }
  return actions;
}

/** Acts on each of `items` in turn; the failures as `<what>: <error>`. */
async function eachOf<T>(
  items: readonly T[],
  act: (item: T) => Promise<CommandResult>,
  label: (item: T) => string,
): Promise<{ done: T[]; failures: string[] }> {
  const done: T[] = [];
  const failures: string[] = [];
  for (const item of items) {
    const result = await act(item);
    if (result.status === 0) done.push(item);
    else failures.push(`${label(item)}: ${lastLine(result.stderr)}`);
  }
  return { done, failures };
}

/** Flux (every Kustomization and HelmRelease), then the workloads, then the library's CronJobs: each read, decided, and acted on when it must. */
async function fenceCluster(environment: Environment, cluster: ClusterAccess, apply: boolean): Promise<{ actions: FenceAction[]; scaled: Workload[] }> {
  const flux = await probeFlux(cluster);
  if (!flux.reachable) return { actions: clusterUnreachable(environment, flux.problem), scaled: [] };
  const fluxDecided = fluxDecision(flux, apply);
  let fluxAction: FenceAction;
  if ("action" in fluxDecided) fluxAction = fluxDecided.action;
  else {
    const suspended = await eachOf(
      fluxDecided.act,
      (o) => suspendFluxObject(cluster, o),
      (o) => `${o.kind}/${o.namespace}/${o.name}`,
    );
    fluxAction = fluxOutcome(fluxDecided.act, suspended.failures);
  }
  const workloads = workloadsDecision(await probeWorkloads(cluster), apply);
  let workloadsAction: FenceAction;
  let scaled: Workload[] = [];
  if ("action" in workloads) workloadsAction = workloads.action;
  else {
    const result = await eachOf(
      workloads.act,
      (w) => scaleToZero(cluster, w),
      (w) => `${w.namespace}/${w.kind}/${w.name}`,
    );
    scaled = result.done;
    workloadsAction = workloadsOutcome(workloads.act, result.failures);
  }
  const cronJobs = cronJobsDecision(await probeLibraryCronJobs(cluster), apply);
  let cronJobsAction: FenceAction;
  if ("action" in cronJobs) cronJobsAction = cronJobs.action;
  else
    cronJobsAction = cronJobsOutcome(
      cronJobs.act,
      (
        await eachOf(
          cronJobs.act,
          (c) => suspendCronJob(cluster, c),
          (c) => `${c.namespace}/${c.name}`,
        )
      ).failures,
    );
  return { actions: [fluxAction, workloadsAction, cronJobsAction], scaled };
}

async function fenceReplication(environment: Environment, s3: S3Client, apply: boolean): Promise<FenceAction> {
  const bucket = environmentNames(environment).assetsBucket;
  const decided = replicationDecision(environment, await probeReplicationRule(s3, bucket, environment.region), apply);
  return "action" in decided ? decided.action : replicationOutcome(environment, await disableReplicationRule(s3, decided.act, environment.region));
}

async function fenceDatabase(environment: Environment, rds: RDSClient, apply: boolean): Promise<FenceAction> {
  const identifier = servingDatabaseIdentifier(environment);
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
  // The switch first: it is in a surviving region and keeps the site away from here whatever follows.
  const switches = environment.role === "primary" ? await fenceSwitches(clients, apply) : [];
  // Flux before the workloads: a running Flux would scale the workloads back up from Git.
  const cluster = await fenceCluster(environment, clients.cluster, apply);
  const [replication, database] = await Promise.all([
    environment.role === "primary" ? fenceReplication(environment, clients.s3, apply) : undefined,
    fenceDatabase(environment, clients.rds, apply),
  ]);
  const actions = [...switches, ...cluster.actions, ...(replication ? [replication] : []), database];
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
