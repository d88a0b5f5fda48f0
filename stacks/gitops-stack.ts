import { Construct } from "constructs";
import { FluxBootstrap, addClusterProviders, LoadBalancerController } from "../lib/constructs";
import type { Environment } from "../lib/environment";
import { clusterName } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";
import type { KubernetesStack } from "./kubernetes-stack";
import type { NetworkingStack } from "./networking-stack";

export interface GitOpsStackProps {
  readonly environment: Environment;
  readonly kubernetes: KubernetesStack;
  /** The region's networking stack: the VPC of the load balancer controller. */
  readonly networking: NetworkingStack;
}

/**
 * `gitops-<region>` (`-g<n>` for cluster generation n >= 2): the Flux controllers, bootstrapped into the cluster of `kubernetes-<region>`
 * (the `flux2` release, its `restricted` namespace and the Git credentials). It needs nothing but
 * the cluster, so in a recovery it installs while the database is still being restored; what
 * needs the datastores, and the sync that starts the workloads, is `workloads-<region>`.
 */
export class GitOpsStack extends EnvironmentStack {
  public readonly flux: FluxBootstrap;
  /** The cluster generation it bootstraps (its kubernetes stack's). */
  public readonly generation: number;

  constructor(scope: Construct, props: GitOpsStackProps) {
    const { environment: env, kubernetes } = props;
    super(scope, "gitops", env, kubernetes.generation);
    this.generation = kubernetes.generation;
    this.addDependency(kubernetes);
    // By name, not a cross-stack reference: the providers read the cluster (a data source) when this stack plans.
    const name = clusterName(env.project, env.region, kubernetes.generation);
    addClusterProviders(this, name, env.region);
    const registry = { accountId: env.accountId, region: env.region };
    this.flux = new FluxBootstrap(this, "flux", {
      gitCredentialsSecretName: env.flux.gitCredentialsSecretName,
      region: env.region,
      registry,
    });

    // DNS failover (docs/dns-failover.md): the controller that fills the site's target group; the
    // TargetGroupBinding is workloads-<region>'s, planned once this stack has installed its CRD.
    new LoadBalancerController(this, "lb-controller", { clusterName: name, region: env.region, vpcId: props.networking.vpc.vpcId, registry });
  }
}
