import { Construct } from "constructs";
import { FluxBootstrap, addClusterProviders, LoadBalancerController } from "../lib/constructs";
import type { Environment } from "../lib/environment";
import { regionalNames } from "../lib/naming";
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
 * `gitops-<region>`: the Flux controllers, bootstrapped into the cluster of `kubernetes-<region>`
 * (the `flux2` release, its `restricted` namespace and the Git credentials). It needs nothing but
 * the cluster, so in a recovery it installs while the database is still being restored; what
 * needs the datastores, and the sync that starts the workloads, is `workloads-<region>`.
 */
export class GitOpsStack extends EnvironmentStack {
  public readonly flux: FluxBootstrap;

  constructor(scope: Construct, props: GitOpsStackProps) {
    const { environment: env, kubernetes } = props;
    super(scope, "gitops", env);
    this.addDependency(kubernetes);
    const clusterName = regionalNames(env.project, env.region).cluster;
    addClusterProviders(this, clusterName, env.region);
    const registry = { accountId: env.accountId, region: env.region };
    this.flux = new FluxBootstrap(this, "flux", { gitCredentialsSecretName: env.flux.gitCredentialsSecretName, registry });

    // DNS failover (docs/dns-failover.md): the controller that fills the site's target group; the
    // TargetGroupBinding is workloads-<region>'s, planned once this stack has installed its CRD.
    new LoadBalancerController(this, "lb-controller", { clusterName, region: env.region, vpcId: props.networking.vpc.vpcId, registry });
  }
}
