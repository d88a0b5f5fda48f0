import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, environmentNames, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { ArchiveFound } from "../../probes/newest-archive";
import { formatMinutes, formatTime, judgeRecoveryPoint } from "../recovery-point";
import { failedRead, jobFix, type StatusRow } from "./row";

/** The newest archive's snapshot time (from its manifest) against `databaseArchivesMinutes`. */
export function databaseArchivesRow(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, found: Reading<ArchiveFound>, now: Date): StatusRow {
  const bucket = environmentNames(primary).hostingServicesBucket;
  const minutes = primary.recoveryObjectives.databaseArchivesMinutes;
  const row = { id: "database-archives", store: "database archives", target: formatMinutes(minutes) };
  if (!found.ok) return failedRead(row, found.failure);
  const archive = found.value;
  switch (archive.found) {
    case "no-bucket":
      return {
        ...row,
        state: "none",
        verdict: "missed",
        detail: `no bucket ${bucket} in ${recovery.region}`,
        fix: `${deployStackCommand(stackId("application", primary.region))}   # it creates ${bucket}`,
      };
    case "none":
      return {
        ...row,
        state: "none",
        verdict: "missed",
        detail: `no archive with a manifest.json under s3://${bucket}/${archive.prefix}`,
        fix: jobFix(primary, "database archive"),
      };
    case "unreadable":
      return {
        ...row,
        state: "unreadable manifest",
        verdict: "missed",
        detail: `s3://${bucket}/${archive.manifestKey}: ${archive.problem}`,
        fix: `the newest archive cannot be trusted without its manifest: ${jobFix(primary, "database archive")}`,
      };
    case "archive": {
      const { manifest, manifestKey } = archive.archive;
      const point = new Date(manifest.snapshotAt);
      const judged = judgeRecoveryPoint(point, minutes, now);
      return {
        ...row,
        recoveryPoint: point,
        ...judged,
        detail: [
          `s3://${bucket}/${manifestKey}`,
          `database ${manifest.database}, PostgreSQL ${manifest.serverVersion}, ${manifest.archive.bytes} bytes, sha256 ${manifest.archive.sha256.slice(0, 12)}..., ${manifest.tables.length} tables, snapshot ${formatTime(point)}`,
        ].join("\n"),
        fix: judged.verdict === "met" ? "" : jobFix(primary, "database archive"),
      };
    }
  }
}
