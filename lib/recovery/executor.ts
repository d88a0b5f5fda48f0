import {
  isComplete,
  newJournal,
  readySteps,
  resumeProblem,
  runFinished,
  startRun,
  stepFinished,
  stepStarted,
  type Journal,
  type RecoveryPointRow,
  type RunOutcome,
  type StepRecord,
} from "./journal";
import type { PlanStep, RecoveryPlan } from "./plan";

/**
 * Runs a plan: every step whose `after` steps are done starts at once (independent deploys side by
 * side), a failed step holds back only what waits for it, the journal is written after every
 * change, and a rerun resumes where the last run stopped. How a step runs is the caller's
 * (`run`): the same executor serves a real account and the emulator, which differ in their runner,
 * never here.
 */

/** What one step's run reports. */
export interface StepOutcome {
  readonly status: "done" | "failed" | "skipped";
  /** The error, or why it was skipped. */
  readonly detail?: string;
  readonly outputs?: Record<string, string>;
}

/** What a step's runner knows besides the step: its attempt, the stop signal, and how its previous attempt ended. */
export interface StepContext {
  readonly attempt: number;
  readonly signal: AbortSignal;
  /** The step's journal record as this attempt starts (its last attempt's times and detail); undefined on a first attempt. */
  readonly previous?: StepRecord;
}

export type StepRunner = (step: PlanStep, context: StepContext) => Promise<StepOutcome>;

/** Where the journal is kept (journal-store.ts: the state bucket and a local file). */
export interface JournalStore {
  /** The newest journal of this recovery, if any. */
  read(warn: (message: string) => void): Promise<Journal | undefined>;
  /** Keeps it; a store that cannot write everywhere says so through `warn`. */
  write(journal: Journal, warn: (message: string) => void): Promise<void>;
}

export type ExecutorEvent =
  | { readonly type: "run-started"; readonly journal: Journal; readonly resumed: boolean }
  | { readonly type: "step-started"; readonly step: PlanStep; readonly attempt: number }
  | { readonly type: "step-finished"; readonly step: PlanStep; readonly outcome: StepOutcome; readonly seconds: number }
  | { readonly type: "warning"; readonly message: string }
  | { readonly type: "run-finished"; readonly outcome: Exclude<RunOutcome, "running">; readonly journal: Journal };

export interface ExecuteOptions {
  readonly plan: RecoveryPlan;
  readonly store: JournalStore;
  readonly run: StepRunner;
  /**
   * Restart from this step (and everything after it), even if done.
   * @default - resume: only steps not done run
   */
  readonly from?: string;
  /**
   * Start a new recovery even when the store holds one (a finished recovery's journal is kept by
   * the store under its id).
   * @default false
   */
  readonly fresh?: boolean;
  /** Who runs it (STS caller identity), for the journal and the report. */
  readonly caller?: string;
  /**
   * Reads each store's recovery point; called once, when a new recovery starts (not on a resume).
   * @default - none recorded
   */
  readonly recoveryPoints?: () => Promise<readonly RecoveryPointRow[]>;
  /** Stops starting steps; running ones are asked to stop (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ExecutorEvent) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface ExecuteResult {
  readonly journal: Journal;
  readonly outcome: Exclude<RunOutcome, "running">;
}

/** Runs the plan's steps not done yet; resolves when nothing more can start. */
export async function execute(options: ExecuteOptions): Promise<ExecuteResult> {
  const { plan, store } = options;
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  const warn = (message: string) => emit({ type: "warning", message });

  const stored = options.fresh ? undefined : await store.read(warn);
  // A finished recovery is history, never a reason to do nothing: the next outage (or drill) after
  // it starts a new recovery, and the store keeps the finished journal under its id. `--from`
  // re-runs steps of the finished one instead.
  const finished = stored !== undefined && isComplete(stored) && options.from === undefined;
  if (finished) {
    warn(
      `recovery ${stored.recoveryId} completed (${stored.updatedAt}); this is a new recovery (the finished journal is kept under its id; --from <step> re-runs steps of it instead)`,
    );
  }
  const existing = finished ? undefined : stored;
  if (existing) {
    const problem = resumeProblem(existing, plan);
    if (problem) throw new Error(`cannot resume recovery ${existing.recoveryId}: ${problem}; start a new one with --new`);
  }
  let journal = existing ?? newJournal(plan, now(), await options.recoveryPoints?.());
  // Ids are stamps to the second: a new recovery never takes the id of the one it follows.
  if (finished && journal.recoveryId === stored.recoveryId) journal = { ...journal, recoveryId: `${journal.recoveryId}-2` };
  journal = startRun(journal, plan, now(), { from: options.from, caller: options.caller });
  // Writes are queued: steps finishing together must not overwrite each other's record.
  let writing: Promise<void> = Promise.resolve();
  const save = (next: Journal) => {
    journal = next;
    const snapshot = next;
    writing = writing.then(() => store.write(snapshot, warn)).catch((error: unknown) => warn(`journal not written: ${(error as Error).message}`));
    return writing;
  };
  await save(journal);
  emit({ type: "run-started", journal, resumed: existing !== undefined });

  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const running = new Map<string, Promise<void>>();
  const children = new AbortController();
  const stop = () => children.abort();
  signal.addEventListener("abort", stop);

  const startStep = (step: PlanStep) => {
    const began = Date.now();
    const before = journal.steps[step.id];
    const attempt = (before?.attempts ?? 0) + 1;
    const previous = before && before.attempts > 0 ? before : undefined;
    void save(stepStarted(journal, step.id, now()));
    emit({ type: "step-started", step, attempt });
    const work = Promise.resolve()
      .then(() => options.run(step, { attempt, signal: children.signal, previous }))
      .catch((error: unknown): StepOutcome => ({ status: "failed", detail: error instanceof Error ? error.message : String(error) }))
      .then(async (outcome) => {
        const final: StepOutcome =
          signal.aborted && outcome.status === "failed" ? { ...outcome, detail: `interrupted: ${outcome.detail ?? "stopped"}` } : outcome;
        await save(stepFinished(journal, step.id, now(), final));
        emit({ type: "step-finished", step, outcome: final, seconds: (Date.now() - began) / 1000 });
        running.delete(step.id);
      });
    running.set(step.id, work);
  };

  try {
    for (;;) {
      if (!signal.aborted) {
        const ready = readySteps(plan, journal).filter((s) => !running.has(s.id));
        // A gate asks a person: it runs alone, with nothing else printing around its question.
        const gate = ready.find((s) => s.kind === "gate");
        if (gate) {
          if (running.size === 0) startStep(gate);
        } else {
          for (const step of ready) startStep(step);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    signal.removeEventListener("abort", stop);
  }

  // What could not start because a step it waits for failed: held back, said so.
  for (const step of plan.steps) {
    const record = journal.steps[step.id];
    if (record.status !== "pending" || signal.aborted) continue;
    const failed = step.after.filter((a) => ["failed", "pending"].includes(journal.steps[a]?.status ?? ""));
    if (failed.length > 0 && byId.has(step.id))
      journal = { ...journal, steps: { ...journal.steps, [step.id]: { ...record, detail: `waits for ${failed.join(", ")}` } } };
  }
  const outcome: Exclude<RunOutcome, "running"> = signal.aborted ? "interrupted" : isComplete(journal) ? "completed" : "failed";
  await save(runFinished(journal, now(), outcome));
  await writing;
  emit({ type: "run-finished", outcome, journal });
  return { journal, outcome };
}
