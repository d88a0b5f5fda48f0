import type { Environment } from "../../../../lib/environment";
import { retireDatabaseVerdict } from "../../../../lib/operations/checks/retire/database";
import { formatRetireDatabase, retireDatabaseExitCode } from "../../../../lib/operations/retire-database";
import { failed, primary, read } from "../../../support/facts";

/** The primary after a restore: generation 2 serves, generation 1 is replaced. */
const second = { ...primary, database: { ...primary.database, generation: 2 } } as Environment;
const available = read({ exists: true as const, status: "available", deletionProtection: true, resourceId: "db-OLD" });
const DELETES = ["the RDS instance acme-us-east-1 (status available, db-OLD), after its deletion protection is turned off"];
const KEEPS = [
  "a final snapshot acme-us-east-1-final (taken by the deletion)",
  "its automated backups, until their retention (14 days) ends",
  "its log groups /aws/rds/instance/acme-us-east-1/*, until their retention ends",
];

describe("retire-database's verdict", () => {
  it("refuses the serving generation and any later one, naming the serving instance", () => {
    for (const generation of [2, 3]) {
      expect(retireDatabaseVerdict(second, generation, available, true)).toMatchObject({
        status: "refused",
        deletes: [],
        detail: `generation ${generation} is not a replaced one: database.generation of environments/us-east-1.ts is 2 (acme-us-east-1-g2 serves)`,
        fix: "retire a generation lower than 2; a generation is replaced by restore-database us-east-1",
      });
    }
    expect(retireDatabaseVerdict(primary, 1, available, true).status).toBe("refused");
  });

  it("lists what it deletes and keeps without --yes, and deletes with it", () => {
    expect(retireDatabaseVerdict(second, 1, available, false)).toEqual({
      status: "would delete",
      identifier: "acme-us-east-1",
      finalSnapshot: "acme-us-east-1-final",
      deletes: DELETES,
      keeps: KEEPS,
      detail: "run it again with --yes to delete",
      fix: "",
    });
    expect(retireDatabaseVerdict(second, 1, available, true)).toMatchObject({ status: "delete", deletes: DELETES });
  });

  it("refuses an instance that is not available, starting a stopped one being the fix", () => {
    expect(retireDatabaseVerdict(second, 1, read({ exists: true as const, status: "stopped" }), true)).toMatchObject({
      status: "refused",
      detail: "acme-us-east-1 is stopped: RDS modifies and deletes an available instance only",
      fix: "aws rds start-db-instance --region us-east-1 --db-instance-identifier acme-us-east-1 && aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1   # then run it again",
    });
    expect(retireDatabaseVerdict(second, 1, read({ exists: true as const, status: "modifying" }), true)).toMatchObject({
      status: "refused",
      fix: "wait until it is available and run it again",
    });
  });

  it("has nothing to do when the instance is gone, and refuses when RDS does not answer", () => {
    expect(retireDatabaseVerdict(second, 1, read({ exists: false as const }), true)).toMatchObject({
      status: "gone",
      detail: "no instance acme-us-east-1 in us-east-1: nothing to delete",
    });
    expect(
      retireDatabaseVerdict(second, 1, failed("unreachable", "RDS DescribeDBInstances of acme-us-east-1", "us-east-1", "TimeoutError: late"), true),
    ).toMatchObject({ status: "refused", detail: "RDS DescribeDBInstances of acme-us-east-1 failed: TimeoutError: late" });
  });

  it("is printed with what it deletes and keeps, and exits 1 only when refused or failed", () => {
    const listed = { verdict: retireDatabaseVerdict(second, 1, available, false) };
    expect(formatRetireDatabase(listed)).toBe(
      [
        "Retire database acme-us-east-1: would delete",
        "Deletes:",
        ...DELETES.map((d) => `  - ${d}`),
        "Keeps:",
        ...KEEPS.map((k) => `  - ${k}`),
        "run it again with --yes to delete",
        "",
      ].join("\n"),
    );
    expect(retireDatabaseExitCode(listed)).toBe(0);
    const deleted = { verdict: retireDatabaseVerdict(second, 1, available, true), outcome: { deleted: true as const } };
    expect(formatRetireDatabase(deleted).split("\n").slice(0, 2)).toEqual(["Retire database acme-us-east-1: deleted", "Deleted:"]);
    expect(retireDatabaseExitCode(deleted)).toBe(0);
    expect(retireDatabaseExitCode({ verdict: deleted.verdict, outcome: { deleted: false, detail: "AccessDenied" } })).toBe(1);
    expect(retireDatabaseExitCode({ verdict: retireDatabaseVerdict(second, 2, available, true) })).toBe(1);
  });
});
