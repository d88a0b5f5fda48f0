import { servingClusterName, type Environment } from "../../../environment";
import { BACKUP_JOB_SERVICE_ACCOUNT, FLUX_NAMESPACE, SYSTEM_NAMESPACES } from "../../../naming";
import type { FenceAction, FenceActionId } from "../../probes/fence-record";
import type { LibraryCronJob, LibraryCronJobs } from "../../probes/cronjobs";
import type { FluxObject, FluxState } from "../../probes/flux";
import type { Workload, Workloads } from "../../probes/workloads";
import type { FenceDecision } from "./action";

const FLUX_TITLE = "Suspend every Flux Kustomization and HelmRelease (the root first)";
const WORKLOADS_TITLE = "Scale every workload outside the system namespaces to zero";
const CRONJOBS_TITLE = `Suspend the library's CronJobs in ${BACKUP_JOB_SERVICE_ACCOUNT.namespace}`;

/** Every cluster action when the cluster does not answer. */
export function clusterUnreachable(environment: Environment, why: string): FenceAction[] {
  const detail = `cluster ${servingClusterName(environment)}: ${why}`;
  return [
    { id: "flux", title: FLUX_TITLE, status: "not reachable", detail },
    { id: "workloads", title: WORKLOADS_TITLE, status: "not reachable", detail },
    { id: "cronjobs", title: CRONJOBS_TITLE, status: "not reachable", detail },
  ];
}

/** The outcome of acting on each of `acted`, with the failures (`<what>: <error>`) among them. */
function outcome(id: FenceActionId, title: string, verb: string, acted: string, failures: readonly string[]): FenceAction {
  return failures.length === 0
    ? { id, title, status: "done", detail: `${verb}: ${acted}` }
    : { id, title, status: "failed", detail: `not ${verb.split(" ")[0]}: ${failures.join("; ")}` };
}

const isRoot = (o: FluxObject) => o.kind === "kustomization" && o.namespace === FLUX_NAMESPACE && o.name === FLUX_NAMESPACE;
const fluxNamed = (objects: readonly FluxObject[]) => objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`).join(", ");

/**
 * The Flux objects to suspend, the root Kustomization first, then the other Kustomizations, then
 * the HelmReleases: a child Kustomization or a HelmRelease reconciles on its own interval and
 * would scale the workloads back up while only the root is suspended.
 */
export function fluxToSuspend(objects: readonly FluxObject[]): FluxObject[] {
  const rank = (o: FluxObject) => (isRoot(o) ? 0 : o.kind === "kustomization" ? 1 : 2);
  return objects.filter((o) => !o.suspended).sort((a, b) => rank(a) - rank(b) || `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** Flux first: a running Flux would scale the workloads back up from Git. */
export function fluxDecision(flux: Extract<FluxState, { reachable: true }>, apply: boolean): FenceDecision<readonly FluxObject[]> {
  const running = fluxToSuspend(flux.objects);
  if (running.length === 0)
    return {
      action: {
        id: "flux",
        title: FLUX_TITLE,
        status: "already done",
        detail: `suspended: ${fluxNamed(flux.objects) || "no Kustomization or HelmRelease found"}`,
      },
    };
  if (!apply) return { action: { id: "flux", title: FLUX_TITLE, status: "would do", detail: `suspend: ${fluxNamed(running)}` } };
  return { act: running };
}

/** The outcome of suspending `running`, with the failures among them. */
export function fluxOutcome(running: readonly FluxObject[], failures: readonly string[]): FenceAction {
  return outcome("flux", FLUX_TITLE, "suspended", fluxNamed(running), failures);
}

/** Workloads the fence scales down: those with replicas outside the system namespaces. */
export function workloadsToFence(workloads: readonly Workload[]): Workload[] {
  return workloads.filter((w) => !SYSTEM_NAMESPACES.includes(w.namespace) && w.replicas > 0);
}

const named = (workloads: readonly Workload[]) => workloads.map((w) => `${w.namespace}/${w.kind}/${w.name} (${w.replicas})`).join(", ");

export function workloadsDecision(found: Workloads, apply: boolean): FenceDecision<readonly Workload[]> {
  if (!found.listed) return { action: { id: "workloads", title: WORKLOADS_TITLE, status: "not reachable", detail: found.problem } };
  const running = workloadsToFence(found.workloads);
  if (running.length === 0)
    return { action: { id: "workloads", title: WORKLOADS_TITLE, status: "already done", detail: "no workload outside the system namespaces has replicas" } };
  if (!apply) return { action: { id: "workloads", title: WORKLOADS_TITLE, status: "would do", detail: `scale to 0: ${named(running)}` } };
  return { act: running };
}

/** The outcome of scaling `running` down, with the failures (`<workload>: <error>`) among them. */
export function workloadsOutcome(running: readonly Workload[], failures: readonly string[]): FenceAction {
  return outcome("workloads", WORKLOADS_TITLE, "scaled to 0", named(running), failures);
}

const cronNamed = (cronJobs: readonly LibraryCronJob[]) => cronJobs.map((c) => `${c.namespace}/${c.name}`).join(", ");

/**
 * The library's CronJobs (database archive, definitions export, password rotation): a fenced
 * region must not archive its stale database over the live one's archives, nor rotate a password
 * the recovery's workloads now use.
 */
export function cronJobsDecision(found: LibraryCronJobs, apply: boolean): FenceDecision<readonly LibraryCronJob[]> {
  if (!found.listed) return { action: { id: "cronjobs", title: CRONJOBS_TITLE, status: "not reachable", detail: found.problem } };
  const running = found.cronJobs.filter((c) => !c.suspended);
  if (running.length === 0)
    return {
      action: { id: "cronjobs", title: CRONJOBS_TITLE, status: "already done", detail: `suspended: ${cronNamed(found.cronJobs) || "no CronJob found"}` },
    };
  if (!apply) return { action: { id: "cronjobs", title: CRONJOBS_TITLE, status: "would do", detail: `suspend: ${cronNamed(running)}` } };
  return { act: running };
}

export function cronJobsOutcome(running: readonly LibraryCronJob[], failures: readonly string[]): FenceAction {
  return outcome("cronjobs", CRONJOBS_TITLE, "suspended", cronNamed(running), failures);
}
