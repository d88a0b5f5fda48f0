import { Testing, TerraformStack } from "cdktf";

/** The synthesized JSON of a stack, parsed. */
export type StackJson = {
  terraform: Record<string, any>;
  provider?: Record<string, any[]>;
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
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

/** The resource of a type whose construct path ends with `pathSuffix`. */
export function resourceAt(json: StackJson, type: string, pathSuffix: string): { id: string; config: any } {
  const entries = Object.entries(resources(json, type)).filter(([, config]) =>
    String(config["//"]?.metadata?.path ?? "").endsWith(pathSuffix),
  );
  if (entries.length !== 1) throw new Error(`expected one ${type} at *${pathSuffix}, found ${entries.length}`);
  return { id: entries[0][0], config: entries[0][1] };
}

/** `${type.id.attribute}` as Terraform references it. */
export function ref(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}
