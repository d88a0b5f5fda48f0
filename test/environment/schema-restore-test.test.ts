import { environment, primaryInput, recoveryInput } from "../support/environments";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-1.ts";

/** The problem lines the loader would print for this input. */
/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

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
      `${FILE}: backups.restoreTest.window: unknown field; allowed fields: schedule, windowDays, restoreMinutesTarget, pointInTime (got 7)`,
    ]);
  });

  it("reports every problem at once", () => {
    expect(problems(primaryInput({ backups: { restoreTest: { windowDays: 0, restoreMinutesTarget: 0 } } }))).toHaveLength(2);
  });
});

describe("EnvironmentSchema: backups.restoreTest.pointInTime", () => {
  it("is off unless given; {} turns it on with a monthly schedule, a 120-minute target and the database's class", () => {
    expect(environment(primaryInput()).backups.restoreTest.pointInTime).toBeUndefined();
    expect(environment(primaryInput({ backups: { restoreTest: { pointInTime: {} } } })).backups.restoreTest.pointInTime).toEqual({
      schedule: "0 5 1 * *",
      restoreMinutesTarget: 120,
    });
    expect(
      environment(
        primaryInput({ backups: { restoreTest: { pointInTime: { schedule: "@monthly", restoreMinutesTarget: 60, instanceClass: "db.t4g.small" } } } }),
      ).backups.restoreTest.pointInTime,
    ).toEqual({ schedule: "@monthly", restoreMinutesTarget: 60, instanceClass: "db.t4g.small" });
  });

  it("checks each field, reporting every problem at once", () => {
    expect(
      problems(primaryInput({ backups: { restoreTest: { pointInTime: { schedule: "monthly", restoreMinutesTarget: 0, instanceClass: "t4g.small" } } } })),
    ).toEqual([
      `${FILE}: backups.restoreTest.pointInTime.schedule: must be five cron fields separated by single spaces, like "0 * * * *", or a macro such as "@hourly" (got "monthly")`,
      `${FILE}: backups.restoreTest.pointInTime.restoreMinutesTarget: must be a whole number of minutes from 1 to 1440 (one day) (got 0)`,
      `${FILE}: backups.restoreTest.pointInTime.instanceClass: must be an RDS instance class like "db.t4g.medium" (got "t4g.small")`,
    ]);
    expect(problems(primaryInput({ backups: { restoreTest: { pointInTime: { restoreMinutesTarget: 1441 } } } }))).toHaveLength(1);
    expect(problems(primaryInput({ backups: { restoreTest: { pointInTime: { every: "month" } as any } } }))).toEqual([
      `${FILE}: backups.restoreTest.pointInTime.every: unknown field; allowed fields: schedule, restoreMinutesTarget, instanceClass (got "month")`,
    ]);
  });

  it("is refused in a recovery's file: the primary tests its own backups (the value shown with its defaults filled in)", () => {
    expect(problems(recoveryInput({ backups: { restoreTest: { pointInTime: {} } } }))).toEqual([
      `${FILE}: backups.restoreTest.pointInTime: is only allowed when role is "primary": the point-in-time restore test restores the primary's own backups in its region (set it in the primary's file) (got {"schedule":"0 5 1 * *","restoreMinutesTarget":120})`,
    ]);
    expect(problems(recoveryInput({ backups: { restoreTest: { windowDays: 3 } } }))).toEqual([]);
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

describe("EnvironmentSchema: recoveryObjectives.pointInTimeRestoreTestDays", () => {
  it("defaults to 32 days (a monthly test plus a day)", () => {
    expect(environment(primaryInput()).recoveryObjectives.pointInTimeRestoreTestDays).toBe(32);
    expect(environment(primaryInput({ recoveryObjectives: { pointInTimeRestoreTestDays: 7 } })).recoveryObjectives.pointInTimeRestoreTestDays).toBe(7);
  });

  it("must be a whole number of days from 1 to 366", () => {
    for (const days of [0, 367, 1.5]) {
      expect(problems(primaryInput({ recoveryObjectives: { pointInTimeRestoreTestDays: days } }))).toEqual([
        `${FILE}: recoveryObjectives.pointInTimeRestoreTestDays: must be a whole number of days from 1 to 366 (got ${days})`,
      ]);
    }
    expect(problems(primaryInput({ recoveryObjectives: { pointInTimeRestoreTestDays: 366 } }))).toEqual([]);
  });
});
