import { App, type TerraformStack } from "cdktf";
import { rehearsalSide, resolvePairs, standingGenerations, type LoadedEnvironment, type PrimarySide, type RecoverySide } from "../lib/environment";
import { vaultStateCopier } from "../lib/naming";
import { ApplicationStack } from "../stacks/application-stack";
import { DnsStack } from "../stacks/dns-stack";
import { GitOpsStack } from "../stacks/gitops-stack";
import { KubernetesStack } from "../stacks/kubernetes-stack";
import { NetworkingStack } from "../stacks/networking-stack";
import { ReplicationStack } from "../stacks/replication-stack";
import { PrimaryRole } from "../stacks/roles/primary";
import { RecoveryRole } from "../stacks/roles/recovery";
import { RehearsalRole } from "../stacks/roles/rehearsal";
import type { EnvironmentRole } from "../stacks/roles/role";
import { StandbyStack } from "../stacks/standby-stack";
import { StateBucketStack } from "../stacks/state-bucket-stack";
import { VaultStack } from "../stacks/vault-stack";
import { WorkloadsStack } from "../stacks/workloads-stack";

/** The stacks of one cluster generation. */
export interface ClusterStacks {
  readonly generation: number;
  readonly kubernetes: KubernetesStack;
  readonly gitops: GitOpsStack;
  readonly workloads: WorkloadsStack;
}

/** The layer stacks every environment has: the cluster's are its serving generation's. */
export interface LayerStacks extends Omit<ClusterStacks, "generation"> {
  readonly networking: NetworkingStack;
  readonly application: ApplicationStack;
  /** While a cluster is rebuilt side by side (kubernetes.retiringGeneration): the generation being replaced. */
  readonly retiring?: ClusterStacks;
}

/** A primary's stacks: its layers, the zone it shares with its recoveries, and its vault's copies when it has a vault. */
export interface PrimaryStacks extends LayerStacks {
  readonly role: "primary";
  readonly dns: DnsStack;
  readonly vault?: VaultStack;
}

/** A recovery's stacks: its peacetime layer, its layers, its backup replication once it serves, and its rehearsal generation's layers when its file asks for them. */
export interface RecoveryStacks extends LayerStacks {
  readonly role: "recovery";
  readonly standby: StandbyStack;
  readonly replication: ReplicationStack;
  /** `rehearsal: true`: the layers `dr rehearse` deploys and tears down (`-rehearsal` stack ids). */
  readonly rehearsal?: LayerStacks;
}

export type EnvironmentStacks = PrimaryStacks | RecoveryStacks;

/**
 * Adds every stack for the given environments to the app: one state-bucket bootstrap per distinct
 * state bucket, then each environment's stacks, primaries first (a recovery's read its primary's).
 * The environments were loaded together, so every recovery's primary is among them; the pair is
 * resolved here once, and each environment's role decides what its stacks make or name.
 */
export function addEnvironments(app: App, environments: readonly Pick<LoadedEnvironment, "file" | "environment">[]): Map<string, EnvironmentStacks> {
  const stacks = new Map<string, EnvironmentStacks>();
  const stateBuckets = new Set<string>();
  const all = environments.map((l) => l.environment);
  for (const side of resolvePairs(all)) {
    const { environment } = side;
    if (!stateBuckets.has(environment.state.bucket)) {
      stateBuckets.add(environment.state.bucket);
      new StateBucketStack(app, environment);
    }
    // A state bucket replicates into one vault (lib/naming.ts vaultStateCopier, which replicate-existing reads too).
    const copiesState = vaultStateCopier(environment.state.bucket, all) === environment.region;
    stacks.set(environment.region, side.role === "primary" ? addPrimary(app, side, copiesState) : addRecovery(app, side, stacks));
  }
  return stacks;
}

function addPrimary(app: App, side: PrimarySide, copiesState: boolean): PrimaryStacks {
  const dns = new DnsStack(app, { primary: side.environment, recoveries: side.recoveries });
  const env = side.environment;
  // A vault's buckets exist before the application stack's rules replicate into them.
  const vault = env.vault ? new VaultStack(app, { environment: { ...env, vault: env.vault }, copiesState }) : undefined;
  return { role: "primary", dns, ...(vault ? { vault } : {}), ...addLayers(app, new PrimaryRole(side), dns, [], vault) };
}

function addRecovery(app: App, side: RecoverySide, stacks: ReadonlyMap<string, EnvironmentStacks>): RecoveryStacks {
  const primary = stacks.get(side.primary.region);
  if (primary?.role !== "primary")
    throw new Error(`addEnvironments: the recovery ${side.environment.region} needs its primary ${side.primary.region}'s stacks first`);
  const role = new RecoveryRole(side);
  const standby = new StandbyStack(app, { role });
  // The standby layer derives the SOPS replica's ARN from the primary's application state.
  standby.addDependency(primary.application);
  // A recovery's flow logs use the role, and its log groups the key, that the standby layer made.
  const layers = addLayers(app, role, primary.dns, [standby]);
  const replication = new ReplicationStack(app, { environment: side.environment, application: layers.application });
  // A rehearsal makes its own identity and reads only the primary's state and copies: it needs no standby stack.
  const rehearsal = side.environment.rehearsal ? addLayers(app, new RehearsalRole(rehearsalSide(side)), primary.dns, []) : undefined;
  return { role: "recovery", standby, replication, ...layers, ...(rehearsal ? { rehearsal } : {}) };
}

/**
 * The five layers of an environment, each after what it reads; networking also after `peacetime`.
 * The cluster layers once per standing generation (a rebuild side by side has two).
 */
function addLayers(app: App, role: EnvironmentRole, dns: DnsStack, peacetime: readonly TerraformStack[], vault?: VaultStack): LayerStacks {
  const networking = new NetworkingStack(app, { role, dns });
  for (const stack of peacetime) networking.addDependency(stack);
  const application = new ApplicationStack(app, { role, networking, ...(vault ? { vault } : {}) });
  if (vault) application.addDependency(vault);
  const clusters = standingGenerations(role.environment.kubernetes).map((generation): ClusterStacks => {
    const kubernetes = new KubernetesStack(app, { role, networking, application, generation });
    const gitops = new GitOpsStack(app, { environment: role.environment, kubernetes, networking });
    return { generation, kubernetes, gitops, workloads: new WorkloadsStack(app, { role, application, gitops, networking }) };
  });
  // standingGenerations lists the serving generation last, after the retiring one if any.
  const serving = clusters[clusters.length - 1];
  const retiring = clusters.length > 1 ? clusters[0] : undefined;
  return { networking, application, kubernetes: serving.kubernetes, gitops: serving.gitops, workloads: serving.workloads, ...(retiring ? { retiring } : {}) };
}
