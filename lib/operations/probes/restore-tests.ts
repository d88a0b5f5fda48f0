import type { S3Client } from "@aws-sdk/client-s3";
import { parseRestoreTestReportKey, RESTORE_TEST_REPORT_FORMAT, RESTORE_TEST_REPORTS_PREFIX } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { getObjectText, listObjects } from "../aws/s3-objects";

/** A report backup/restore-test.sh wrote next to the archive it restored. */
export interface RestoreTestReport {
  readonly key: string;
  readonly archiveKey: string;
  readonly testedAt: Date;
  readonly passed: boolean;
  /** Seconds the restore and its checks took; undefined when nothing was restored. */
  readonly restoreSeconds?: number;
  readonly failure?: string;
}

export type RestoreTestsFound =
  | { readonly found: "no-bucket" }
  | { readonly found: "none" }
  /** `newest`: the newest report; `lastPassed`: the newest that passed (undefined when none of those read did). */
  | { readonly found: "reports"; readonly newest: RestoreTestReport; readonly lastPassed?: RestoreTestReport; readonly unreadable: readonly string[] };

/** How many reports, newest first, are read looking for one that passed. */
const MAX_READS = 20;

/**
 * The scheduled restore tests' reports in the archive bucket: one listing under the archive prefix,
 * the report files (`restore-test-<stamp>.json` inside an archive folder) newest first by stamp,
 * read until one that passed (at most 20). Facts only: the status check judges them.
 */
export async function probeRestoreTests(s3: S3Client, bucket: string, region: string): Promise<Reading<RestoreTestsFound>> {
  const listed = await reading(`S3 ListObjectsV2 of ${bucket}`, region, () => listObjects(s3, bucket, { prefix: RESTORE_TEST_REPORTS_PREFIX }));
  if (!listed.ok) return listed.failure.kind === "not-found" ? { ok: true, value: { found: "no-bucket" } } : listed;
  const reports = listed.value.objects
    .map((object) => {
      const report = object.Key ? parseRestoreTestReportKey(object.Key) : undefined;
      return report ? { key: object.Key!, stamp: report.stamp } : undefined;
    })
    .filter((r): r is { key: string; stamp: string } => r !== undefined)
    .sort((a, b) => (a.stamp === b.stamp ? b.key.localeCompare(a.key) : b.stamp.localeCompare(a.stamp)));
  if (reports.length === 0) return { ok: true, value: { found: "none" } };
  let newest: RestoreTestReport | undefined;
  const unreadable: string[] = [];
  for (const { key } of reports.slice(0, MAX_READS)) {
    const text = await reading(`S3 GetObject of s3://${bucket}/${key}`, region, () => getObjectText(s3, bucket, key));
    const report = text.ok ? parseReport(key, text.value) : undefined;
    if (!report) {
      unreadable.push(key);
      continue;
    }
    newest ??= report;
    if (report.passed) return { ok: true, value: { found: "reports", newest, lastPassed: report, unreadable } };
  }
  if (!newest) return { ok: true, value: { found: "none" } };
  return { ok: true, value: { found: "reports", newest, unreadable } };
}

function parseReport(key: string, text: string): RestoreTestReport | undefined {
  try {
    const value = JSON.parse(text);
    if (value?.format !== RESTORE_TEST_REPORT_FORMAT || typeof value.passed !== "boolean" || Number.isNaN(Date.parse(value.testedAt))) return undefined;
    return {
      key,
      archiveKey: String(value.archiveKey),
      testedAt: new Date(value.testedAt),
      passed: value.passed,
      restoreSeconds: typeof value.restoreSeconds === "number" ? value.restoreSeconds : undefined,
      failure: typeof value.failure === "string" ? value.failure : undefined,
    };
  } catch {
    return undefined;
  }
}
