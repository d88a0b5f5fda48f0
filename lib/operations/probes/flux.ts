import { lastLine, type ClusterAccess } from "../kubectl";

/** A Flux object that applies Git to the cluster: a Kustomization or a HelmRelease. */
export interface FluxObject {
  readonly kind: "kustomization" | "helmrelease";
  readonly namespace: string;
  readonly name: string;
  readonly suspended: boolean;
}

/** Every Kustomization and HelmRelease of the cluster; `problem` when the cluster did not answer. */
export type FluxState = { readonly reachable: false; readonly problem: string } | { readonly reachable: true; readonly objects: readonly FluxObject[] };

/** The resources listed: child Kustomizations and HelmReleases reconcile by themselves once the root is suspended. */
export const FLUX_RESOURCES = "kustomizations.kustomize.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io";

/** Logs in to the cluster and lists every Kustomization and HelmRelease with its spec.suspend. */
export async function probeFlux(cluster: ClusterAccess): Promise<FluxState> {
  const login = await cluster.connect();
  if (login !== undefined) return { reachable: false, problem: login };
  const read = await cluster.kubectl(["get", FLUX_RESOURCES, "--all-namespaces", "-o", "json"]);
  if (read.status !== 0) return { reachable: false, problem: lastLine(read.stderr) || `kubectl exited ${read.status}` };
  type Item = { kind: string; metadata: { namespace: string; name: string }; spec?: { suspend?: boolean } };
  const items = (JSON.parse(read.stdout) as { items: Item[] }).items;
  return {
    reachable: true,
    objects: items.map((item) => ({
      kind: item.kind === "HelmRelease" ? "helmrelease" : "kustomization",
      namespace: item.metadata.namespace,
      name: item.metadata.name,
      suspended: item.spec?.suspend === true,
    })),
  };
}
