import { buildReport, formatReport } from "../../lib/recovery/report";
import { newJournal, runFinished, startRun, stepFinished, stepStarted, type Journal } from "../../lib/recovery/journal";
import type { PlanStep, RecoveryPlan } from "../../lib/recovery/plan";

const s = (id: string, phase: PlanStep["phase"] = "serve"): PlanStep => ({
  id,
  title: `${id} title`,
  kind: "check",
  commands: [`run ${id}`],
  after: [],
  phase,
});
const PLAN: RecoveryPlan = {
  region: "us-east-2",
  scenario: "region",
  preparation: [],
  steps: [s("declare"), s("deploy:app"), s("smoke"), s("deploy:replication", "after-serving")],
  manualSteps: 1,
  notNeeded: [],
};
const at = (minute: number) => new Date(Date.parse("2026-12-02T03:00:00Z") + minute * 60_000);
const CONTEXT = { target: "AWS account 123456789012", objectiveMinutes: 120, model: { criticalPathMinutes: 71.3, serialMinutes: 98 } };
const POINTS = [
  { store: "database archives", recoveryPoint: "2026-12-02T02:30:00Z", state: "2026-12-02T02:30:00Z (30 min ago)", target: "65 min", verdict: "met" },
];

/** A journal where each step `id` ran from `start` to `end` minutes with `status`. */
function journal(runs: [string, number, number, "done" | "failed" | "skipped", string?][]): Journal {
  let j = startRun(newJournal(PLAN, at(0), POINTS), PLAN, at(0), { caller: "arn:aws:sts::123456789012:assumed-role/platform-admin/oncall" });
  for (const [id, start, end, status, detail] of runs) j = stepFinished(stepStarted(j, id, at(start)), id, at(end), { status, detail });
  return runFinished(j, at(200), "completed");
}

describe("buildReport", () => {
  it("measures from the first run's start to the end of the last step needed to serve, against the objective and the model", () => {
    const report = buildReport(
      PLAN,
      journal([
        ["declare", 0, 1, "done"],
        ["deploy:app", 1, 90, "done"],
        ["smoke", 90, 95, "done"],
        ["deploy:replication", 95, 110, "done"],
      ]),
      CONTEXT,
    );
    expect(report).toMatchObject({
      region: "us-east-2",
      startedAt: "2026-12-02T03:00:00.000Z",
      servedAt: "2026-12-02T04:35:00.000Z",
      measuredMinutes: 95,
      verdict: "met",
      caller: "arn:aws:sts::123456789012:assumed-role/platform-admin/oncall",
      failed: [],
      notMeasured: [],
    });
    expect(report.steps.map((x) => `${x.id} ${x.status} ${x.seconds}`)).toEqual([
      "declare done 60",
      "deploy:app done 5340",
      "smoke done 300",
      "deploy:replication done 900",
    ]);
  });

  it("misses the objective when serving took longer, and is not served while a serving step is not done", () => {
    expect(
      buildReport(
        PLAN,
        journal([
          ["declare", 0, 1, "done"],
          ["deploy:app", 1, 150, "done"],
          ["smoke", 150, 151, "done"],
        ]),
        CONTEXT,
      ),
    ).toMatchObject({
      measuredMinutes: 151,
      verdict: "missed",
    });
    const failing = buildReport(
      PLAN,
      journal([
        ["declare", 0, 1, "done"],
        ["deploy:app", 1, 2, "failed", "terraform apply failed"],
      ]),
      CONTEXT,
    );
    expect(failing).toMatchObject({
      servedAt: undefined,
      measuredMinutes: undefined,
      verdict: "not served yet",
      failed: ["deploy:app: terraform apply failed"],
    });
  });

  it("names the serving steps the target skipped: the measured time does not include them", () => {
    const report = buildReport(
      PLAN,
      journal([
        ["declare", 0, 1, "done"],
        ["deploy:app", 1, 3, "done"],
        ["smoke", 3, 3, "skipped", "not served by the emulator: no DNS"],
      ]),
      CONTEXT,
    );
    expect(report.notMeasured).toEqual(["smoke: not served by the emulator: no DNS"]);
    expect(report.verdict).toBe("met");
  });
});

describe("formatReport", () => {
  it("prints the verdict beside the model, the recovery points, every step and every run", () => {
    const text = formatReport(
      buildReport(
        PLAN,
        journal([
          ["declare", 0, 1, "done"],
          ["deploy:app", 1, 90, "done"],
          ["smoke", 90, 95, "done"],
        ]),
        CONTEXT,
      ),
    );
    expect(text).toContain("- Measured recovery time: 95 min against an objective of 120 min: **met**");
    expect(text).toContain("- Modelled (`dr rto`): critical path 71.3 min, serial sum 98 min");
    expect(text).toContain("| database archives | 2026-12-02T02:30:00Z (30 min ago) | 65 min | met |");
    expect(text).toContain("| deploy:app | done | 1 | 2026-12-02T03:01:00.000Z | 5340.0 |  |");
    expect(text).toContain("1. 2026-12-02T03:00:00.000Z - 2026-12-02T06:20:00.000Z: completed; started declare, deploy:app, smoke");
    expect(text).not.toContain("## What failed");
  });
});
