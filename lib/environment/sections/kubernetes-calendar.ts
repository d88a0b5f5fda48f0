/**
 * The EKS release calendar: when each Kubernetes version left (or leaves) standard and extended
 * support on Amazon EKS. Past the end of extended support EKS refuses `CreateCluster` with the
 * version and upgrades clusters still on it, so a recovery pinned to it cannot be built and a live
 * cluster plans a downgrade. The loader judges every environment's `kubernetes.version` against
 * this table at synth (lib/environment/findings.ts) and preflight asks EKS in the recovery
 * region as well (DescribeClusterVersions).
 *
 * Sources (read 2026-12-02; dates in UTC, as AWS publishes them):
 * - AWS, "Understand the Kubernetes version lifecycle on EKS":
 *   https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 * - cross-checked with https://endoflife.date/amazon-eks. They differ on one date: the release of
 *   1.32 (AWS 2025-01-23, endoflife.date 2025-01-25); AWS's is kept. A release date decides nothing
 *   here, the two support ends do.
 *
 * 1.36 is offered by EKS (its kube-proxy build v1.36.0-eksbuild.14 is in AWS's add-on docs) but
 * its support dates were not confirmed when this table was read, so it is not listed: a version
 * newer than the table is accepted with a warning to add it here from the AWS page.
 */

/** One Kubernetes minor version on EKS. Dates are ISO days (`YYYY-MM-DD`, UTC). */
export interface EksKubernetesRelease {
  /** `1.35`. */
  readonly version: string;
  /** When EKS made it available. */
  readonly released: string;
  /** Last day of standard support: after it, extended support (charged extra per cluster hour). */
  readonly standardSupportEnds: string;
  /** Last day of extended support: after it EKS creates no cluster with it and upgrades those left on it. */
  readonly extendedSupportEnds: string;
}

/** The calendar, oldest first. Add a row from the AWS page when EKS publishes a version's dates. */
export const EKS_KUBERNETES_CALENDAR: readonly EksKubernetesRelease[] = [
  { version: "1.29", released: "2024-01-23", standardSupportEnds: "2025-03-23", extendedSupportEnds: "2026-03-23" },
  { version: "1.30", released: "2024-05-23", standardSupportEnds: "2025-07-23", extendedSupportEnds: "2026-07-23" },
  { version: "1.31", released: "2024-09-26", standardSupportEnds: "2025-11-26", extendedSupportEnds: "2026-11-26" },
  { version: "1.32", released: "2025-01-23", standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23" },
  { version: "1.33", released: "2025-05-28", standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
  { version: "1.34", released: "2025-10-06", standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
  { version: "1.35", released: "2026-01-28", standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
];

/** Where the calendar's dates come from (docs and messages name them). */
export const EKS_CALENDAR_SOURCE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html";

/** A synth warns when a version leaves standard support within this many days (or has left it). */
export const STANDARD_SUPPORT_WARNING_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Minor number of `1.35` (35); NaN for anything else. */
function minorOf(version: string): number {
  const match = /^1\.(\d+)$/.exec(version);
  return match ? Number(match[1]) : NaN;
}

/** The calendar row of a version, if it has one. */
export function eksRelease(version: string, calendar: readonly EksKubernetesRelease[] = EKS_KUBERNETES_CALENDAR): EksKubernetesRelease | undefined {
  return calendar.find((r) => r.version === version);
}

/** The end of a support day: supported through `YYYY-MM-DD` means until 23:59:59.999 UTC that day. */
function endOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS - 1;
}

/** Whole days from `now` until the end of `day` (0 on the day itself, negative once it has passed). */
export function daysUntil(day: string, now: Date): number {
  return Math.floor((endOfDay(day) - now.getTime()) / DAY_MS);
}

/** Whether the version is still creatable on `now` (within extended support). */
export function isSupportedOn(release: EksKubernetesRelease, now: Date): boolean {
  return now.getTime() <= endOfDay(release.extendedSupportEnds);
}

/** What the calendar says about a version on a day: nothing, a warning (the synth goes on) or an error (refused). */
export type CalendarFinding = { readonly level: "warning" | "error"; readonly message: string };

/**
 * The finding for `version` on `now`:
 * - error: past extended support (or older than every row), naming the date and the next version still supported;
 * - warning: out of standard support already, or leaving it within STANDARD_SUPPORT_WARNING_DAYS;
 * - warning: newer than every row (its dates are unknown here);
 * - nothing otherwise.
 */
export function kubernetesCalendarFinding(
  version: string,
  now: Date,
  calendar: readonly EksKubernetesRelease[] = EKS_KUBERNETES_CALENDAR,
): CalendarFinding | undefined {
  const release = eksRelease(version, calendar);
  const supported = calendar.filter((r) => isSupportedOn(r, now) && minorOf(r.version) > minorOf(version));
  const next = supported[0];
  const newest = calendar[calendar.length - 1];
  const upgrade = next
    ? `the next version still supported is ${next.version} (extended support until ${next.extendedSupportEnds}); the newest is ${newest.version} (standard support until ${newest.standardSupportEnds}), with add-on versions of that version`
    : release && isSupportedOn(release, now)
      ? `${version} is the newest version of this library's calendar: add the next one from ${EKS_CALENDAR_SOURCE} once AWS publishes its dates`
      : `no version of the calendar is supported on ${now.toISOString().slice(0, 10)}: add the current ones from ${EKS_CALENDAR_SOURCE}`;
  if (!release) {
    if (minorOf(version) > minorOf(newest.version)) {
      return {
        level: "warning",
        message: `${version} is newer than the EKS calendar of this library (newest: ${newest.version}); its support dates are not checked: add them to lib/environment/sections/kubernetes-calendar.ts from ${EKS_CALENDAR_SOURCE}`,
      };
    }
    const oldest = calendar[0];
    return {
      level: "error",
      message: `${version} is older than every version in the EKS calendar; the oldest, ${oldest.version}, left extended support on ${oldest.extendedSupportEnds}: EKS creates no cluster with it; ${upgrade}`,
    };
  }
  if (!isSupportedOn(release, now)) {
    return {
      level: "error",
      message: `EKS ended extended support of Kubernetes ${version} on ${release.extendedSupportEnds}: CreateCluster refuses it and EKS upgrades clusters left on it; ${upgrade}`,
    };
  }
  const days = daysUntil(release.standardSupportEnds, now);
  if (days < 0) {
    return {
      level: "warning",
      message: `Kubernetes ${version} left EKS standard support on ${release.standardSupportEnds} and is in extended support (charged per cluster hour) until ${release.extendedSupportEnds}; plan the upgrade: ${upgrade}`,
    };
  }
  if (days <= STANDARD_SUPPORT_WARNING_DAYS) {
    return {
      level: "warning",
      message: `Kubernetes ${version} leaves EKS standard support on ${release.standardSupportEnds} (in ${days} day${days === 1 ? "" : "s"}), then extended support (charged per cluster hour) ends ${release.extendedSupportEnds}; plan the upgrade: ${upgrade}`,
    };
  }
  return undefined;
}
