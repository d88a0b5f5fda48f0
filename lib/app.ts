import { App } from "cdktf";
import type { LoadedEnvironment } from "./environment";
import { ApplicationStack } from "../stacks/application-stack";
import { GitOpsStack } from "../stacks/gitops-stack";
import { KubernetesStack } from "../stacks/kubernetes-stack";
import { NetworkingStack } from "../stacks/networking-stack";
import { StateBucketStack } from "../stacks/state-bucket-stack";

/** The stacks made for one environment, by layer. */
export interface EnvironmentStacks {
  readonly networking: NetworkingStack;
  readonly application: ApplicationStack;
  readonly kubernetes: KubernetesStack;
  readonly gitops: GitOpsStack;
}

/**
 * Adds every stack for the given environments to the app: one state-bucket bootstrap per
 * distinct state bucket, and the layer stacks of each environment in dependency order.
 */
export function addEnvironments(app: App, environments: readonly LoadedEnvironment[]): Map<string, EnvironmentStacks> {
  const stateBuckets = new Set<string>();
  const stacks = new Map<string, EnvironmentStacks>();
  const byRegion = new Map(environments.map(({ environment }) => [environment.region, environment]));
  for (const { environment } of environments) {
    if (!stateBuckets.has(environment.state.bucket)) {
      stateBuckets.add(environment.state.bucket);
      new StateBucketStack(app, environment);
    }
    const networking = new NetworkingStack(app, environment);
    const primary = environment.recoveryOf === undefined ? undefined : byRegion.get(environment.recoveryOf);
    const application = new ApplicationStack(app, { environment, networking, primary });
    const kubernetes = new KubernetesStack(app, { environment, networking, application, primary });
    const gitops = new GitOpsStack(app, { environment, application, kubernetes });
    stacks.set(environment.region, { networking, application, kubernetes, gitops });
  }
  return stacks;
}
