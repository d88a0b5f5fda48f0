import { EnvironmentSchema } from "../../lib/environment";
import { formatIssues } from "../../lib/environment/problems";
import { environment, primaryInput, recoveryInput } from "../support/environments";

const FILE = "environments/us-east-1.ts";

/** The problem lines the loader would print for this input. */
function problems(input: unknown): string[] {
  const result = EnvironmentSchema.safeParse(input, { reportInput: true });
  return result.success ? [] : formatIssues(FILE, result.error.issues);
}

describe("EnvironmentSchema: backups.restoreTest", () => {
  it("defaults to a weekly test of an archive from the last 7 days with a 30-minute restore target, in both roles", () => {
    for (const input of [primaryInput(), recoveryInput()]) {
      expect(environment(input).backups.restoreTest).toEqual({ schedule: "30 3 * * 0", windowDays: 7, restoreMinutesTarget: 30 });
    }
  });

  it("takes each field on its own", () => {
    expect(environment(primaryInput({ backups: { restoreTest: { schedule: "@daily", windowDays: 30 } } })).backups.restoreTest).toEqual({
      schedule: "@daily",
      windowDays: 30,
      restoreMinutesTarget: 30,
    });
    expect(environment(primaryInput({ backups: { restoreTest: { restoreMinutesTarget: 90 } } })).backups.restoreTest.restoreMinutesTarget).toBe(90);
  });

  it("schedule must be cron fields or a macro, as the archive schedule", () => {
    expect(problems(primaryInput({ backups: { restoreTest: { schedule: "weekly" } } }))).toEqual([
      `${FILE}: backups.restoreTest.schedule: must be five cron fields separated by single spaces, like "0 * * * *", or a macro such as "@hourly" (got "weekly")`,
    ]);
  });

  it("windowDays must be a whole number of days from 1 to 365", () => {
    for (const days of [0, 366, 2.5]) {
      expect(problems(primaryInput({ backups: { restoreTest: { windowDays: days } } }))).toEqual([
        `${FILE}: backups.restoreTest.windowDays: must be a whole number of days from 1 to 365 (got ${days})`,
      ]);
    }
    expect(problems(primaryInput({ backups: { restoreTest: { windowDays: 1 } } }))).toEqual([]);
    expect(problems(primaryInput({ backups: { restoreTest: { windowDays: 365 } } }))).toEqual([]);
  });

  it("restoreMinutesTarget must be a whole number of minutes from 1 to 1440", () => {
    for (const minutes of [0, 1441, 0.5]) {
      expect(problems(primaryInput({ backups: { restoreTest: { restoreMinutesTarget: minutes } } }))).toEqual([
        `${FILE}: backups.restoreTest.restoreMinutesTarget: must be a whole number of minutes from 1 to 1440 (one day) (got ${minutes})`,
      ]);
    }
    expect(problems(primaryInput({ backups: { restoreTest: { restoreMinutesTarget: 1440 } } }))).toEqual([]);
  });

  it("rejects unknown fields, listing the allowed ones", () => {
    expect(problems(primaryInput({ backups: { restoreTest: { window: 7 } as any } }))).toEqual([
      `${FILE}: backups.restoreTest.window: unknown field; allowed fields: schedule, windowDays, restoreMinutesTarget (got 7)`,
    ]);
  });

  it("reports every problem at once", () => {
    expect(problems(primaryInput({ backups: { restoreTest: { windowDays: 0, restoreMinutesTarget: 0 } } }))).toHaveLength(2);
  });
});

describe("EnvironmentSchema: recoveryObjectives.restoreTestDays", () => {
  it("defaults to 8 days (a weekly test plus a day)", () => {
    expect(environment(primaryInput()).recoveryObjectives.restoreTestDays).toBe(8);
    expect(environment(primaryInput({ recoveryObjectives: { restoreTestDays: 15 } })).recoveryObjectives.restoreTestDays).toBe(15);
  });

  it("must be a whole number of days from 1 to 366", () => {
    for (const days of [0, 367, 1.5]) {
      expect(problems(primaryInput({ recoveryObjectives: { restoreTestDays: days } }))).toEqual([
        `${FILE}: recoveryObjectives.restoreTestDays: must be a whole number of days from 1 to 366 (got ${days})`,
      ]);
    }
    expect(problems(primaryInput({ recoveryObjectives: { restoreTestDays: 366 } }))).toEqual([]);
  });
});
