import * as path from "path";
import {
  daysUntil,
  EKS_KUBERNETES_CALENDAR,
  eksRelease,
  kubernetesCalendarFinding,
  loadEnvironments,
  STANDARD_SUPPORT_WARNING_DAYS,
} from "../../lib/environment";
import { REPO } from "../support/run";

const at = (iso: string) => new Date(iso);
const NEXT_AFTER_1_31 =
  "the next version still supported is 1.32 (extended support until 2027-03-23); the newest is 1.35 (standard support until 2027-03-27), with add-on versions of that version";

describe("the EKS release calendar", () => {
  it("is the AWS page's table, oldest first, each version a minor after the one before", () => {
    expect(EKS_KUBERNETES_CALENDAR.map((r) => [r.version, r.released, r.standardSupportEnds, r.extendedSupportEnds])).toEqual([
      ["1.29", "2024-01-23", "2025-03-23", "2026-03-23"],
      ["1.30", "2024-05-23", "2025-07-23", "2026-07-23"],
      ["1.31", "2024-09-26", "2025-11-26", "2026-11-26"],
      ["1.32", "2025-01-23", "2026-03-23", "2027-03-23"],
      ["1.33", "2025-05-28", "2026-07-29", "2027-07-29"],
      ["1.34", "2025-10-06", "2026-12-02", "2027-12-02"],
      ["1.35", "2026-01-28", "2027-03-27", "2028-03-27"],
    ]);
    for (const release of EKS_KUBERNETES_CALENDAR) {
      expect(release.released < release.standardSupportEnds && release.standardSupportEnds < release.extendedSupportEnds).toBe(true);
    }
  });

  it("counts whole days to the end of a support day (the last day counts as supported)", () => {
    expect(daysUntil("2026-12-02", at("2026-12-02T23:59:59Z"))).toBe(0);
    expect(daysUntil("2026-12-02", at("2026-12-03T00:00:00Z"))).toBe(-1);
    expect(daysUntil("2026-12-02", at("2026-11-30T00:00:00Z"))).toBe(2);
  });

  describe("kubernetesCalendarFinding", () => {
    it("refuses a version past extended support, naming the date and the next version still supported", () => {
      expect(kubernetesCalendarFinding("1.31", at("2026-12-02T10:00:00Z"))).toEqual({
        level: "error",
        message: `EKS ended extended support of Kubernetes 1.31 on 2026-11-26: CreateCluster refuses it and EKS upgrades clusters left on it; ${NEXT_AFTER_1_31}`,
      });
      // The last day of extended support still creates; the next day does not.
      expect(kubernetesCalendarFinding("1.31", at("2026-11-26T23:00:00Z"))?.level).toBe("warning");
      expect(kubernetesCalendarFinding("1.31", at("2026-11-27T00:00:00Z"))?.level).toBe("error");
    });

    it("refuses a version older than the calendar", () => {
      expect(kubernetesCalendarFinding("1.27", at("2026-12-02T00:00:00Z"))).toEqual({
        level: "error",
        message: `1.27 is older than every version in the EKS calendar; the oldest, 1.29, left extended support on 2026-03-23: EKS creates no cluster with it; the next version still supported is 1.32 (extended support until 2027-03-23); the newest is 1.35 (standard support until 2027-03-27), with add-on versions of that version`,
      });
    });

    it("says when no version of the calendar is supported any more (the table needs its new rows)", () => {
      expect(kubernetesCalendarFinding("1.35", at("2028-04-01T00:00:00Z"))).toEqual({
        level: "error",
        message:
          "EKS ended extended support of Kubernetes 1.35 on 2028-03-27: CreateCluster refuses it and EKS upgrades clusters left on it; no version of the calendar is supported on 2028-04-01: add the current ones from https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
      });
    });

    it(`warns within ${STANDARD_SUPPORT_WARNING_DAYS} days of the end of standard support, and on the day itself`, () => {
      expect(kubernetesCalendarFinding("1.34", at("2026-12-02T08:00:00Z"))).toEqual({
        level: "warning",
        message:
          "Kubernetes 1.34 leaves EKS standard support on 2026-12-02 (in 0 days), then extended support (charged per cluster hour) ends 2027-12-02; plan the upgrade: the next version still supported is 1.35 (extended support until 2028-03-27); the newest is 1.35 (standard support until 2027-03-27), with add-on versions of that version",
      });
      expect(kubernetesCalendarFinding("1.34", at("2026-12-01T08:00:00Z"))?.message).toContain("(in 1 day)");
      expect(kubernetesCalendarFinding("1.35", at("2026-12-27T12:00:00Z"))?.message).toContain("(in 90 days)");
      expect(kubernetesCalendarFinding("1.35", at("2026-12-26T12:00:00Z"))).toBeUndefined();
    });

    it("says of the newest version that the calendar needs its successor, not that nothing is supported", () => {
      expect(kubernetesCalendarFinding("1.35", at("2027-01-10T00:00:00Z"))).toEqual({
        level: "warning",
        message:
          "Kubernetes 1.35 leaves EKS standard support on 2027-03-27 (in 76 days), then extended support (charged per cluster hour) ends 2028-03-27; plan the upgrade: 1.35 is the newest version of this library's calendar: add the next one from https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html once AWS publishes its dates",
      });
    });

    it("warns while a version is in extended support", () => {
      expect(kubernetesCalendarFinding("1.32", at("2026-12-02T00:00:00Z"))).toEqual({
        level: "warning",
        message:
          "Kubernetes 1.32 left EKS standard support on 2026-03-23 and is in extended support (charged per cluster hour) until 2027-03-23; plan the upgrade: the next version still supported is 1.33 (extended support until 2027-07-29); the newest is 1.35 (standard support until 2027-03-27), with add-on versions of that version",
      });
    });

    it("warns about a version newer than the calendar (its dates are unknown here)", () => {
      expect(kubernetesCalendarFinding("1.36", at("2026-12-02T00:00:00Z"))).toEqual({
        level: "warning",
        message:
          "1.36 is newer than the EKS calendar of this library (newest: 1.35); its support dates are not checked: add them to lib/environment/sections/kubernetes-calendar.ts from https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
      });
    });

    it("says nothing about a version well inside standard support", () => {
      expect(kubernetesCalendarFinding("1.35", at("2026-06-01T00:00:00Z"))).toBeUndefined();
    });
  });
});

