import * as fs from "fs";
import * as path from "path";
import { S3Client } from "@aws-sdk/client-s3";
import { archivesOf } from "../../lib/environment";
import { localRecoveryDir, recoveryReportKey, recoveryReportPrefix, recoveryRunKey } from "../../lib/naming";
import { awsClient, getObjectText, listObjects } from "../../lib/operations";
import { formatReport, type RecoveryReport } from "../../lib/recovery";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { sideOf } from "../environments";

/**
 * `report <region> [--last] [--json] [--rehearsal]`: the recoveries of a region (or its rehearsals)
 * and their evidence reports, read from the archive bucket where the executor wrote them (Object
 * Lock keeps them), or from the local folder when the bucket cannot be read.
 */
export async function report(
  args: { region: string },
  options: { last: boolean; json: boolean; id: string | undefined; rehearsal?: boolean },
  context: CliContext,
): Promise<number> {
  const archives = archivesOf(sideOf(context, args.region));
  // A rehearsal's reports are kept under its own key (reports/<region>-rehearsal/).
  const key = recoveryRunKey(args.region, options.rehearsal ? "rehearsal" : "region");
  const bucket = archives.bucket;
  const s3 = awsClient(S3Client, archives.region, clientSettings(context));
  const localDir = path.resolve(path.dirname(context.environmentsDir), localRecoveryDir(key), "reports");

  let ids: string[];
  let where: "bucket" | "local" = "bucket";
  try {
    const listing = await listObjects(s3, bucket, { prefix: recoveryReportPrefix(key).replace(/\/$/, "") });
    ids = [...new Set(listing.objects.map((o) => /\/([^/]+)\/report\.json$/.exec(o.Key ?? "")?.[1]).filter((id): id is string => id !== undefined))];
  } catch (error) {
    process.stderr.write(
      `dr-platform: s3://${bucket}/${recoveryReportPrefix(key)} could not be listed (${(error as Error).message}); the local reports follow\n`,
    );
    where = "local";
    ids = fs.existsSync(localDir) ? fs.readdirSync(localDir).filter((id) => fs.existsSync(path.join(localDir, id, "report.json"))) : [];
  }
  ids.sort();
  if (ids.length === 0) {
    process.stdout.write(
      `No ${options.rehearsal ? "rehearsal" : "recovery"} report of ${args.region} in ${where === "bucket" ? `s3://${bucket}/${recoveryReportPrefix(key)}` : localDir}.\n`,
    );
    return 1;
  }
  const wanted = options.id ?? (options.last ? ids[ids.length - 1] : undefined);
  const read = async (id: string): Promise<RecoveryReport> =>
    JSON.parse(
      where === "bucket"
        ? await getObjectText(s3, bucket, recoveryReportKey(key, id, "json"))
        : fs.readFileSync(path.join(localDir, id, "report.json"), "utf8"),
    );
  if (wanted === undefined) {
    const reports = await Promise.all(ids.map(read));
    process.stdout.write(
      options.json
        ? `${JSON.stringify(reports, null, 2)}\n`
        : `${reports
            .map(
              (r) =>
                `${r.recoveryId}  ${r.verdict.padEnd(14)}  ${r.measuredMinutes === undefined ? "-" : `${r.measuredMinutes} min`} of ${r.objectiveMinutes}  ${r.target}`,
            )
            .join("\n")}\n`,
    );
    return 0;
  }
  if (!ids.includes(wanted)) throw new UsageError(`no report ${wanted} of ${args.region}; there are ${ids.join(", ")}`);
  const found = await read(wanted);
  process.stdout.write(options.json ? `${JSON.stringify(found, null, 2)}\n` : formatReport(found));
  return 0;
}
