import * as fs from "fs";
import * as path from "path";
import type { Environment } from "../../../lib/environment";
import { dayActionsMarkdown, formatRto, modelDayActions, modelTierRto, WARM_STANDBY_DAY, type DayAction } from "../../../lib/operations/rto";
import { REPO } from "../../support/run";
import { shippedEnvironments, synthShipped } from "../../support/shipped";
import { tempDir } from "../../support/temp";

const action = (id: string, minutes: number, after: string[] = []): DayAction => ({ id, call: `call ${id}`, after, minutes, source: "test", estimate: true });

/** a (2) and b (3) side by side, c (1) after both, d (0.5) after c: b -> c -> d ends at 4.5. */
const ACTIONS = [action("a", 2), action("b", 3), action("c", 1, ["a", "b"]), action("d", 0.5, ["c"])];

describe("modelDayActions", () => {
  it("schedules each action after the ones it waits for and walks back the critical path", () => {
    const result = modelDayActions(ACTIONS, "warm-standby");
    expect(result.tier).toBe("warm-standby");
    expect(result.rows).toBe("actions");
    expect(result.stacks.map((s) => [s.stackId, s.startMinute, s.finishMinute, s.critical])).toEqual([
      ["a", 0, 2, false],
      ["b", 0, 3, true],
      ["c", 3, 4, true],
      ["d", 4, 4.5, true],
    ]);
    expect(result.criticalPath).toEqual(["b", "c", "d"]);
    expect(result.criticalPathMinutes).toBe(4.5);
    expect(result.serialMinutes).toBe(6.5);
    expect(result.restores).toEqual([]);
  });

  it("names an unknown action and a cycle", () => {
    expect(() => modelDayActions([action("a", 1, ["z"])], "warm-standby")).toThrow("modelDayActions: a waits for unknown action z");
    expect(() => modelDayActions([action("a", 1, ["b"]), action("b", 1, ["a"])], "warm-standby")).toThrow("modelDayActions: a cycle through a -> b -> a");
  });

  it("prints the actions with their calls", () => {
    expect(formatRto(modelDayActions(ACTIONS, "warm-standby"), "text").split("\n")).toEqual([
      "Tier: warm-standby (no stack creates anything on the day: each row is a call in the recovery region)",
      "Modelled recovery time in minutes (an action starts when the actions it waits for finish)",
      "   action  minutes  start  finish  call",
      "   a           2.0    0.0     2.0  call a",
      "*  b           3.0    0.0     3.0  call b",
      "*  c           1.0    3.0     4.0  call c",
      "*  d           0.5    4.0     4.5  call d",
      "",
      "Critical path (*): b -> c -> d: 4.5 min",
      "Serial sum (one action after another): 6.5 min (2.0 min more than the critical path)",
      "Figures and their sources: docs/rto.md. A model, not a measurement.",
    ]);
  });
});

describe("WARM_STANDBY_DAY", () => {
  it("recovers in at most 15 minutes: promotion, its secret, the two stacks applied again, the pods, the smoke check", () => {
    const result = modelDayActions(WARM_STANDBY_DAY, "warm-standby");
    expect(result.criticalPath).toEqual(["promote-database", "database-credentials", "application", "workloads", "pods-ready", "smoke-check"]);
    // 5 + 1 + 1 + 1.1 + 2 + 0.1, worked out by hand from the figures.
    expect(result.criticalPathMinutes).toBeCloseTo(10.2, 6);
    expect(result.criticalPathMinutes).toBeLessThanOrEqual(15);
  });

  it("creates nothing and writes nothing global: no IAM, Route 53 or create call", () => {
    expect(WARM_STANDBY_DAY.filter((a) => /\b(iam|route53|create-)/i.test(a.call)).map((a) => a.id)).toEqual([]);
  });

  it("gives every figure a source", () => {
    expect(WARM_STANDBY_DAY.filter((a) => a.source.trim().length < 10).map((a) => a.id)).toEqual([]);
  });

  it("is the table docs/rto.md shows", () => {
    const doc = fs.readFileSync(path.join(REPO, "docs/rto.md"), "utf8");
    expect(/<!-- warm-standby-day:start -->\n([\s\S]*)\n<!-- warm-standby-day:end -->/.exec(doc)?.[1]).toBe(dayActionsMarkdown(WARM_STANDBY_DAY));
  });

  it("prints as a Markdown table, escaping pipes", () => {
    expect(dayActionsMarkdown([action("a", 1), { ...action("b", 0.5, ["a"]), call: "x | y", estimate: false }])).toBe(
      [
        "| action | call | after | minutes | kind | source |",
        "| --- | --- | --- | ---: | --- | --- |",
        "| `a` | call a | - | 1 | estimate | test |",
        "| `b` | x \\| y | `a` | 0.5 | published | test |",
      ].join("\n"),
    );
  });
});

describe("modelTierRto on the shipped environments", () => {
  const outdir = tempDir("dr-rto-tiers-");
  const byRegion = (region: string) => shippedEnvironments().find((l) => l.environment.region === region)!.environment as Environment;
  const recovery = byRegion("us-east-2");
  beforeAll(() => synthShipped(outdir));

  it("models the file's tier when none is given (pilot light: networking in peacetime)", () => {
    const result = modelTierRto(outdir, recovery);
    expect(result.tier).toBe("pilot-light");
    expect(result.stacks.map((s) => s.stackId).sort()).toEqual(["application-us-east-2", "gitops-us-east-2", "kubernetes-us-east-2", "workloads-us-east-2"]);
  });

  it("backup-and-restore deploys the networking stack first on the day, and takes longer by it", () => {
    const pilot = modelTierRto(outdir, recovery, "pilot-light");
    const cold = modelTierRto(outdir, recovery, "backup-and-restore");
    expect(cold.tier).toBe("backup-and-restore");
    expect(cold.stacks.map((s) => s.stackId).sort()).toEqual([
      "application-us-east-2",
      "gitops-us-east-2",
      "kubernetes-us-east-2",
      "networking-us-east-2",
      "workloads-us-east-2",
    ]);
    expect(cold.criticalPath).toEqual(["networking-us-east-2", ...pilot.criticalPath]);
    const networking = cold.stacks.find((s) => s.stackId === "networking-us-east-2")!;
    expect(cold.criticalPathMinutes).toBeCloseTo(pilot.criticalPathMinutes + networking.minutes, 6);
  });

  it("warm-standby is the day's actions, whatever the file chooses", () => {
    const result = modelTierRto(outdir, recovery, "warm-standby");
    expect(result).toEqual(modelDayActions(WARM_STANDBY_DAY, "warm-standby"));
  });

  it("refuses a primary", () => {
    expect(() => modelTierRto(outdir, byRegion("us-east-1"), "pilot-light")).toThrow(
      "us-east-1 is a primary: a tier is a recovery's (model the primary's rebuild without --tier)",
    );
  });
});
