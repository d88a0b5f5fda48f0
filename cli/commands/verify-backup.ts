import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { environmentNames } from "../../lib/naming";
import { awsClient, verifyArchive, verifyBackupJob, findLatestBackups, formatVerificationPlan } from "../../lib/operations";
import { clientSettings } from "../aws";
import type { CliContext } from "../command";
import { recoveryPair } from "../environments";

/** `verify-backup <region>`: restore and compare (`--target`), the in-cluster Job (`--print-job`), or the steps. */
export async function verifyBackup(
  args: { region: string },
  options: { namespace: string; target: string | undefined; archive: string | undefined; "print-job": boolean },
  context: CliContext,
): Promise<number> {
  const { recovery, primary } = recoveryPair(context, "verify-backup", args.region);
  const bucket = environmentNames(primary).hostingServicesBucket;
  // A key names one archive; otherwise the newest archive of the primary's database.
  const database = options.archive ? undefined : primary.database.databaseName;
  if (options["print-job"]) {
    const job = verifyBackupJob({
      namespace: options.namespace,
      bucket,
      region: recovery.region,
      registry: { accountId: recovery.accountId, region: recovery.region },
      serviceAccountName: "verify-backup",
      targetSecretName: "verify-backup-target",
      archiveKey: options.archive,
      database,
    });
    console.log(JSON.stringify(job, null, 2));
    return 0;
  }
  const settings = clientSettings(context);
  const s3 = awsClient(S3Client, recovery.region, settings);
  const target = options.target ?? context.env.DR_VERIFY_TARGET_URL;
  if (target) {
    const result = await verifyArchive(
      { bucket, region: recovery.region, archiveKey: options.archive, database, targetUrl: target, pgBinDir: context.env.PG_BINDIR },
      { s3 },
    );
    console.log(result.lines.join("\n"));
    return result.passed ? 0 : 1;
  }
  const latest = await findLatestBackups(recovery, primary, { s3, rds: awsClient(RDSClient, recovery.region, settings) });
  console.log(formatVerificationPlan(recovery, latest, options.namespace));
  return 0;
}
