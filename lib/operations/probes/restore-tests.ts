import type { S3Client } from "@aws-sdk/client-s3";
import {
  parsePointInTimeRestoreTestReportKey,
  parseRestoreTestReportKey,
  POINT_IN_TIME_RESTORE_TEST_REPORT_FORMAT,
  RESTORE_TEST_REPORT_FORMAT,
  RESTORE_TEST_REPORTS_PREFIX,
} from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { getObjectText, listObjects } from "../aws/s3-objects";

/**
 * Which scheduled restore test: `archives` (backup/restore-test.sh, `restore-test-<stamp>.json`) or
 * `point-in-time` (backup/pitr-restore-test.sh, the RDS backups, `pitr-test-<stamp>.json`).
 */
export type RestoreTestKind = "archives" | "point-in-time";

/** A report a restore test wrote next to the archive it restored (or whose snapshot time it restored the RDS backups to). */
export interface RestoreTestReport {
  readonly key: string;
  /** What was restored: the archive's key, or `<source> to <restore time>`. */
  readonly restored: string;
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
export async function probeRestoreTests(s3: S3Client, bucket: string, region: string, kind: RestoreTestKind = "archives"): Promise<Reading<RestoreTestsFound>> {
  const { parseKey, parse } = KINDS[kind];
  const listed = await reading(`S3 ListObjectsV2 of ${bucket}`, region, () => listObjects(s3, bucket, { prefix: RESTORE_TEST_REPORTS_PREFIX }));
  if (!listed.ok) return listed.failure.kind === "not-found" ? { ok: true, value: { found: "no-bucket" } } : listed;
  const reports = listed.value.objects
    .map((object) => {
      const report = object.Key ? parseKey(object.Key) : undefined;
      return report ? { key: object.Key!, stamp: report.stamp } : undefined;
    })
    .filter((r): r is { key: string; stamp: string } => r !== undefined)
    .sort((a, b) => (a.stamp === b.stamp ? b.key.localeCompare(a.key) : b.stamp.localeCompare(a.stamp)));
  if (reports.length === 0) return { ok: true, value: { found: "none" } };
  let newest: RestoreTestReport | undefined;
  const unreadable: string[] = [];
  for (const { key } of reports.slice(0, MAX_READS)) {
    const text = await reading(`S3 GetObject of s3://${bucket}/${key}`, region, () => getObjectText(s3, bucket, key));
    const report = text.ok ? parseJson(text.value, (value) => parse(key, value)) : undefined;
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

function parseJson(text: string, parse: (value: any) => RestoreTestReport | undefined): RestoreTestReport | undefined {
  try {
    return parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

const seconds = (value: unknown) => (typeof value === "number" ? value : undefined);
const failure = (value: unknown) => (typeof value === "string" ? value : undefined);

/** Each kind's report file names and JSON (format, outcome, times), as its script writes them. */
const KINDS: Record<
  RestoreTestKind,
  { parseKey: (key: string) => { readonly stamp: string } | undefined; parse: (key: string, value: any) => RestoreTestReport | undefined }
> = {
  archives: {
    parseKey: parseRestoreTestReportKey,
    parse: (key, value) =>
      value?.format !== RESTORE_TEST_REPORT_FORMAT || typeof value.passed !== "boolean" || Number.isNaN(Date.parse(value.testedAt))
        ? undefined
        : {
            key,
            restored: String(value.archiveKey),
            testedAt: new Date(value.testedAt),
            passed: value.passed,
            restoreSeconds: seconds(value.restoreSeconds),
            failure: failure(value.failure),
          },
  },
  "point-in-time": {
    parseKey: parsePointInTimeRestoreTestReportKey,
    parse: (key, value) =>
      value?.format !== POINT_IN_TIME_RESTORE_TEST_REPORT_FORMAT || !["pass", "fail"].includes(value.outcome) || Number.isNaN(Date.parse(value.testedAt))
        ? undefined
        : {
            key,
            restored: `${String(value.source)} to ${String(value.restoreTime)}`,
            testedAt: new Date(value.testedAt),
            passed: value.outcome === "pass",
            restoreSeconds: seconds(value.restoreSeconds),
            failure: failure(value.failure),
          },
  },
};
