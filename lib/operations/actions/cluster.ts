import { FLUX_NAMESPACE } from "../../naming";
import type { CommandResult, ClusterAccess } from "../kubectl";
import type { Workload } from "../probes/workloads";

/** Suspends Flux's root Kustomization (kubectl patch), so that it stops applying Git to the cluster. */
export function suspendFlux(cluster: ClusterAccess): Promise<CommandResult> {
  return cluster.kubectl(["-n", FLUX_NAMESPACE, "patch", "kustomization", FLUX_NAMESPACE, "--type", "merge", "-p", '{"spec":{"suspend":true}}']);
}

/** Scales one workload to zero replicas. */
export function scaleToZero(cluster: ClusterAccess, workload: Workload): Promise<CommandResult> {
  return cluster.kubectl(["-n", workload.namespace, "scale", `${workload.kind}/${workload.name}`, "--replicas=0"]);
}
