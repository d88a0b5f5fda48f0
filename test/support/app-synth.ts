import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import type { StackJson } from "./synth";

/**
 * Synthesizes the whole app (as `cdktf synth` does) and returns a reader of each stack's JSON.
 * Unlike `Testing.synth`, this resolves cross-stack references into `terraform_remote_state`
 * data sources and `cross-stack-output-*` outputs. The `//` metadata blocks are removed.
 */
export function synthApp(app: App): (stackId: string) => StackJson {
  app.synth();
  const cache = new Map<string, StackJson>();
  return (stackId) => {
    if (!cache.has(stackId)) {
      cache.set(stackId, withoutMetadata(JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", stackId, "cdk.tf.json"), "utf8"))));
    }
    return cache.get(stackId)!;
  };
}

/** The app's manifest.json (stack dependencies). */
export function manifestOf(app: App): { stacks: Record<string, { dependencies: string[] }> } {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, "manifest.json"), "utf8"));
}

function withoutMetadata(value: any): any {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "//")
      .map(([key, v]) => [key, withoutMetadata(v)]),
  );
}

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([^.]+)\.outputs\.([^.}]+)\}$/;

/**
 * A cross-stack reference as the consuming stack reads it:
 * `${data.terraform_remote_state.cross-stack-reference-input-<producer>.outputs.<output>}`.
 */
export function remoteOutputRef(producerStackId: string, outputName: string): string {
  return `\${data.terraform_remote_state.cross-stack-reference-input-${producerStackId}.outputs.${outputName}}`;
}

/** The producer stack and output a cross-stack reference reads; undefined for anything else. */
export function parseRemoteOutputRef(value: string): { stackId: string; output: string } | undefined {
  const match = REMOTE_OUTPUT.exec(value);
  return match ? { stackId: match[1], output: match[2] } : undefined;
}

/**
 * What a cross-stack reference reads: the value of the producer stack's output, e.g.
 * `${aws_kms_key.<id>.arn}`. Fails when `value` is no such reference or the output is missing.
 */
export function followRemoteOutput(read: (stackId: string) => StackJson, value: string): unknown {
  const parsed = parseRemoteOutputRef(value);
  if (!parsed) throw new Error(`not a cross-stack reference: ${value}`);
  const output = read(parsed.stackId).output?.[parsed.output];
  if (output === undefined) throw new Error(`${parsed.stackId} has no output ${parsed.output}`);
  return output.value;
}
