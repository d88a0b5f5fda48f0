import type { RecoveryEnvironment } from "../../../environment";
import { drCommand } from "../../../naming";
import type { Reading } from "../../aws/errors";
import { passed, type RehearsalsFound } from "../../probes/rehearsals";
import { formatAge, formatTime } from "../recovery-point";
import { failedRead, type StatusRow } from "./row";

const DAY_MS = 86_400_000;

/**
 * The last passed rehearsal of a recovery (`rehearsal: true`; its report's start) against
 * `recoveryObjectives.rehearsalDays` of the recovery's file: a rehearsal is the recovery's own
 * exercise. Missed too when a newer rehearsal failed or did not get to its smoke check.
 */
export function rehearsalsRow(recovery: RecoveryEnvironment, bucket: string, found: Reading<RehearsalsFound>, now: Date): StatusRow {
  const days = recovery.recoveryObjectives.rehearsalDays;
  const row = { id: "rehearsals", store: "rehearsals", target: `${days} ${days === 1 ? "day" : "days"}` };
  if (!found.ok) return failedRead(row, found.failure);
  const fix = `${drCommand("rehearse", recovery.region, "--yes")}, then ${drCommand("rehearse", recovery.region, "--teardown")} (docs/rehearsal.md)`;
  const reports = found.value;
  if (reports.found === "no-bucket") return { ...row, state: "none", verdict: "missed", detail: `no bucket ${bucket}`, fix };
  if (reports.found === "none") return { ...row, state: "none", verdict: "missed", detail: `no rehearsal report under s3://${bucket}/`, fix };
  const { newest, lastPassed } = reports;
  const failedSince = passed(newest)
    ? ""
    : `; the newest rehearsal, ${formatTime(newest.startedAt)}, ${newest.failed.length > 0 ? `failed: ${newest.failed[0]}` : "did not get to its smoke check"} (s3://${bucket}/${newest.key})`;
  if (!lastPassed) return { ...row, state: "none passed", verdict: "missed", detail: `no passed rehearsal among the newest reports${failedSince}`, fix };
  const age = Math.max(now.getTime() - lastPassed.startedAt.getTime(), 0);
  const met = age <= days * DAY_MS && passed(newest);
  return {
    ...row,
    state: `${formatTime(lastPassed.startedAt)} (${formatAge(age)})`,
    verdict: met ? "met" : "missed",
    detail: `s3://${bucket}/${lastPassed.key}: served in ${lastPassed.measuredMinutes ?? "?"} min against ${lastPassed.objectiveMinutes}${failedSince}`,
    fix: met ? "" : fix,
  };
}
