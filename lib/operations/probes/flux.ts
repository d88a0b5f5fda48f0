import { FLUX_NAMESPACE } from "../../naming";
import { lastLine, type ClusterAccess } from "../kubectl";

/** Whether Flux's root Kustomization is suspended; `problem` when the cluster did not answer. */
export type FluxState = { readonly reachable: false; readonly problem: string } | { readonly reachable: true; readonly suspended: boolean };

/** Logs in to the cluster and reads the root Kustomization's spec.suspend. */
export async function probeFlux(cluster: ClusterAccess): Promise<FluxState> {
  const login = await cluster.connect();
  if (login !== undefined) return { reachable: false, problem: login };
  const read = await cluster.kubectl(["-n", FLUX_NAMESPACE, "get", "kustomization", FLUX_NAMESPACE, "-o", "jsonpath={.spec.suspend}"]);
  if (read.status !== 0) return { reachable: false, problem: lastLine(read.stderr) || `kubectl exited ${read.status}` };
  return { reachable: true, suspended: read.stdout.trim() === "true" };
}
