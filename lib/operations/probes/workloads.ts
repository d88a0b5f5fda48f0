import { lastLine, type ClusterAccess } from "../kubectl";

/** A Deployment or StatefulSet and its replicas (1 when unset, as Kubernetes defaults it). */
export interface Workload {
  readonly namespace: string;
  readonly kind: "deployment" | "statefulset";
  readonly name: string;
  readonly replicas: number;
}

export type Workloads = { readonly listed: false; readonly problem: string } | { readonly listed: true; readonly workloads: readonly Workload[] };

/** Every Deployment and StatefulSet of the cluster (kubectl get --all-namespaces). */
export async function probeWorkloads(cluster: ClusterAccess): Promise<Workloads> {
  const listed = await cluster.kubectl(["get", "deployments,statefulsets", "--all-namespaces", "-o", "json"]);
  if (listed.status !== 0) return { listed: false, problem: lastLine(listed.stderr) };
  type Item = { kind: string; metadata: { namespace: string; name: string }; spec: { replicas?: number } };
  const items = (JSON.parse(listed.stdout) as { items: Item[] }).items;
  return {
    listed: true,
    workloads: items.map((item) => ({
      namespace: item.metadata.namespace,
      kind: item.kind === "StatefulSet" ? "statefulset" : "deployment",
      name: item.metadata.name,
      replicas: item.spec.replicas ?? 1,
    })),
  };
}
