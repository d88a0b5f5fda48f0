import { Testing, TerraformStack } from "cdktf";

/** The synthesized JSON of a stack, parsed. */
export type StackJson = {
  terraform: Record<string, any>;
  provider?: Record<string, any[]>;
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  locals?: Record<string, any>;
  /** Terraform `removed` blocks (ForgottenResource). */
  removed?: { from: string; lifecycle: { destroy: boolean } }[];
  import?: { for_each: string; to: string; id: string }[];
};

export function synthJson(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack));
}

/** Every resource of a type, keyed by logical id. */
export function resources(json: StackJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails when there is not exactly one. */
export function onlyResource(json: StackJson, type: string): { id: string; config: any } {
  const entries = Object.entries(resources(json, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return { id: entries[0][0], config: entries[0][1] };
}

/**
 * The resource of a type whose construct path ends with `pathSuffix` (`vpc/public-us-east-1a`).
 * Logical ids are the path below the stack joined with `_`, plus a hash.
 */
export function resourceAt(json: StackJson, type: string, pathSuffix: string): { id: string; config: any } {
  const wanted = pathSuffix.split("/").join("_");
  const entries = Object.entries(resources(json, type)).filter(([id]) => {
    const path = id.replace(/_[0-9A-F]{8}$/, "");
    return path === wanted || path.endsWith(`_${wanted}`);
  });
  // A path that is a resource's whole path wins over longer ones ending in it (`flux-role/resource` beside `generation-2/flux-role/resource`).
  const exact = entries.filter(([id]) => id.replace(/_[0-9A-F]{8}$/, "") === wanted);
  const found = exact.length === 1 ? exact : entries;
  if (found.length !== 1) throw new Error(`expected one ${type} at *${pathSuffix}, found ${found.length}`);
  return { id: found[0][0], config: found[0][1] };
}

/** `${type.id.attribute}` as Terraform references it. */
export function ref(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}

import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** An empty stack with an AWS provider, to put one construct under test in. */
export function testStack(id = "test"): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}