/**
 * The shipped environments against today's date, with the real clock: this test fails on the day
 * a pin's extended support ends within six months, so the pin is moved before AWS refuses it.
 */
describe("the shipped environments, today", () => {
  const today = new Date();
  const shipped = loadEnvironments(path.join(REPO, "environments"), { now: today });

  it("use an EKS version whose extended support ends at least 6 months from today", () => {
    for (const { file, environment } of shipped) {
      const release = eksRelease(environment.kubernetes.version);
      expect({ file, version: environment.kubernetes.version, known: release !== undefined }).toEqual({ file, version: "1.35", known: true });
      const sixMonths = new Date(today);
      sixMonths.setUTCMonth(sixMonths.getUTCMonth() + 6);
      const ends = Date.parse(`${release!.extendedSupportEnds}T23:59:59Z`);
      expect(
        ends >= sixMonths.getTime()
          ? "at least 6 months away"
          : `${file}: Kubernetes ${environment.kubernetes.version} leaves extended support on ${release!.extendedSupportEnds}, before ${sixMonths.toISOString().slice(0, 10)}`,
      ).toBe("at least 6 months away");
    }
  });

  it("pin add-on builds of their Kubernetes version (kube-proxy's minor is the cluster's)", () => {
    for (const { environment } of shipped) {
      expect(environment.kubernetes.addons["kube-proxy"]).toMatch(
        new RegExp(`^v${environment.kubernetes.version.replace(".", "\\.")}\\.\\d+-eksbuild\\.\\d+$`),
      );
    }
  });

  it("load today with no warning but the calendar's own (from 90 days before the end of standard support: plan the upgrade)", () => {
    // Not a bare "no warnings": that would fail CI on a fixed day with nothing changed; the calendar's warning is the synth's job.
    const expected = shipped.flatMap(({ file, environment }) => {
      const finding = kubernetesCalendarFinding(environment.kubernetes.version, today);
      return finding ? [`${file}: kubernetes.version: ${finding.message}`] : [];
    });
    expect(shipped.flatMap((l) => l.warnings).map((w) => w.replace(/ \(got [^)]*\)$/, ""))).toEqual(expected);
  });

  it("would be refused once today is past a pin's extended support", () => {
    const end = eksRelease("1.35")!.extendedSupportEnds;
    const after = new Date(Date.parse(`${end}T00:00:00Z`) + 2 * 24 * 3600 * 1000);
    expect(() => loadEnvironments(path.join(REPO, "environments"), { now: after })).toThrow(
      /environments\/us-east-1\.ts: kubernetes\.version: EKS ended extended support of Kubernetes 1\.35 on 2028-03-27/,
    );
  });
});
