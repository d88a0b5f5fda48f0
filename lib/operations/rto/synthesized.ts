import * as fs from "fs";
import * as path from "path";
import type { Manifest } from "../stack-graph";

/**
 * A synthesized app as the recovery-time model reads it: each stack's resources and data sources,
 * and what each one waits for (references, depends_on, its provider's configuration).
 */

/** One resource or data source of a synthesized stack, with what it waits for. */
export interface SynthesizedResource {
  /** Terraform address in its stack: `aws_vpc.vpc_resource_1A2B3C4D`, `data.aws_eks_cluster.cluster`. */
  readonly address: string;
  /** Terraform type (`aws_eks_cluster`), for data sources too. */
  readonly type: string;
  readonly dataSource: boolean;
  /** Instances Terraform creates: a literal `count`, else 1. */
  readonly instances: number;
  /**
   * Addresses in the same stack that must exist first: its references (`${aws_x.name.attr}`),
   * its `depends_on`, and the references of the provider configuration it uses.
   */
  readonly dependsOn: readonly string[];
  /** An `aws_db_instance` created from a backup (`restore_to_point_in_time` or `snapshot_identifier`). */
  readonly restore: boolean;
}

/** The parts of a synthesized cdk.tf.json that the model reads. */
export interface SynthesizedStackJson {
  readonly provider?: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** `aws_x.name` or `data.aws_x.name` at the start of a reference; names may hold `-` (cdktf ids). */
const REFERENCE = /(?<![\w.-])((?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)/g;

function referencesIn(value: unknown, found: Set<string>): Set<string> {
  if (typeof value === "string") {
    if (value.includes("${")) for (const match of value.matchAll(REFERENCE)) found.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) if (key !== "//") referencesIn(item, found);
  }
  return found;
}

/** The resources and data sources of one synthesized stack, sorted by address. */
export function readStackResources(json: SynthesizedStackJson): SynthesizedResource[] {
  const blocks = [
    ...Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => ({ type, dataSource: false, address: `${type}.${name}`, body })),
    ),
    ...Object.entries(json.data ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => ({ type, dataSource: true, address: `data.${type}.${name}`, body })),
    ),
  ];
  const addresses = new Set(blocks.map((b) => b.address));
  return blocks
    .map(({ type, dataSource, address, body }) => {
      const waitsFor = referencesIn(body, new Set());
      for (const dep of Array.isArray(body.depends_on) ? body.depends_on : []) waitsFor.add(String(dep));
      // A resource also waits for whatever its provider is configured from (a cluster endpoint).
      const [providerName, alias] = typeof body.provider === "string" ? body.provider.split(".") : [type.split("_")[0], undefined];
      referencesIn(
        json.provider?.[providerName]?.find((config) => config.alias === alias),
        waitsFor,
      );
      return {
        address,
        type,
        dataSource,
        instances: typeof body.count === "number" ? body.count : 1,
        dependsOn: [...waitsFor].filter((a) => a !== address && addresses.has(a)).sort(),
        restore: !dataSource && type === "aws_db_instance" && (body.restore_to_point_in_time !== undefined || body.snapshot_identifier !== undefined),
      };
    })
    .sort((a, b) => (a.address < b.address ? -1 : 1));
}

/** manifest.json and every stack's resources of a synthesized app (a cdktf.out folder). */
export function readSynthesizedApp(outdir: string): { manifest: Manifest; resources: Record<string, SynthesizedResource[]> } {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies: string[]; synthesizedStackPath?: string }>;
  };
  const resources: Record<string, SynthesizedResource[]> = {};
  for (const [id, stack] of Object.entries(manifest.stacks)) {
    const file = path.join(outdir, stack.synthesizedStackPath ?? path.join("stacks", id, "cdk.tf.json"));
    resources[id] = readStackResources(JSON.parse(fs.readFileSync(file, "utf8")));
  }
  return { manifest, resources };
}
