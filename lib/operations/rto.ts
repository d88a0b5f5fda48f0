/**
 * The modelled recovery time of a region: how long `cdktf deploy` of its stacks takes on real
 * AWS, from the synthesized app alone (manifest.json and each stack's cdk.tf.json) and a table
 * of typical creation times (creation-times.ts). Nothing here calls AWS or imports cdktf.
 *
 * Within a stack Terraform starts a resource when everything it references or `depends_on` is
 * created, at most `parallelism` at a time; the model replays exactly that. Across stacks, a
 * stack starts when all of its dependencies are deployed (what `cdktf deploy --parallelism`
 * does), so the recovery takes as long as the critical path through the stack graph, not the
 * serial sum of the stacks. docs/rto.md describes the figures and the limits of the model.
 */
import { AFTER_SERVING_KINDS, parseStackId } from "../naming";
import * as fs from "fs";
import * as path from "path";
import { CREATION_TIMES, type CreationTimeTable } from "./creation-times";
import { deployOrder, type Manifest } from "./stack-graph";
import type { Environment } from "../environment";
import { isPeacetimeLayer } from "./runbook";

export const RTO_USAGE = `Usage: npm run dr -- rto <region> [--mermaid]

Prints the modelled recovery time of the environment in environments/<region>.ts: every stack
of the region from the synthesized manifest.json with its modelled duration, start and finish
(a stack starts when all of its dependencies are deployed), the critical path and, beside it,
the serial sum of the same stacks. Durations come from typical creation times per resource type
(lib/operations/creation-times.ts, sources in docs/rto.md); the database restore is scaled by the
environment's database.allocatedStorageGb. --mermaid prints a Mermaid gantt chart instead.
It is a model: nothing is deployed and no AWS account is needed.`;

/** Terraform's default `-parallelism`. */
export const DEFAULT_PARALLELISM = 10;

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

/**
 * The stacks a recovery of one region deploys: the region's stacks (ids `<kind>-<region>`), not its
 * standby layer, which is deployed in peacetime.
 */
export function stacksOfRegion(region: string): (stackId: string) => boolean {
  return (stackId) => {
    const parsed = parseStackId(stackId);
    return parsed !== undefined && parsed.region === region && parsed.layer !== "standby";
  };
}

/**
 * The stacks a region needs to serve traffic again: stacksOfRegion without the kinds deployed
 * afterwards (a recovery's backup replication), which nothing waits for. The recovery time.
 */
export function stacksToServe(region: string): (stackId: string) => boolean {
  const ofRegion = stacksOfRegion(region);
  return (stackId) => ofRegion(stackId) && !AFTER_SERVING_KINDS.includes(parseStackId(stackId)!.layer);
}

export interface RtoInput {
  /** manifest.json of the synthesized app: stack ids and their dependencies. */
  readonly manifest: Manifest;
  /** Each stack's resources (readStackResources), by stack id; every selected stack needs an entry. */
  readonly resources: Readonly<Record<string, readonly SynthesizedResource[]>>;
  /**
   * The stacks of the recovery: ids, or a predicate such as stacksOfRegion(region). Dependencies
   * outside the selection are taken as deployed already (the state bucket, the primary's stacks).
   */
  readonly stacks: readonly string[] | ((stackId: string) => boolean);
  /** The environment's database.allocatedStorageGb: scales a database restore. */
  readonly databaseAllocatedStorageGib: number;
  /** @default CREATION_TIMES */
  readonly creationTimes?: CreationTimeTable;
  /** Resources Terraform creates at once within one stack (`-parallelism`). @default 10 */
  readonly parallelism?: number;
}

export interface StackTiming {
  readonly stackId: string;
  /** Its dependencies among the selected stacks. */
  readonly dependencies: readonly string[];
  /** Modelled duration: the stack overhead plus its resources as Terraform schedules them. */
  readonly minutes: number;
  /** The same without the parallelism limit: the overhead plus its longest dependency chain. */
  readonly unlimitedMinutes: number;
  /** Minutes from the start of the recovery; a stack starts when all of its dependencies finish. */
  readonly startMinute: number;
  readonly finishMinute: number;
  readonly critical: boolean;
  /** The chain of resources that ends last in the stack, first to last, with each one's minutes. */
  readonly longestChain: readonly { readonly address: string; readonly type: string; readonly minutes: number }[];
}

