import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsProvider } from "../lib";
import type { Environment } from "../lib/environment";
import { stackId, type Layer } from "../lib/naming";
import { applyPolicy } from "../lib/policy";
import { markRehearsalStack } from "../lib/rehearsal";
import { targetOf } from "../lib/targets";

/**
 * What every environment stack has: its id, its state (where the deployment target keeps it), the
 * AWS provider of its region, the target's finishing step and the DR policy pack. A stack of a
 * rehearsal generation (the environment `rehearsing`) takes a `-rehearsal` id and lifts the
 * stateful protection its teardown needs (lib/rehearsal.ts), before the pack judges it.
 */
export abstract class EnvironmentStack<E extends Environment = Environment> extends TerraformStack {
  public readonly environment: E;
  public readonly awsProvider: AwsProvider;

  /** @param generation of a cluster layer (`stackId`); 1 for every other layer. */
  protected constructor(scope: Construct, layer: Layer, environment: E, generation = 1) {
    super(scope, stackId(layer, environment.region, generation, environment.rehearsing === true));
    this.environment = environment;
    const target = targetOf(this);
    target.bindState(this, environment.state);
    this.awsProvider = awsProvider(this, environment, environment.region);
    target.finishStack(this);
    if (environment.rehearsing) markRehearsalStack(this);
    applyPolicy(this);
  }
}
