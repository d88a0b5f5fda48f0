import { stampOf } from "../naming";
import type { PlanStep, RecoveryPlan } from "./plan";

/**
 * What a recovery did, step by step: written after every change, in the state bucket (outside
 * both regions) and locally, so that the next run resumes where the last one stopped, a failed
 * step is retried, and the report can say what happened. Pure functions over plain data; the
 * store (journal-store.ts) and the executor (executor.ts) do the I/O.
 */

export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped";

export interface StepRecord {
  readonly status: StepStatus;
  /** Times it was started, over every run. */
  readonly attempts: number;
  /** ISO 8601 of the last start and end. */
  readonly startedAt?: string;
  readonly endedAt?: string;
  /** What happened: the error, or why it was skipped. */
  readonly detail?: string;
  /** Facts the step produced (resources deployed, an adopted instance, a log file). */
  readonly outputs?: Readonly<Record<string, string>>;
  /** The run (index in `runs`) that last changed it. */
  readonly run?: number;
}

export type RunOutcome = "running" | "completed" | "failed" | "interrupted";

export interface RunRecord {
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly outcome: RunOutcome;
  /** Who ran it (STS caller identity ARN), when it could be read. */
  readonly caller?: string;
  /** `--from <step>`: the step it restarted from. */
  readonly from?: string;
  /** Steps this run started, in order. */
  readonly started: readonly string[];
}

/** One store's recovery point when the recovery started (`dr status`'s row). */
export interface RecoveryPointRow {
  readonly store: string;
  /** ISO 8601: writes after it are lost. */
  readonly recoveryPoint?: string;
  readonly state: string;
  readonly target: string;
  readonly verdict: string;
}

export interface Journal {
  readonly format: "dr-platform/recovery-journal/1";
  readonly region: string;
  readonly scenario: string;
  /** The recovery's id: the first run's start, `YYYYMMDDTHHMMSSZ`. */
  readonly recoveryId: string;
  /** The plan's step ids when the journal was made: another plan does not resume it. */
  readonly planSteps: readonly string[];
  readonly runs: readonly RunRecord[];
  readonly steps: Readonly<Record<string, StepRecord>>;
  /** Each store's recovery point when the recovery started (read once, before its first step). */
  readonly recoveryPoints?: readonly RecoveryPointRow[];
  readonly updatedAt: string;
}

/** A new journal of `plan`, nothing done. */
export function newJournal(plan: RecoveryPlan, now: Date, recoveryPoints?: readonly RecoveryPointRow[]): Journal {
  return {
    format: "dr-platform/recovery-journal/1",
    region: plan.region,
    scenario: plan.scenario,
    recoveryId: stampOf(now),
    planSteps: plan.steps.map((s) => s.id),
    runs: [],
    steps: Object.fromEntries(plan.steps.map((s) => [s.id, { status: "pending", attempts: 0 } satisfies StepRecord])),
    ...(recoveryPoints ? { recoveryPoints } : {}),
    updatedAt: now.toISOString(),
  };
}

/** Why `journal` cannot be resumed with `plan` (another region, scenario or set of steps); undefined when it can. */
export function resumeProblem(journal: Journal, plan: RecoveryPlan): string | undefined {
  if (journal.region !== plan.region || journal.scenario !== plan.scenario) {
    return `the journal is of the ${journal.scenario} recovery of ${journal.region}, not of ${plan.scenario} in ${plan.region}`;
  }
  const planned = plan.steps.map((s) => s.id);
  const added = planned.filter((id) => !journal.planSteps.includes(id));
  const removed = journal.planSteps.filter((id) => !planned.includes(id));
  if (added.length > 0 || removed.length > 0) {
    return `the plan changed since recovery ${journal.recoveryId} started (${[...added.map((id) => `+${id}`), ...removed.map((id) => `-${id}`)].join(", ")})`;
  }
  return undefined;
}

/** Whether every step is done or skipped. */
export function isComplete(journal: Journal): boolean {
  return Object.values(journal.steps).every((s) => s.status === "done" || s.status === "skipped");
}