export interface RtoResult {
  /** Every selected stack, by start minute, then id. */
  readonly stacks: readonly StackTiming[];
  /** Stack ids from the first to the one that finishes last. */
  readonly criticalPath: readonly string[];
  /** The modelled recovery time: when the last stack finishes. */
  readonly criticalPathMinutes: number;
  /** The same stacks deployed one after another. */
  readonly serialMinutes: number;
  readonly parallelism: number;
  /** Each database restore found and its modelled minutes. */
  readonly restores: readonly { readonly stackId: string; readonly address: string; readonly storageGib: number; readonly minutes: number }[];
  /** Resource types that had no figure and took the table's default, sorted. */
  readonly defaultedTypes: readonly string[];
  readonly defaultMinutes: number;
}

function validate(input: RtoInput, table: CreationTimeTable, parallelism: number, selected: string[]): void {
  const problems: string[] = [];
  const gib = input.databaseAllocatedStorageGib;
  if (!Number.isFinite(gib) || gib <= 0) problems.push(`databaseAllocatedStorageGib must be a positive number of GiB (got ${gib})`);
  if (!Number.isInteger(parallelism) || parallelism < 1) problems.push(`parallelism must be a whole number >= 1 (got ${parallelism})`);
  const figures: [string, number][] = [
    ...Object.entries(table.resources).map(([type, t]): [string, number] => [`resources.${type}.minutes`, t.minutes]),
    ["unknownResource.minutes", table.unknownResource.minutes],
    ["dataSource.minutes", table.dataSource.minutes],
    ["stackOverhead.minutes", table.stackOverhead.minutes],
    ["databaseRestore.baseMinutes", table.databaseRestore.baseMinutes],
    ["databaseRestore.minutesPerGib", table.databaseRestore.minutesPerGib],
  ];
  for (const [field, minutes] of figures)
    if (!Number.isFinite(minutes) || minutes < 0) problems.push(`creationTimes.${field} must be a number >= 0 (got ${minutes})`);
  if (selected.length === 0) problems.push(`stacks selects none of the manifest's stacks (${Object.keys(input.manifest.stacks).sort().join(", ")})`);
  for (const id of selected) if (!input.resources[id]) problems.push(`resources has no entry for stack ${id}`);
  if (problems.length > 0) throw new Error(`modelRto: ${problems.join("; ")}`);
}

/** Throws on a cycle among a stack's resources, naming it (Terraform would refuse the stack). */
function assertAcyclic(stackId: string, byAddress: Map<string, SynthesizedResource>): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (address: string, trail: string[]): void => {
    if (state.get(address) === "done") return;
    if (state.get(address) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(address)), address];
      throw new Error(`stack ${stackId}: dependency cycle among resources ${cycle.join(" -> ")}`);
    }
    state.set(address, "visiting");
    for (const dep of byAddress.get(address)!.dependsOn) if (byAddress.has(dep)) visit(dep, [...trail, address]);
    state.set(address, "done");
  };
  for (const address of [...byAddress.keys()].sort()) visit(address, []);
}

/**
 * Replays Terraform's walk of one stack: a resource's instances become ready when all it depends
 * on is created and take a free slot (ready order, then address); returns when each resource is
 * created. Dependencies outside the stack are not in `resources` (they are in deployed stacks).
 */
function schedule(resources: readonly SynthesizedResource[], minutesOf: (r: SynthesizedResource) => number, slots: number): Map<string, number> {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const waiting = new Map(resources.map((r) => [r.address, r.dependsOn.filter((d) => byAddress.has(d)).length]));
  const dependents = new Map<string, string[]>();
  for (const r of resources) for (const dep of r.dependsOn) if (byAddress.has(dep)) dependents.set(dep, [...(dependents.get(dep) ?? []), r.address]);
  const unfinished = new Map(resources.map((r) => [r.address, r.instances]));
  const finished = new Map<string, number>();
  const queue: { address: string; toStart: number }[] = [];
  const running: { address: string; end: number }[] = [];

  // What is created at `now` releases its dependents; a resource with count = 0 is created at
  // once and releases its own. All that becomes ready at `now` queues together, in address order.
  const released = (created: readonly string[], now: number): string[] => {
    const ready: string[] = [];
    for (const address of created) {
      finished.set(address, now);
      for (const d of dependents.get(address) ?? []) {
        waiting.set(d, waiting.get(d)! - 1);
        if (waiting.get(d) === 0) ready.push(d);
      }
    }
    return ready;
  };
  const enqueue = (ready: readonly string[], now: number): void => {
    const toQueue: string[] = [];
    for (let batch = ready; batch.length > 0;) {
      toQueue.push(...batch.filter((a) => byAddress.get(a)!.instances > 0));
      batch = released(
        batch.filter((a) => byAddress.get(a)!.instances === 0),
        now,
      );
    }
    for (const address of toQueue.sort()) queue.push({ address, toStart: byAddress.get(address)!.instances });
  };

  let now = 0;
  enqueue(
    resources.filter((r) => waiting.get(r.address) === 0).map((r) => r.address),
    now,
  );
  while (queue.length > 0 || running.length > 0) {
    while (running.length < slots && queue.length > 0) {
      const head = queue[0];
      running.push({ address: head.address, end: now + minutesOf(byAddress.get(head.address)!) });
      if (--head.toStart === 0) queue.shift();
    }
    now = Math.min(...running.map((r) => r.end));
    const created: string[] = [];
    for (const { address } of running.filter((r) => r.end === now)) {
      unfinished.set(address, unfinished.get(address)! - 1);
      if (unfinished.get(address) === 0) created.push(address);
    }
    running.splice(0, running.length, ...running.filter((r) => r.end !== now));
    enqueue(released(created, now), now);
  }
  return finished;
}

