import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsProvider } from "../lib/aws-provider";
import type { Environment } from "../lib/environment";
import { applyPolicy } from "../lib/policy";
import { useRemoteState } from "../lib/remote-state";

/** The layers of an environment, in deploy order. */
export const LAYERS = ["networking", "application", "kubernetes", "gitops"] as const;
export type Layer = (typeof LAYERS)[number];

/** Stack id of a layer of an environment: `<layer>-<region>`. */
export function stackId(layer: Layer, region: string): string {
  return `${layer}-${region}`;
}

/** What every environment stack has: its id, remote state, the AWS provider of its region and the DR policy pack. */
export abstract class EnvironmentStack extends TerraformStack {
  public readonly environment: Environment;
  public readonly awsProvider: AwsProvider;

  protected constructor(scope: Construct, layer: Layer, environment: Environment) {
    super(scope, stackId(layer, environment.region));
    this.environment = environment;
    useRemoteState(this, environment);
    this.awsProvider = awsProvider(this, environment, environment.region);
    applyPolicy(this);
  }
}
