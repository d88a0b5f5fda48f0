/**
 * Deploys stacks side by side as far as their dependencies allow: one run per stack, each started
 * as soon as every one of its dependencies among the selected stacks has been deployed.
 *
 * Why not `cdktf deploy a b c --parallelism N`: a recovery deploys stacks whose dependencies
 * (the standby layer, the primary's stacks) were deployed in peacetime, and cdktf 0.21 refuses such
 * a selection unless given `--ignore-missing-stack-dependencies`; with that flag its picker takes
 * the first pending stack and ignores dependencies altogether (cli-core `cdktf-project.ts`,
 * `deploy()`), so every stack starts at once, dependents read the state of stacks not yet applied,
 * and the run exits 1 with Terraform's error cut from the output. docs/benchmarks.md tells the story.
 *
 * Nothing here runs a process: the caller passes `run`, so the order and the concurrency are tested
 * on their own (test/tooling/deploy-scheduler.test.ts).
 */
import type { Manifest } from "../operations/stack-graph";

/** What one stack's run reports back to the scheduler. */
export interface StackRun {
  readonly ok: boolean;
  /** Where the run's whole output is, for the error message. */
  readonly logFile: string;
}

export interface ScheduleOptions<R extends StackRun> {
  /** The stack graph as cdktf wrote it (manifest.json). */
  readonly manifest: Manifest;
  /** The stacks to deploy; dependencies outside them must be deployed already (see `deployed`). */
  readonly stacks: readonly string[];
  /**
   * Whether a dependency outside `stacks` is deployed (a state file exists). Checked before
   * anything starts: a stack whose outside dependency is missing would fail reading its state.
   * @default - every outside dependency counts as deployed
   */
  readonly deployed?: (stackId: string) => boolean;
  /**
   * Stacks running at once.
   * @default - no limit: every stack whose dependencies are deployed runs
   */
  readonly concurrency?: number;
  /** Deploys one stack. A rejection counts as a failed run. */
  readonly run: (stackId: string) => Promise<R>;
  /** Milliseconds since some fixed point. @default Date.now */
  readonly now?: () => number;
}

export type ScheduledStatus = "deployed" | "failed" | "not started";

export interface ScheduledStack<R extends StackRun> {
  readonly stackId: string;
  /** Its dependencies among the selected stacks, sorted. */
  readonly dependencies: readonly string[];
  readonly status: ScheduledStatus;
  /** Seconds from the start of the schedule (undefined when not started). */
  readonly startSecond?: number;
  readonly finishSecond?: number;
  /** Its own run's seconds (0 when not started). */
  readonly seconds: number;
  /** The run's report (undefined when not started or when `run` threw). */
  readonly run?: R;
  /** For a failed run: why (its log file); for one not started: the failed stack it needed. */
  readonly reason?: string;
}

export interface ScheduleResult<R extends StackRun> {
  readonly ok: boolean;
  /** Every selected stack, in the order it started (not started ones last, by id). */
  readonly stacks: readonly ScheduledStack<R>[];
  /** From the first start to the last finish. */
  readonly wallSeconds: number;
  /** The same stacks' own times added up: what one after another would take. */
  readonly serialSeconds: number;
  /** Most stacks that ran at the same time. */
  readonly peakConcurrency: number;
  /** Undefined when ok; otherwise names each failed stack with its log file and what it held back. */
  readonly error?: string;
}

/**
 * Checks the selection against the manifest before anything runs: every stack exists, no cycle
 * among them, and every dependency outside the selection is deployed. Returns the problems.
 */
export function scheduleProblems(manifest: Manifest, stacks: readonly string[], deployed: (stackId: string) => boolean = () => true): string[] {
  const problems: string[] = [];
  const known = Object.keys(manifest.stacks);
  for (const id of stacks) if (!manifest.stacks[id]) problems.push(`${id}: no such stack in manifest.json (have: ${[...known].sort().join(", ")})`);
  if (problems.length > 0) return problems;
  for (const id of [...stacks].sort()) {
    for (const dep of [...manifest.stacks[id].dependencies].sort()) {
      if (!stacks.includes(dep) && !deployed(dep))
        problems.push(`${id} needs ${dep}, which is neither selected nor deployed: deploy ${dep} first or select it too`);
    }
  }
  // Kahn's algorithm: what never becomes ready is on (or behind) a cycle.
  const left = new Set(stacks);
  for (let progressed = true; progressed;) {
    progressed = false;
    for (const id of [...left]) {
      if (manifest.stacks[id].dependencies.every((d) => !left.has(d))) {
        left.delete(id);
        progressed = true;
      }
    }
  }
  if (left.size > 0) problems.push(`dependency cycle among ${[...left].sort().join(", ")}`);
  return problems;
}

