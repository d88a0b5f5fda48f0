import type { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

/**
 * The helm and kubernetes providers of a stack that works inside a cluster, configured from the
 * cluster looked up by name with a token from `aws eks get-token` at each run: no token crosses
 * stacks or lands in state, and the lookup by name adds no cross-stack reference. Ids are fixed
 * (`cluster`, `kubernetes`, `helm`) so the addresses stay what they were in the gitops stack.
 */
export function addClusterProviders(scope: Construct, clusterName: string, region: string): void {
  const cluster = new DataAwsEksCluster(scope, "cluster", { name: clusterName });
  const connection = {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
    exec: {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
    },
  };
  new KubernetesProvider(scope, "kubernetes", { ...connection, exec: [connection.exec] });
  new HelmProvider(scope, "helm", { kubernetes: connection });
}
