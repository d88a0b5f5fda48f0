import type { PrimaryEnvironment } from "../../../environment";
import { deployStackCommand, environmentNames, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { RestoreTestKind, RestoreTestsFound } from "../../probes/restore-tests";
import { formatAge, formatTime } from "../recovery-point";
import { failedRead, jobFix, type StatusRow } from "./row";

const DAY_MS = 86_400_000;

/** Each kind's row: its id, what it is called, its objective (days) and its reports' name. */
const KINDS: Record<RestoreTestKind, { id: string; store: string; job: string; days: (p: PrimaryEnvironment) => number }> = {
  archives: { id: "restore-tests", store: "restore tests", job: "restore test", days: (p) => p.recoveryObjectives.restoreTestDays },
  "point-in-time": {
    id: "pitr-restore-tests",
    store: "RDS restore tests",
    job: "point-in-time restore test",
    days: (p) => p.recoveryObjectives.pointInTimeRestoreTestDays,
  },
};

/**
 * The last successful scheduled restore test of a kind (its report's time) against its objective:
 * the archives' against `restoreTestDays`, the RDS backups' (`backups.restoreTest.pointInTime`)
 * against `pointInTimeRestoreTestDays`. Missed too when a newer test failed.
 */
export function restoreTestsRow(primary: PrimaryEnvironment, found: Reading<RestoreTestsFound>, now: Date, kind: RestoreTestKind = "archives"): StatusRow {
  const { id, store, job } = KINDS[kind];
  const bucket = environmentNames(primary).hostingServicesBucket;
  const days = KINDS[kind].days(primary);
  const row = { id, store, target: `${days} ${days === 1 ? "day" : "days"}` };
  if (!found.ok) return failedRead(row, found.failure);
  const fix = jobFix(primary, job);
  const tests = found.value;
  if (tests.found === "no-bucket")
    return { ...row, state: "none", verdict: "missed", detail: `no bucket ${bucket}`, fix: deployStackCommand(stackId("application", primary.region)) };
  if (tests.found === "none") return { ...row, state: "none", verdict: "missed", detail: `no ${job} report under s3://${bucket}/postgres/`, fix };
  const { newest, lastPassed } = tests;
  const failedSince = newest.passed
    ? ""
    : `; the newest test, ${formatTime(newest.testedAt)}, failed: ${newest.failure ?? "no reason given"} (s3://${bucket}/${newest.key})`;
  if (!lastPassed) return { ...row, state: "none passed", verdict: "missed", detail: `no passed ${job} among the newest reports${failedSince}`, fix };
  const age = Math.max(now.getTime() - lastPassed.testedAt.getTime(), 0);
  const met = age <= days * DAY_MS;
  return {
    ...row,
    state: `${formatTime(lastPassed.testedAt)} (${formatAge(age)})`,
    verdict: met && newest.passed ? "met" : "missed",
    detail: `s3://${bucket}/${lastPassed.key}: ${lastPassed.restored} restored and checked in ${lastPassed.restoreSeconds ?? "?"} s${failedSince}`,
    fix: met && newest.passed ? "" : fix,
  };
}
