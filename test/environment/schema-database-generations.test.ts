import { preparedDatabaseGenerations, servingDatabaseIdentifier } from "../../lib/environment";
import { databaseIdentifier } from "../../lib/naming";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-1.ts";

/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

const DATABASE = primaryInput().database;
const withDatabase = (fields: Record<string, unknown>) => primaryInput({ database: { ...DATABASE, ...fields } });

describe("EnvironmentSchema: database.generation and database.restoredFrom", () => {
  it("default to generation 1, restored from nothing", () => {
    const { database } = environment(primaryInput());
    expect([database.generation, database.restoredFrom]).toEqual([1, undefined]);
  });

  it("take a later generation restored point-in-time from an earlier one, on a primary and on a recovery", () => {
    const restoredFrom = { from: "point-in-time", generation: 1, restoreTime: "2026-12-01T10:00:00Z" };
    expect(environment(withDatabase({ generation: 2, restoredFrom })).database).toMatchObject({ generation: 2, restoredFrom });
    const recovery = environment(recoveryInput({ database: { ...DATABASE, generation: 3, restoredFrom: { from: "point-in-time", generation: 2 } } }));
    expect(recovery.database).toMatchObject({ generation: 3, restoredFrom: { from: "point-in-time", generation: 2 } });
  });

  it("take a later generation loaded from an archive", () => {
    const restoredFrom = { from: "archive", generation: 1, archiveKey: "postgres/app/20261121T030000Z/archive.dump" };
    expect(environment(withDatabase({ generation: 2, restoredFrom })).database.restoredFrom).toEqual(restoredFrom);
  });

  it("take a later generation without restoredFrom once its restore is over", () => {
    expect(problems(withDatabase({ generation: 2 }))).toEqual([]);
    expect(environment(withDatabase({ generation: 2 })).database.restoredFrom).toBeUndefined();
  });

  it("refuse restoredFrom at generation 1", () => {
    expect(problems(withDatabase({ restoredFrom: { from: "point-in-time", generation: 1 } }))).toEqual([
      `${FILE}: database.restoredFrom: is only allowed when generation is 2 or more: generation 1 is the database the environment starts with (got {"from":"point-in-time","generation":1})`,
    ]);
  });

  it("refuse a source generation that is not older than the new one", () => {
    for (const from of [2, 3]) {
      expect(problems(withDatabase({ generation: 2, restoredFrom: { from: "point-in-time", generation: from } }))).toEqual([
        `${FILE}: database.restoredFrom.generation: must be lower than generation (2): it names the generation the new one replaces (got ${from})`,
      ]);
    }
  });

  it("refuse a generation out of range or not whole", () => {
    for (const bad of [0, 100, 1.5]) {
      expect(problems(withDatabase({ generation: bad }))).toEqual([`${FILE}: database.generation: must be a whole number from 1 to 99 (got ${bad})`]);
    }
  });

  it("refuse a restore time that is not an ISO 8601 UTC time, an archive key of no archive, and an unknown source", () => {
    expect(problems(withDatabase({ generation: 2, restoredFrom: { from: "point-in-time", generation: 1, restoreTime: "yesterday" } }))).toEqual([
      `${FILE}: database.restoredFrom.restoreTime: must be an ISO 8601 UTC time like 2026-11-20T03:00:00Z (got "yesterday")`,
    ]);
    expect(problems(withDatabase({ generation: 2, restoredFrom: { from: "archive", generation: 1, archiveKey: "dumps/app.dump" } }))).toEqual([
      `${FILE}: database.restoredFrom.archiveKey: must be the key of an archive file like postgres/app/20261121T030000Z/archive.dump (postgres/<database>/<stamp>/<file>) (got "dumps/app.dump")`,
    ]);
    expect(problems(withDatabase({ generation: 2, restoredFrom: { from: "snapshot", generation: 1 } }))).toEqual([
      `${FILE}: database.restoredFrom.from: must be { from: "point-in-time", generation, restoreTime? } or { from: "archive", generation, archiveKey } (got {"from":"snapshot","generation":1})`,
    ]);
  });

  it("name generation 1 <project>-<region> and a later one <project>-<region>-g<n>", () => {
    expect(servingDatabaseIdentifier(environment(primaryInput()))).toBe("acme-us-east-1");
    const second = environment(withDatabase({ generation: 2, restoredFrom: { from: "point-in-time", generation: 1 } }));
    expect(servingDatabaseIdentifier(second)).toBe("acme-us-east-1-g2");
    expect(databaseIdentifier("acme", "us-east-1", 12)).toBe("acme-us-east-1-g12");
    expect(() => databaseIdentifier("acme", "us-east-1", 0)).toThrow(/databaseIdentifier: generation must be a whole number >= 1 \(got 0\)/);
  });

  it("prepare the generation restored from, the serving one and the next", () => {
    expect(preparedDatabaseGenerations({ generation: 1 })).toEqual([1, 2]);
    expect(preparedDatabaseGenerations({ generation: 3, restoredFrom: { generation: 2 } })).toEqual([2, 3, 4]);
  });
});