/** The modelled recovery time of the selected stacks. */
export function modelRto(input: RtoInput): RtoResult {
  const table = input.creationTimes ?? CREATION_TIMES;
  const parallelism = input.parallelism ?? DEFAULT_PARALLELISM;
  const isSelected = typeof input.stacks === "function" ? input.stacks : (id: string) => (input.stacks as readonly string[]).includes(id);
  const selected = Object.keys(input.manifest.stacks).filter(isSelected).sort();
  validate(input, table, parallelism, selected);

  const storageGib = input.databaseAllocatedStorageGib;
  const restoreMinutes = table.databaseRestore.baseMinutes + table.databaseRestore.minutesPerGib * storageGib;
  const defaulted = new Set<string>();
  const minutesOf = (r: SynthesizedResource): number => {
    if (r.dataSource) return table.dataSource.minutes;
    if (r.restore) return restoreMinutes;
    const figure = table.resources[r.type];
    if (figure) return figure.minutes;
    defaulted.add(r.type);
    return table.unknownResource.minutes;
  };

  const timings = new Map<string, Omit<StackTiming, "startMinute" | "finishMinute" | "critical" | "dependencies">>();
  const restores: RtoResult["restores"][number][] = [];
  for (const stackId of selected) {
    const resources = input.resources[stackId];
    const byAddress = new Map(resources.map((r) => [r.address, r]));
    assertAcyclic(stackId, byAddress);
    const limited = schedule(resources, minutesOf, parallelism);
    const unlimited = schedule(resources, minutesOf, Number.POSITIVE_INFINITY);
    const end = (finished: Map<string, number>) => Math.max(0, ...finished.values());
    // Walk back from the resource created last through the dependency created last.
    const chain: SynthesizedResource[] = [];
    let last = resources.filter((r) => limited.get(r.address) === end(limited))[0];
    while (last) {
      chain.unshift(last);
      const deps = last.dependsOn.filter((d) => byAddress.has(d));
      last = deps.filter((d) => limited.get(d) === Math.max(...deps.map((x) => limited.get(x)!))).map((d) => byAddress.get(d)!)[0];
    }
    for (const r of resources) if (r.restore) restores.push({ stackId, address: r.address, storageGib, minutes: restoreMinutes });
    timings.set(stackId, {
      stackId,
      minutes: table.stackOverhead.minutes + end(limited),
      unlimitedMinutes: table.stackOverhead.minutes + end(unlimited),
      longestChain: chain.map((r) => ({ address: r.address, type: r.dataSource ? `data.${r.type}` : r.type, minutes: minutesOf(r) })),
    });
  }

  const finish = new Map<string, number>();
  const placed = deployOrder(input.manifest, (id) => selected.includes(id)).map((stackId) => {
    const dependencies = input.manifest.stacks[stackId].dependencies.filter((d) => selected.includes(d)).sort();
    const startMinute = Math.max(0, ...dependencies.map((d) => finish.get(d)!));
    const timing = timings.get(stackId)!;
    finish.set(stackId, startMinute + timing.minutes);
    return { ...timing, dependencies, startMinute, finishMinute: startMinute + timing.minutes };
  });

  const total = Math.max(...placed.map((s) => s.finishMinute));
  const criticalPath: string[] = [];
  let current = placed.filter((s) => s.finishMinute === total).sort((a, b) => (a.stackId < b.stackId ? -1 : 1))[0];
  while (current) {
    const { stackId, dependencies, startMinute } = current;
    criticalPath.unshift(stackId);
    current = placed.filter((s) => dependencies.includes(s.stackId) && s.finishMinute === startMinute).sort((a, b) => (a.stackId < b.stackId ? -1 : 1))[0];
  }

  return {
    stacks: placed
      .map((s) => ({ ...s, critical: criticalPath.includes(s.stackId) }))
      .sort((a, b) => a.startMinute - b.startMinute || (a.stackId < b.stackId ? -1 : 1)),
    criticalPath,
    criticalPathMinutes: total,
    serialMinutes: placed.reduce((sum, s) => sum + s.minutes, 0),
    parallelism,
    restores,
    defaultedTypes: [...defaulted].sort(),
    defaultMinutes: table.unknownResource.minutes,
  };
}

