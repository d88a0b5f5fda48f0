import { restoreTestsRow } from "../../../../lib/operations/checks/status/restore-tests";
import { jobFix } from "../../../../lib/operations/checks/status/row";
import type { RestoreTestReport } from "../../../../lib/operations/probes/restore-tests";
import { environment, primaryInput } from "../../../support/environments";
import type { PrimaryEnvironment } from "../../../../lib/environment";
import { failed, minutesAgo, NOW, primary, read } from "../../../support/facts";

const HOSTING = "acme-hosting-services-us-east-1";
const ROW = { id: "restore-tests", store: "restore tests", target: "8 days" };
const FOLDER = "postgres/app/20261115T030000Z/";
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);
const report = (testedAt: Date, passed = true): RestoreTestReport => ({
  key: `${FOLDER}restore-test-x.json`,
  restored: `${FOLDER}archive.dump`,
  testedAt,
  passed,
  restoreSeconds: passed ? 42.5 : 3.1,
  failure: passed ? undefined : "tables differ from the manifest: public.orders",
});
const found = (newest: RestoreTestReport, lastPassed?: RestoreTestReport) => read({ found: "reports" as const, newest, lastPassed, unreadable: [] });

describe("restoreTestsRow (fixed clock)", () => {
  it("meets the target when the last test passed within restoreTestDays", () => {
    const passed = report(daysAgo(3));
    expect(restoreTestsRow(primary, found(passed, passed), NOW)).toEqual({
      ...ROW,
      state: "2026-11-18T12:00:00Z (3 d 0 h ago)",
      verdict: "met",
      detail: `s3://${HOSTING}/${FOLDER}restore-test-x.json: ${FOLDER}archive.dump restored and checked in 42.5 s`,
      fix: "",
    });
  });

  it("misses when the last passed test is older than restoreTestDays, at the boundary exactly met", () => {
    expect(restoreTestsRow(primary, found(report(daysAgo(8)), report(daysAgo(8))), NOW).verdict).toBe("met");
    const stale = report(minutesAgo(8 * 24 * 60 + 1));
    expect(restoreTestsRow(primary, found(stale, stale), NOW)).toMatchObject({
      verdict: "missed",
      state: "2026-11-13T11:59:00Z (8 d 0 h ago)",
      fix: jobFix(primary, "restore test"),
    });
  });

  it("misses when the newest test failed, naming the failure, even with a recent pass before it", () => {
    const row = restoreTestsRow(primary, found(report(daysAgo(1), false), report(daysAgo(2))), NOW);
    expect(row.verdict).toBe("missed");
    expect(row.detail).toContain("the newest test, 2026-11-20T12:00:00Z, failed: tables differ from the manifest: public.orders");
  });

  it("misses when no report passed, or there is none, or no bucket", () => {
    expect(restoreTestsRow(primary, found(report(daysAgo(1), false)), NOW)).toMatchObject({ state: "none passed", verdict: "missed" });
    expect(restoreTestsRow(primary, read({ found: "none" as const }), NOW)).toMatchObject({
      state: "none",
      verdict: "missed",
      detail: `no restore test report under s3://${HOSTING}/postgres/`,
    });
    expect(restoreTestsRow(primary, read({ found: "no-bucket" as const }), NOW)).toMatchObject({ state: "none", verdict: "missed" });
  });

  it("uses the environment's restoreTestDays", () => {
    const strict = environment(primaryInput({ recoveryObjectives: { restoreTestDays: 1 } })) as PrimaryEnvironment;
    const passed = report(daysAgo(3));
    expect(restoreTestsRow(strict, found(passed, passed), NOW)).toMatchObject({ target: "1 day", verdict: "missed" });
  });

  it("says nothing is known when the listing failed", () => {
    expect(restoreTestsRow(primary, failed("unreachable", "S3 ListObjectsV2 of acme-hosting-services-us-east-1", "us-east-2"), NOW)).toMatchObject({
      ...ROW,
      verdict: "unknown",
    });
  });
});

describe("restoreTestsRow of the point-in-time restore tests (fixed clock)", () => {
  const PITR = { id: "pitr-restore-tests", store: "RDS restore tests", target: "32 days" };
  const pitr = (testedAt: Date, passed = true): RestoreTestReport => ({
    key: `${FOLDER}pitr-test-x.json`,
    restored: "acme-us-east-1 to 2026-11-15T03:00:01.234Z",
    testedAt,
    passed,
    restoreSeconds: passed ? 2400 : undefined,
    failure: passed ? undefined : "tables of the manifest missing from the restored database: public.orders",
  });

  it("meets pointInTimeRestoreTestDays (32 by default: a monthly test plus a day), at the boundary exactly", () => {
    const passed = pitr(daysAgo(32));
    expect(restoreTestsRow(primary, found(passed, passed), NOW, "point-in-time")).toEqual({
      ...PITR,
      state: "2026-10-20T12:00:00Z (32 d 0 h ago)",
      verdict: "met",
      detail: `s3://${HOSTING}/${FOLDER}pitr-test-x.json: acme-us-east-1 to 2026-11-15T03:00:01.234Z restored and checked in 2400 s`,
      fix: "",
    });
    const stale = pitr(minutesAgo(32 * 24 * 60 + 1));
    expect(restoreTestsRow(primary, found(stale, stale), NOW, "point-in-time")).toMatchObject({
      verdict: "missed",
      fix: jobFix(primary, "point-in-time restore test"),
    });
  });

  it("misses when the newest failed, none passed, or there is none, naming its own reports", () => {
    const row = restoreTestsRow(primary, found(pitr(daysAgo(1), false), pitr(daysAgo(20))), NOW, "point-in-time");
    expect(row.verdict).toBe("missed");
    expect(row.detail).toContain("failed: tables of the manifest missing from the restored database: public.orders");
    expect(restoreTestsRow(primary, found(pitr(daysAgo(1), false)), NOW, "point-in-time")).toMatchObject({
      state: "none passed",
      detail: expect.stringMatching(/^no passed point-in-time restore test among the newest reports; /),
    });
    expect(restoreTestsRow(primary, read({ found: "none" as const }), NOW, "point-in-time")).toMatchObject({
      ...PITR,
      verdict: "missed",
      detail: `no point-in-time restore test report under s3://${HOSTING}/postgres/`,
    });
  });

  it("uses the environment's pointInTimeRestoreTestDays, not restoreTestDays", () => {
    const strict = environment(primaryInput({ recoveryObjectives: { pointInTimeRestoreTestDays: 1, restoreTestDays: 30 } })) as PrimaryEnvironment;
    const passed = pitr(daysAgo(3));
    expect(restoreTestsRow(strict, found(passed, passed), NOW, "point-in-time")).toMatchObject({ target: "1 day", verdict: "missed" });
    expect(restoreTestsRow(strict, found(passed, passed), NOW)).toMatchObject({ target: "30 days", verdict: "met" });
  });
});
