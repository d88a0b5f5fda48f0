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
import { AFTER_SERVING_KINDS, parseStackId } from "../../naming";
import type { Environment, RecoveryTier } from "../../environment";
import { CREATION_TIMES, type CreationTimeTable } from "../creation-times";
import { isPeacetimeLayer, isServingGeneration } from "../day-stacks";
import { deployOrder, type Manifest } from "../stack-graph";
import { assertAcyclic, schedule } from "./schedule";
import { readSynthesizedApp, type SynthesizedResource } from "./synthesized";

/** Terraform's default `-parallelism`. */
export const DEFAULT_PARALLELISM = 10;

/**
 * The stacks a recovery of one region deploys: the region's stacks (ids `<kind>-<region>`), not its
 * standby layer, which is deployed in peacetime.
 */
export function stacksOfRegion(region: string): (stackId: string) => boolean {
  return (stackId) => {
    const parsed = parseStackId(stackId);
    // A rehearsal generation's stacks (`-rehearsal`) are never part of a recovery.
    return parsed !== undefined && parsed.region === region && parsed.layer !== "standby" && !parsed.rehearsal;
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
  /** The recovery tier modelled (modelTierRto), when the model is of one. */
  readonly tier?: RecoveryTier;
  /** What the rows are: stacks deployed (the default), or a warm standby's day actions (tiers.ts). */
  readonly rows?: "stacks" | "actions";
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
/**
 * Reads a synthesized app (cdktf.out) and models the recovery time of one environment: the stacks
 * its region deploys on the day (not its peacetime layers: the standby layer, a pilot light's
 * networking; runbook.ts `isPeacetimeLayer`), nor what it deploys after it serves (`stacksToServe`).
 */
export function modelRegionRto(outdir: string, environment: Environment, creationTimes: CreationTimeTable = CREATION_TIMES): RtoResult {
  const onTheDay = (id: string) =>
    stacksToServe(environment.region)(id) && !isPeacetimeLayer(environment, parseStackId(id)!.layer) && isServingGeneration(environment, parseStackId(id)!);
  return modelRto({ ...readSynthesizedApp(outdir), stacks: onTheDay, databaseAllocatedStorageGib: environment.database.allocatedStorageGb, creationTimes });
}
