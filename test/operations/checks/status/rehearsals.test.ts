import type { RecoveryEnvironment } from "../../../../lib/environment";
import { rehearsalsRow } from "../../../../lib/operations/checks/status/rehearsals";
import type { RehearsalReport } from "../../../../lib/operations/probes/rehearsals";
import { environment, recoveryInput } from "../../../support/environments";
import { failed, minutesAgo, NOW, read } from "../../../support/facts";

const HOSTING = "acme-hosting-services-us-east-1";
const recovery = environment(recoveryInput({ rehearsal: true })) as RecoveryEnvironment;
const ROW = { id: "rehearsals", store: "rehearsals", target: "92 days" };
const FIX = "npx dr-platform rehearse us-east-2 --yes, then npx dr-platform rehearse us-east-2 --teardown (docs/rehearsal.md)";
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);
const report = (startedAt: Date, served = true, failedSteps: string[] = []): RehearsalReport => ({
  key: "reports/us-east-2-rehearsal/20261001T100000Z/report.json",
  recoveryId: "20261001T100000Z",
  startedAt,
  servedAt: served ? new Date(startedAt.getTime() + 65 * 60_000) : undefined,
  measuredMinutes: served ? 65 : undefined,
  objectiveMinutes: 120,
  failed: failedSteps,
});
const found = (newest: RehearsalReport, lastPassed?: RehearsalReport) => read({ found: "reports" as const, newest, lastPassed, unreadable: [] });

describe("rehearsalsRow (fixed clock)", () => {
  it("meets the target when the last rehearsal passed within rehearsalDays", () => {
    const passed = report(daysAgo(30));
    expect(rehearsalsRow(recovery, HOSTING, found(passed, passed), NOW)).toEqual({
      ...ROW,
      state: "2026-10-22T12:00:00Z (30 d 0 h ago)",
      verdict: "met",
      detail: `s3://${HOSTING}/reports/us-east-2-rehearsal/20261001T100000Z/report.json: served in 65 min against 120`,
      fix: "",
    });
  });

  it("misses one minute past rehearsalDays, and meets at the boundary", () => {
    expect(rehearsalsRow(recovery, HOSTING, found(report(daysAgo(92)), report(daysAgo(92))), NOW).verdict).toBe("met");
    const stale = report(minutesAgo(92 * 24 * 60 + 1));
    expect(rehearsalsRow(recovery, HOSTING, found(stale, stale), NOW)).toMatchObject({ verdict: "missed", fix: FIX });
  });

  it("misses when the newest rehearsal failed or did not get to its smoke check, naming why, even with a pass before it", () => {
    const failing = rehearsalsRow(
      recovery,
      HOSTING,
      found(report(daysAgo(1), false, ["deploy:application-us-east-2-rehearsal: exited 1"]), report(daysAgo(10))),
      NOW,
    );
    expect(failing).toMatchObject({ verdict: "missed", fix: FIX });
    expect(failing.detail).toContain(
      "; the newest rehearsal, 2026-11-20T12:00:00Z, failed: deploy:application-us-east-2-rehearsal: exited 1 (s3://acme-hosting-services-us-east-1/reports/us-east-2-rehearsal/20261001T100000Z/report.json)",
    );
    const unfinished = rehearsalsRow(recovery, HOSTING, found(report(daysAgo(1), false), report(daysAgo(10))), NOW);
    expect(unfinished.detail).toContain("the newest rehearsal, 2026-11-20T12:00:00Z, did not get to its smoke check");
  });

  it("misses when none passed, none is there, or there is no bucket", () => {
    expect(rehearsalsRow(recovery, HOSTING, found(report(daysAgo(1), false)), NOW)).toMatchObject({
      ...ROW,
      state: "none passed",
      verdict: "missed",
      fix: FIX,
    });
    expect(rehearsalsRow(recovery, HOSTING, read({ found: "none" as const }), NOW)).toEqual({
      ...ROW,
      state: "none",
      verdict: "missed",
      detail: `no rehearsal report under s3://${HOSTING}/`,
      fix: FIX,
    });
    expect(rehearsalsRow(recovery, HOSTING, read({ found: "no-bucket" as const }), NOW)).toMatchObject({
      state: "none",
      verdict: "missed",
      detail: `no bucket ${HOSTING}`,
    });
  });

  it("uses the recovery's rehearsalDays", () => {
    const strict = environment(recoveryInput({ rehearsal: true, recoveryObjectives: { rehearsalDays: 7 } })) as RecoveryEnvironment;
    const passed = report(daysAgo(30));
    expect(rehearsalsRow(strict, HOSTING, found(passed, passed), NOW)).toMatchObject({ target: "7 days", verdict: "missed" });
    const daily = environment(recoveryInput({ rehearsal: true, recoveryObjectives: { rehearsalDays: 1 } })) as RecoveryEnvironment;
    expect(rehearsalsRow(daily, HOSTING, found(passed, passed), NOW).target).toBe("1 day");
  });

  it("says nothing is known when the listing failed", () => {
    expect(rehearsalsRow(recovery, HOSTING, failed("unreachable", `S3 ListObjectsV2 of ${HOSTING}`, "us-east-2"), NOW)).toMatchObject({
      ...ROW,
      verdict: "unknown",
    });
  });
});
