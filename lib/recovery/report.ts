import type { Journal, RecoveryPointRow, RunRecord, StepStatus } from "./journal";
import type { PlanStep, RecoveryPlan } from "./plan";

/**
 * The evidence of a recovery: what was planned, who ran it where, each step with its times,
 * attempts and outputs, each store's recovery point when it started, and the measured recovery
 * time against the environment's objective and the model. Written after every run (JSON and
 * Markdown) into the archive bucket, where Object Lock keeps it, and into a local folder.
 */

export interface ReportStep {
  readonly id: string;
  readonly title: string;
  readonly kind: PlanStep["kind"];
  readonly phase: PlanStep["phase"];
  readonly commands: readonly string[];
  readonly status: StepStatus;
  readonly attempts: number;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly seconds?: number;
  readonly detail?: string;
  readonly outputs?: Readonly<Record<string, string>>;
}

export interface RecoveryReport {
  readonly format: "dr-platform/recovery-report/1";
  readonly region: string;
  readonly scenario: string;
  readonly recoveryId: string;
  /** Where the stacks were deployed (`AWS account ...`, the emulator). */
  readonly target: string;
  /** STS caller identity of the last run. */
  readonly caller?: string;
  /** `recoveryObjectives.rtoMinutes` of the environment. */
  readonly objectiveMinutes: number;
  /** `dr rto`'s model of the same procedure. */
  readonly model?: { readonly criticalPathMinutes: number; readonly serialMinutes: number };
  readonly startedAt: string;
  /** When the last step needed to serve ended; undefined until every one of them is done or skipped. */
  readonly servedAt?: string;
  /** From the first run's start to `servedAt`. */
  readonly measuredMinutes?: number;
  readonly verdict: "met" | "missed" | "not served yet";
  /** Steps needed to serve that the target skipped: the measured time does not include them. */
  readonly notMeasured: readonly string[];
  readonly recoveryPoints: readonly RecoveryPointRow[];
  readonly steps: readonly ReportStep[];
  readonly runs: readonly RunRecord[];
  /** Steps that failed or could not start, with why. */
  readonly failed: readonly string[];
}

export interface ReportContext {
  readonly target: string;
  readonly objectiveMinutes: number;
  readonly model?: RecoveryReport["model"];
}

const minutesBetween = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / 60_000) * 10) / 10;

export function buildReport(plan: RecoveryPlan, journal: Journal, context: ReportContext): RecoveryReport {
  const steps: ReportStep[] = plan.steps.map((step) => {
    const record = journal.steps[step.id] ?? { status: "pending", attempts: 0 };
    const seconds = record.startedAt && record.endedAt ? (Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000 : undefined;
    return {
      id: step.id,
      title: step.title,
      kind: step.kind,
      phase: step.phase,
      commands: step.commands,
      status: record.status,
      attempts: record.attempts,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      seconds,
      detail: record.detail,
      outputs: record.outputs,
    };
  });
  const serve = steps.filter((s) => s.phase === "serve");
  const served = serve.every((s) => s.status === "done" || s.status === "skipped");
  const ends = serve.map((s) => s.endedAt).filter((e): e is string => e !== undefined);
  const servedAt = served && ends.length > 0 ? ends.sort()[ends.length - 1] : undefined;
  const startedAt = journal.runs[0]?.startedAt ?? journal.updatedAt;
  const measuredMinutes = servedAt ? minutesBetween(startedAt, servedAt) : undefined;
  return {
    format: "dr-platform/recovery-report/1",
    region: plan.region,
    scenario: plan.scenario,
    recoveryId: journal.recoveryId,
    target: context.target,
    caller: journal.runs[journal.runs.length - 1]?.caller,
    objectiveMinutes: context.objectiveMinutes,
    model: context.model,
    startedAt,
    servedAt,
    measuredMinutes,
    verdict: measuredMinutes === undefined ? "not served yet" : measuredMinutes <= context.objectiveMinutes ? "met" : "missed",
    notMeasured: serve.filter((s) => s.status === "skipped").map((s) => `${s.id}: ${s.detail ?? "skipped"}`),
    recoveryPoints: journal.recoveryPoints ?? [],
    steps,
    runs: journal.runs,
    failed: steps.filter((s) => s.status === "failed" || (s.status === "pending" && s.detail)).map((s) => `${s.id}: ${s.detail ?? s.status}`),
  };
}

const cell = (text: string | number | undefined) =>
  String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");

/** The report for a person: Markdown (a ticket, a wiki, the terminal). */
export function formatReport(report: RecoveryReport): string {
  const lines = [
    `# Recovery of ${report.region} (${report.scenario}): ${report.recoveryId}`,
    "",
    `- Target: ${report.target}`,
    `- Run by: ${report.caller ?? "unknown (no caller identity)"}`,
    `- Started: ${report.startedAt}`,
    `- Served: ${report.servedAt ?? "not yet"}`,
    `- Measured recovery time: ${report.measuredMinutes === undefined ? "not served yet" : `${report.measuredMinutes} min`} against an objective of ${report.objectiveMinutes} min: **${report.verdict}**`,
    ...(report.model ? [`- Modelled (\`dr rto\`): critical path ${report.model.criticalPathMinutes} min, serial sum ${report.model.serialMinutes} min`] : []),
    ...(report.notMeasured.length > 0 ? [`- Not measured (skipped by the target): ${report.notMeasured.join("; ")}`] : []),
    "",
    "## Recovery points when it started",
    "",
    "| store | recovery point / state | target | verdict |",
    "| --- | --- | --- | --- |",
    ...report.recoveryPoints.map((r) => `| ${cell(r.store)} | ${cell(r.state)} | ${cell(r.target)} | ${cell(r.verdict)} |`),
    "",
    "## Steps",
    "",
    "| step | status | attempts | started | seconds | detail |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.steps.map(
      (s) =>
        `| ${cell(s.id)} | ${s.status} | ${s.attempts} | ${cell(s.startedAt)} | ${s.seconds === undefined ? "" : s.seconds.toFixed(1)} | ${cell(s.detail ?? s.outputs?.adopted)} |`,
    ),
    "",
    "## Runs",
    "",
    ...report.runs.map(
      (r, i) =>
        `${i + 1}. ${r.startedAt} - ${r.endedAt ?? "..."}: ${r.outcome}${r.from ? ` (from ${r.from})` : ""}; started ${r.started.join(", ") || "nothing"}`,
    ),
  ];
  if (report.failed.length > 0) lines.push("", "## What failed", "", ...report.failed.map((f) => `- ${f}`));
  return `${lines.join("\n")}\n`;
}