/**
 * Runs the selected stacks: a stack starts when its selected dependencies are deployed (ties by
 * id, up to `concurrency` at once). A failed stack holds back everything that depends on it,
 * directly or not; independent stacks carry on, so one broken branch does not stop the others.
 */
export async function runSchedule<R extends StackRun>(options: ScheduleOptions<R>): Promise<ScheduleResult<R>> {
  const { manifest, run } = options;
  const now = options.now ?? Date.now;
  const stacks = [...new Set(options.stacks)];
  const concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
  if (!(concurrency >= 1) || (Number.isFinite(concurrency) && !Number.isInteger(concurrency))) {
    throw new Error(`runSchedule: concurrency must be a whole number >= 1 (got ${concurrency})`);
  }
  if (stacks.length === 0) throw new Error("runSchedule: no stacks selected");
  const problems = scheduleProblems(manifest, stacks, options.deployed);
  if (problems.length > 0) throw new Error(`cannot deploy ${stacks.join(", ")}:\n  ${problems.join("\n  ")}`);

  const dependenciesOf = new Map(stacks.map((id) => [id, manifest.stacks[id].dependencies.filter((d) => stacks.includes(d)).sort()]));
  const origin = now();
  const seconds = (ms: number) => (ms - origin) / 1000;
  const state = new Map<string, { status: ScheduledStatus | "running"; start?: number; finish?: number; run?: R; reason?: string }>(
    stacks.map((id) => [id, { status: "not started" }]),
  );
  const startOrder: string[] = [];
  let running = 0;
  let peak = 0;

  const ready = () =>
    stacks
      .filter((id) => state.get(id)!.status === "not started" && !state.get(id)!.reason)
      .filter((id) => dependenciesOf.get(id)!.every((d) => state.get(d)!.status === "deployed"))
      .sort();
  // Everything that depends on `failed`, directly or not, will never start.
  const holdBack = (failed: string) => {
    for (const [id, deps] of dependenciesOf) {
      const entry = state.get(id)!;
      if (deps.includes(failed) && entry.status === "not started" && !entry.reason) {
        entry.reason = `needs ${failed}, which failed`;
        holdBack(id);
      }
    }
  };

  await new Promise<void>((resolve) => {
    const pump = () => {
      for (const id of ready()) {
        if (running >= concurrency) break;
        const entry = state.get(id)!;
        entry.status = "running";
        entry.start = now();
        startOrder.push(id);
        running++;
        peak = Math.max(peak, running);
        // A throwing `run` is a failed stack, not a crashed schedule: the others still finish.
        Promise.resolve()
          .then(() => run(id))
          .then(
            (result) => finish(id, result.ok, result, result.ok ? undefined : `failed; its log: ${result.logFile}`),
            (error: unknown) => finish(id, false, undefined, `failed: ${error instanceof Error ? error.message : String(error)}`),
          );
      }
      if (running === 0) resolve();
    };
    const finish = (id: string, ok: boolean, result: R | undefined, reason: string | undefined) => {
      const entry = state.get(id)!;
      entry.status = ok ? "deployed" : "failed";
      entry.finish = now();
      entry.run = result;
      entry.reason = reason;
      running--;
      if (!ok) holdBack(id);
      pump();
    };
    pump();
  });

  const scheduled = [...startOrder, ...stacks.filter((id) => !startOrder.includes(id)).sort()].map((id): ScheduledStack<R> => {
    const entry = state.get(id)!;
    const started = entry.start !== undefined && entry.finish !== undefined;
    return {
      stackId: id,
      dependencies: dependenciesOf.get(id)!,
      status: entry.status as ScheduledStatus,
      startSecond: started ? seconds(entry.start!) : undefined,
      finishSecond: started ? seconds(entry.finish!) : undefined,
      seconds: started ? (entry.finish! - entry.start!) / 1000 : 0,
      run: entry.run,
      reason: entry.reason,
    };
  });
  const ran = scheduled.filter((s) => s.startSecond !== undefined);
  const failed = scheduled.filter((s) => s.status === "failed");
  const heldBack = scheduled.filter((s) => s.status === "not started");
  const error =
    failed.length === 0
      ? undefined
      : [
          ...failed.map((s) => `${s.stackId} ${s.reason}`),
          ...(heldBack.length > 0 ? [`not started: ${heldBack.map((s) => `${s.stackId} (${s.reason})`).join(", ")}`] : []),
        ].join("\n");
  return {
    ok: failed.length === 0,
    stacks: scheduled,
    wallSeconds: ran.length === 0 ? 0 : Math.max(...ran.map((s) => s.finishSecond!)) - Math.min(...ran.map((s) => s.startSecond!)),
    serialSeconds: ran.reduce((sum, s) => sum + s.seconds, 0),
    peakConcurrency: peak,
    error,
  };
}
