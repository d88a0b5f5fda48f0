import { App } from "cdktf";
import type { LoadedEnvironment, PrimaryEnvironment, RecoveryEnvironment } from "../lib/environment";
import { ApplicationStack } from "../stacks/application-stack";
import { DnsStack } from "../stacks/dns-stack";
import { GitOpsStack } from "../stacks/gitops-stack";
import { KubernetesStack } from "../stacks/kubernetes-stack";
import { NetworkingStack } from "../stacks/networking-stack";
import { ReplicationStack } from "../stacks/replication-stack";
import { StandbyStack } from "../stacks/standby-stack";
import { StateBucketStack } from "../stacks/state-bucket-stack";
import { WorkloadsStack } from "../stacks/workloads-stack";

/** The stacks made for one environment, by layer. */
export interface EnvironmentStacks {
  /** A recovery's peacetime layer. */
  readonly standby?: StandbyStack;
  /** The zone and certificates of a primary and its recoveries (the primary's entry; a recovery names its primary's). */
  readonly dns: DnsStack;
  readonly networking: NetworkingStack;
  readonly application: ApplicationStack;
  readonly kubernetes: KubernetesStack;
  readonly gitops: GitOpsStack;
  readonly workloads: WorkloadsStack;
  /** A recovery's backup replication of its restored database, deployed once the region serves. */
  readonly replication?: ReplicationStack;
}

/**
 * Adds every stack for the given environments to the app: one state-bucket bootstrap per
 * distinct state bucket, a recovery's standby stack, and the layer stacks of each environment. The
 * environments were loaded together, so a recovery's primary is among them.
 */
export function addEnvironments(app: App, environments: readonly LoadedEnvironment[]): Map<string, EnvironmentStacks> {
  const stateBuckets = new Set<string>();
  const stacks = new Map<string, EnvironmentStacks>();
  const primaries = new Map<string, PrimaryEnvironment>();
  for (const { environment } of environments) if (environment.role === "primary") primaries.set(environment.region, environment);
  // Primaries first: a recovery's standby layer reads its primary's application state.
  const ordered = [...environments].sort((a, b) => Number(a.environment.role === "recovery") - Number(b.environment.role === "recovery"));
  // The pair's DNS stack needs every recovery of its primary, to make a certificate in each region.
  const recoveriesOf = new Map<string, RecoveryEnvironment[]>();
  for (const { environment } of environments) {
    if (environment.role === "recovery") recoveriesOf.set(environment.recoveryOf, [...(recoveriesOf.get(environment.recoveryOf) ?? []), environment]);
  }
  for (const { environment } of ordered) {
    if (!stateBuckets.has(environment.state.bucket)) {
      stateBuckets.add(environment.state.bucket);
      new StateBucketStack(app, environment);
    }
    let standby: StandbyStack | undefined;
    let networking: NetworkingStack;
    let application: ApplicationStack;
    let kubernetes: KubernetesStack;
    let gitops: GitOpsStack;
    let workloads: WorkloadsStack;
    let dns: DnsStack;
    let replication: ReplicationStack | undefined;
    if (environment.role === "primary") {
      dns = new DnsStack(app, { primary: environment, recoveries: recoveriesOf.get(environment.region) ?? [] });
      networking = new NetworkingStack(app, { environment, dns });
      application = new ApplicationStack(app, { environment, networking });
      kubernetes = new KubernetesStack(app, { environment, networking, application });
      gitops = new GitOpsStack(app, { environment, kubernetes, networking });
      workloads = new WorkloadsStack(app, { environment, application, gitops });
    } else {
      const primary = primaries.get(environment.recoveryOf);
      const primaryStacks = stacks.get(environment.recoveryOf);
      if (!primary || !primaryStacks)
        throw new Error(`addEnvironments: the recovery ${environment.region} needs its primary ${environment.recoveryOf} among the environments`);
      standby = new StandbyStack(app, { environment, primary });
      // The standby layer derives the SOPS replica's ARN from the primary's application state.
      standby.addDependency(primaryStacks.application);
      dns = primaryStacks.dns;
      networking = new NetworkingStack(app, { environment, dns });
      // Its flow logs use the role, and its log groups the key, that the standby layer made.
      networking.addDependency(standby);
      application = new ApplicationStack(app, { environment, networking, primary });
      kubernetes = new KubernetesStack(app, { environment, networking, application, primary });
      gitops = new GitOpsStack(app, { environment, kubernetes, networking });
      workloads = new WorkloadsStack(app, { environment, application, gitops, primary });
      replication = new ReplicationStack(app, { environment, application });
    }
    stacks.set(environment.region, { standby, dns, networking, application, kubernetes, gitops, workloads, replication });
  }
  return stacks;
}
