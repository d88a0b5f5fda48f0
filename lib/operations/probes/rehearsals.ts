import type { S3Client } from "@aws-sdk/client-s3";
import { recoveryReportKey, recoveryReportPrefix, recoveryRunKey } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { getObjectText, listObjects } from "../aws/s3-objects";

/** A rehearsal's evidence report (`rehearse`), as much of it as the status row judges. */
export interface RehearsalReport {
  readonly key: string;
  readonly recoveryId: string;
  readonly startedAt: Date;
  /** When its smoke check (its last step to serve) ended; undefined when it did not get there. */
  readonly servedAt?: Date;
  readonly measuredMinutes?: number;
  readonly objectiveMinutes: number;
  /** Steps that failed, with why. */
  readonly failed: readonly string[];
}

export type RehearsalsFound =
  | { readonly found: "no-bucket" }
  | { readonly found: "none" }
  /** `newest`: the newest report; `lastPassed`: the newest that served with no failed step (undefined when none of those read did). */
  | { readonly found: "reports"; readonly newest: RehearsalReport; readonly lastPassed?: RehearsalReport; readonly unreadable: readonly string[] };

/** How many reports, newest first, are read looking for one that passed. */
const MAX_READS = 20;

/**
 * The rehearsals' reports of a recovery region (`reports/<region>-rehearsal/<id>/report.json` in the
 * archive bucket the recovery reads): one listing, then the reports newest first until one that
 * passed (at most 20). Facts only: the status check judges them.
 */
export async function probeRehearsals(s3: S3Client, bucket: string, region: string): Promise<Reading<RehearsalsFound>> {
  const key = recoveryRunKey(region, "rehearsal");
  const prefix = recoveryReportPrefix(key);
  const listed = await reading(`S3 ListObjectsV2 of ${bucket}`, region, () => listObjects(s3, bucket, { prefix }));
  if (!listed.ok) return listed.failure.kind === "not-found" ? { ok: true, value: { found: "no-bucket" } } : listed;
  const ids = [
    ...new Set(
      listed.value.objects.map((o) => new RegExp(`^${prefix}([^/]+)/report\\.json$`).exec(o.Key ?? "")?.[1]).filter((id): id is string => id !== undefined),
    ),
  ].sort((a, b) => b.localeCompare(a));
  if (ids.length === 0) return { ok: true, value: { found: "none" } };
  let newest: RehearsalReport | undefined;
  const unreadable: string[] = [];
  for (const id of ids.slice(0, MAX_READS)) {
    const reportKey = recoveryReportKey(key, id, "json");
    const text = await reading(`S3 GetObject of s3://${bucket}/${reportKey}`, region, () => getObjectText(s3, bucket, reportKey));
    const report = text.ok ? parseReport(reportKey, text.value) : undefined;
    if (!report) {
      unreadable.push(reportKey);
      continue;
    }
    newest ??= report;
    if (passed(report)) return { ok: true, value: { found: "reports", newest, lastPassed: report, unreadable } };
  }
  if (!newest) return { ok: true, value: { found: "none" } };
  return { ok: true, value: { found: "reports", newest, unreadable } };
}

/** A rehearsal passed when it got to its smoke check with no step failed. */
export function passed(report: RehearsalReport): boolean {
  return report.servedAt !== undefined && report.failed.length === 0;
}

function parseReport(key: string, text: string): RehearsalReport | undefined {
  try {
    const value = JSON.parse(text);
    if (value?.format !== "dr-platform/recovery-report/1" || value.scenario !== "rehearsal" || Number.isNaN(Date.parse(value.startedAt))) return undefined;
    return {
      key,
      recoveryId: String(value.recoveryId),
      startedAt: new Date(value.startedAt),
      servedAt: typeof value.servedAt === "string" && !Number.isNaN(Date.parse(value.servedAt)) ? new Date(value.servedAt) : undefined,
      measuredMinutes: typeof value.measuredMinutes === "number" ? value.measuredMinutes : undefined,
      objectiveMinutes: Number(value.objectiveMinutes),
      failed: Array.isArray(value.failed) ? value.failed.map(String) : [],
    };
  } catch {
    return undefined;
  }
}
