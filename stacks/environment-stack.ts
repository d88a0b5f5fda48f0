import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsProvider } from "../lib";
import type { Environment } from "../lib/environment";
import { stackId, type Layer } from "../lib/naming";
import { applyPolicy } from "../lib/policy";
import { targetOf } from "../lib/targets";

/**
 * What every environment stack has: its id, its state (where the deployment target keeps it), the
 * AWS provider of its region, the target's finishing step and the DR policy pack.
 */
export abstract class EnvironmentStack<E extends Environment = Environment> extends TerraformStack {
  public readonly environment: E;
  public readonly awsProvider: AwsProvider;

  /** @param generation of a cluster layer (`stackId`); 1 for every other layer. */
  protected constructor(scope: Construct, layer: Layer, environment: E, generation = 1) {
    super(scope, stackId(layer, environment.region, generation));
    this.environment = environment;
    const target = targetOf(this);
    target.bindState(this, environment.state);
    this.awsProvider = awsProvider(this, environment, environment.region);
    target.finishStack(this);
    applyPolicy(this);
  }
}