/** `step` and every step that waits for it, directly or not. */
export function withDependents(plan: RecoveryPlan, stepId: string): string[] {
  const found = new Set([stepId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const step of plan.steps) {
      if (!found.has(step.id) && step.after.some((a) => found.has(a))) {
        found.add(step.id);
        grew = true;
      }
    }
  }
  return plan.steps.map((s) => s.id).filter((id) => found.has(id));
}

/**
 * Starts a run: steps left `running` by an interrupted run become `pending` again (a deploy is
 * repeatable), as do `failed` ones (retried); with `from`, that step and everything after it too.
 */
export function startRun(journal: Journal, plan: RecoveryPlan, now: Date, options: { readonly from?: string; readonly caller?: string } = {}): Journal {
  if (options.from !== undefined && !plan.steps.some((s) => s.id === options.from)) {
    throw new Error(`--from ${options.from}: no such step; the steps are ${plan.steps.map((s) => s.id).join(", ")}`);
  }
  const restart = new Set(options.from === undefined ? [] : withDependents(plan, options.from));
  const run = journal.runs.length;
  const steps = Object.fromEntries(
    Object.entries(journal.steps).map(([id, record]) => {
      if (restart.has(id) || record.status === "running" || record.status === "failed") {
        const detail = record.status === "running" ? `interrupted in run ${(record.run ?? 0) + 1}` : record.status === "failed" ? record.detail : undefined;
        return [id, { ...record, status: "pending", detail, run } satisfies StepRecord];
      }
      return [id, record];
    }),
  );
  const record: RunRecord = { startedAt: now.toISOString(), outcome: "running", caller: options.caller, from: options.from, started: [] };
  return { ...journal, runs: [...journal.runs, record], steps, updatedAt: now.toISOString() };
}

function currentRun(journal: Journal): number {
  if (journal.runs.length === 0) throw new Error("journal: no run started (startRun first)");
  return journal.runs.length - 1;
}

function updateStep(journal: Journal, stepId: string, now: Date, change: (record: StepRecord, run: number) => StepRecord): Journal {
  const record = journal.steps[stepId];
  if (!record) throw new Error(`journal: no step ${stepId}`);
  const run = currentRun(journal);
  return { ...journal, steps: { ...journal.steps, [stepId]: change(record, run) }, updatedAt: now.toISOString() };
}

export function stepStarted(journal: Journal, stepId: string, now: Date): Journal {
  const run = currentRun(journal);
  const updated = updateStep(journal, stepId, now, (r) => ({ status: "running", attempts: r.attempts + 1, startedAt: now.toISOString(), run }));
  const runs = updated.runs.map((r, i) => (i === run ? { ...r, started: [...r.started, stepId] } : r));
  return { ...updated, runs };
}

export function stepFinished(
  journal: Journal,
  stepId: string,
  now: Date,
  result: { readonly status: "done" | "failed" | "skipped"; readonly detail?: string; readonly outputs?: Record<string, string> },
): Journal {
  return updateStep(journal, stepId, now, (r, run) => ({
    ...r,
    status: result.status,
    endedAt: now.toISOString(),
    detail: result.detail,
    outputs: result.outputs,
    run,
  }));
}

/** Skips a step without starting it (the deployment target cannot serve it, or it is not needed). */
export function stepSkipped(journal: Journal, stepId: string, now: Date, reason: string): Journal {
  return updateStep(journal, stepId, now, (r, run) => ({ ...r, status: "skipped", detail: reason, run }));
}

export function runFinished(journal: Journal, now: Date, outcome: Exclude<RunOutcome, "running">): Journal {
  const run = currentRun(journal);
  // A step still running when the run ends was interrupted (Ctrl-C): the next run repeats it.
  return {
    ...journal,
    runs: journal.runs.map((r, i) => (i === run ? { ...r, endedAt: now.toISOString(), outcome } : r)),
    updatedAt: now.toISOString(),
  };
}

/** Steps whose `after` steps are all done or skipped and which are not done themselves. */
export function readySteps(plan: RecoveryPlan, journal: Journal): PlanStep[] {
  const finished = (id: string) => ["done", "skipped"].includes(journal.steps[id]?.status ?? "pending");
  return plan.steps.filter((s) => journal.steps[s.id]?.status === "pending" && s.after.every(finished));
}
