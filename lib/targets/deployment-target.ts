import type { Construct, IConstruct } from "constructs";
import type { TerraformRemoteState, TerraformStack } from "cdktf";
import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";

/** Where the environments keep their Terraform state. */
export interface StateLocation {
  /** State bucket. */
  readonly bucket: string;
  /** Region of the state bucket (never an environment's own region). */
  readonly region: string;
}

/** A kind of resource a target cannot serve, removed by the target's aspect with its reason. */
export interface TargetGap {
  readonly id: string;
  /** Terraform resource types the gap concerns. */
  readonly resourceTypes: readonly string[];
  /** What the target does, and what is deployed instead. */
  readonly reason: string;
  /** Policy rules the gap violates; the target suppresses them with the reason above. */
  readonly violates?: readonly string[];
}

/**
 * What differs between the places the stacks can be deployed to, modelled on aws-cdk's stack
 * synthesizers: the app picks one target, stacks ask it (`targetOf`), and constructs never do.
 * A target decides where state lives and how it is read, how AWS providers are configured, what
 * it cannot serve, and adds a finishing step to every stack (aspects run before the policy pack).
 */
export interface DeploymentTarget {
  /** One line for banners and logs. */
  readonly description: string;
  /**
   * A few words for tables ("the emulator"), e.g. `npm run dr -- status`'s "not served by ...".
   * @default - the description
   */
  readonly shortName?: string;
  /** What this target cannot serve (empty for a real AWS account). */
  readonly gaps: readonly TargetGap[];
  /** Gives an environment stack its state backend (key: the stack id). */
  bindState(stack: TerraformStack, location: StateLocation): void;
  /** Gives the state bootstrap stack its own state (it cannot live in the bucket it creates). */
  bindBootstrapState(stack: TerraformStack): void;
  /** Reads another stack's outputs from its state. */
  readState(scope: Construct, id: string, stackId: string, location: StateLocation): TerraformRemoteState;
  /** The settings of every AWS provider, from the environment's. */
  awsProviderConfig(config: AwsProviderConfig): AwsProviderConfig;
  /** Last step of every stack's construction, before the policy pack is attached. */
  finishStack(stack: TerraformStack): void;
}

const TARGETS = new WeakMap<IConstruct, DeploymentTarget>();

/** Deploys every stack of the app to `target`. Call once, before adding stacks. */
export function useTarget(app: IConstruct, target: DeploymentTarget): void {
  if (app.node.scope !== undefined) throw new Error("useTarget: pass the App (the root of the construct tree)");
  if (app.node.children.length > 0) throw new Error("useTarget: choose the target before adding stacks");
  TARGETS.set(app, target);
}

/** The target in force for a construct: the app's, or `defaultTarget` when the app chose none. */
export function targetOf(scope: IConstruct, defaultTarget: () => DeploymentTarget): DeploymentTarget {
  return TARGETS.get(scope.node.root) ?? defaultTarget();
}
