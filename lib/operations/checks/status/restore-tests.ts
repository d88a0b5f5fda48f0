import type { PrimaryEnvironment } from "../../../environment";
import { deployStackCommand, globalNames, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { RestoreTestsFound } from "../../probes/restore-tests";
import { formatAge, formatTime } from "../recovery-point";
import { failedRead, jobFix, type StatusRow } from "./row";

const DAY_MS = 86_400_000;

/** The last successful scheduled restore test (its report's time) against `restoreTestDays`. */
export function restoreTestsRow(primary: PrimaryEnvironment, found: Reading<RestoreTestsFound>, now: Date): StatusRow {
  const bucket = globalNames(primary.project, primary.region).hostingServicesBucket;
  const days = primary.recoveryObjectives.restoreTestDays;
  const row = { id: "restore-tests", store: "restore tests", target: `${days} ${days === 1 ? "day" : "days"}` };
  if (!found.ok) return failedRead(row, found.failure);
  const fix = jobFix(primary, "restore test");
  const tests = found.value;
  if (tests.found === "no-bucket")
    return { ...row, state: "none", verdict: "missed", detail: `no bucket ${bucket}`, fix: deployStackCommand(stackId("application", primary.region)) };
  if (tests.found === "none") return { ...row, state: "none", verdict: "missed", detail: `no restore test report under s3://${bucket}/postgres/`, fix };
  const { newest, lastPassed } = tests;
  const failedSince = newest.passed
    ? ""
    : `; the newest test, ${formatTime(newest.testedAt)}, failed: ${newest.failure ?? "no reason given"} (s3://${bucket}/${newest.key})`;
  if (!lastPassed) return { ...row, state: "none passed", verdict: "missed", detail: `no passed restore test among the newest reports${failedSince}`, fix };
  const age = Math.max(now.getTime() - lastPassed.testedAt.getTime(), 0);
  const met = age <= days * DAY_MS;
  return {
    ...row,
    state: `${formatTime(lastPassed.testedAt)} (${formatAge(age)})`,
    verdict: met && newest.passed ? "met" : "missed",
    detail: `s3://${bucket}/${lastPassed.key}: ${lastPassed.archiveKey} restored and checked in ${lastPassed.restoreSeconds ?? "?"} s${failedSince}`,
    fix: met && newest.passed ? "" : fix,
  };
}