const fixed = (minutes: number) => minutes.toFixed(1);

function formatText(result: RtoResult): string {
  const header = ["", "stack", "minutes", "start", "finish", "longest chain in the stack (minutes each)"];
  const rows = result.stacks.map((s) => [
    s.critical ? "*" : "",
    s.stackId,
    fixed(s.minutes),
    fixed(s.startMinute),
    fixed(s.finishMinute),
    s.longestChain.map((r) => `${r.type} ${fixed(r.minutes)}`).join(" -> ") || "(no resources)",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const saved = result.serialMinutes - result.criticalPathMinutes;
  const lines = [
    `Modelled recovery time in minutes (a stack starts when its dependencies finish; Terraform parallelism ${result.parallelism} within a stack)`,
    line(header),
    ...rows.map(line),
    "",
    `Critical path (*): ${result.criticalPath.join(" -> ")}: ${fixed(result.criticalPathMinutes)} min`,
    `Serial sum (one stack after another): ${fixed(result.serialMinutes)} min (${fixed(saved)} min more than the critical path)`,
  ];
  for (const s of result.stacks) {
    if (s.minutes > s.unlimitedMinutes)
      lines.push(`${s.stackId}: the parallelism limit adds ${fixed(s.minutes - s.unlimitedMinutes)} min to its longest chain`);
  }
  for (const r of result.restores) lines.push(`Database restore ${r.address} (${r.stackId}, ${r.storageGib} GiB): ${fixed(r.minutes)} min`);
  if (result.defaultedTypes.length > 0) lines.push(`No figure for ${result.defaultedTypes.join(", ")}: ${fixed(result.defaultMinutes)} min each (default)`);
  lines.push("Figures and their sources: docs/rto.md. A model, not a measurement.");
  return lines.join("\n");
}

function formatMermaid(result: RtoResult): string {
  // dateFormat X reads seconds; the axis shows them as a clock from 00:00 (in the viewer's time
  // zone), so each bar also carries its minutes in its label.
  const seconds = (minutes: number) => Math.round(minutes * 60);
  const task = (s: StackTiming) =>
    `  ${s.stackId} (${fixed(s.minutes)} min) :${s.critical ? "crit, " : ""}${s.stackId.replace(/[^A-Za-z0-9_]/g, "_")}, ${seconds(s.startMinute)}, ${seconds(s.finishMinute)}`;
  const critical = result.stacks.filter((s) => s.critical);
  const other = result.stacks.filter((s) => !s.critical);
  return [
    "gantt",
    `  title Modelled recovery: critical path ${fixed(result.criticalPathMinutes)} min, serial sum ${fixed(result.serialMinutes)} min`,
    "  dateFormat X",
    "  axisFormat %H:%M",
    "  section Critical path",
    ...critical.map(task),
    ...(other.length > 0 ? ["  section Other stacks", ...other.map(task)] : []),
  ].join("\n");
}

/** The result as a text table (with the serial sum beside the critical path) or a Mermaid gantt chart. */
export function formatRto(result: RtoResult, format: "text" | "mermaid"): string {
  return format === "mermaid" ? formatMermaid(result) : formatText(result);
}

/**
 * Reads a synthesized app (cdktf.out) and models the recovery time of one environment: the stacks
 * its region deploys on the day (not its peacetime layers: the standby layer, a pilot light's
 * networking; runbook.ts `isPeacetimeLayer`), nor what it deploys after it serves (`stacksToServe`).
 */
export function modelRegionRto(outdir: string, environment: Environment, creationTimes: CreationTimeTable = CREATION_TIMES): RtoResult {
  const onTheDay = (id: string) => stacksToServe(environment.region)(id) && !isPeacetimeLayer(environment, parseStackId(id)!.layer);
  return modelRto({ ...readSynthesizedApp(outdir), stacks: onTheDay, databaseAllocatedStorageGib: environment.database.allocatedStorageGb, creationTimes });
}
