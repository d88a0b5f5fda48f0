import { Construct } from "constructs";
import { FluxBootstrap } from "../lib/constructs/flux-bootstrap";
import { addClusterProviders } from "../lib/constructs/private/cluster-providers";
import type { Environment } from "../lib/environment";
import { regionalNames } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";
import type { KubernetesStack } from "./kubernetes-stack";

export interface GitOpsStackProps {
  readonly environment: Environment;
  readonly kubernetes: KubernetesStack;
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
    addClusterProviders(this, regionalNames(env.project, env.region).cluster, env.region);
    this.flux = new FluxBootstrap(this, "flux", { gitCredentialsSecretName: env.flux.gitCredentialsSecretName });
  }
}
