import type { CommandResult, ClusterAccess } from "../kubectl";
import type { LibraryCronJob } from "../probes/cronjobs";
import type { FluxObject } from "../probes/flux";
import type { Workload } from "../probes/workloads";

const SUSPEND = '{"spec":{"suspend":true}}';

/** Suspends one Kustomization or HelmRelease (kubectl patch), so that it stops applying Git to the cluster. */
export function suspendFluxObject(cluster: ClusterAccess, object: FluxObject): Promise<CommandResult> {
  return cluster.kubectl(["-n", object.namespace, "patch", object.kind, object.name, "--type", "merge", "-p", SUSPEND]);
}

/** Suspends one CronJob: no new job starts (a running one finishes). */
export function suspendCronJob(cluster: ClusterAccess, cronJob: LibraryCronJob): Promise<CommandResult> {
  return cluster.kubectl(["-n", cronJob.namespace, "patch", "cronjob", cronJob.name, "--type", "merge", "-p", SUSPEND]);
}

/** Scales one workload to zero replicas. */
export function scaleToZero(cluster: ClusterAccess, workload: Workload): Promise<CommandResult> {
  return cluster.kubectl(["-n", workload.namespace, "scale", `${workload.kind}/${workload.name}`, "--replicas=0"]);
}
