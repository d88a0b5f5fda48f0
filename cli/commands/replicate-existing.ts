import { S3ControlClient, type CreateJobCommandInput } from "@aws-sdk/client-s3-control";
import { startReplicateExisting, awsClient, failureKind, replicateExistingRequest } from "../../lib/operations";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { environmentOf } from "../environments";

/** `replicate-existing <region> [--dry-run]`: the S3 Batch Replication job for the objects older than the rule. */
export async function replicateExisting(args: { region: string }, options: { "dry-run": boolean }, context: CliContext): Promise<number> {
  const environment = environmentOf(context, args.region);
  let request: CreateJobCommandInput;
  try {
    request = replicateExistingRequest(environment);
  } catch (error) {
    // Only a primary owns an assets bucket: another region is a usage mistake.
    throw new UsageError((error as Error).message);
  }
  if (options["dry-run"]) {
    console.log(`Dry run: S3 Control CreateJob in ${environment.region}, not sent:\n${JSON.stringify(request, null, 2)}`);
    return 0;
  }
  let jobId: string;
  try {
    jobId = await startReplicateExisting(awsClient(S3ControlClient, environment.region, clientSettings(context)), request);
  } catch (error) {
    if (failureKind(error) !== "no-credentials") throw error;
    throw new Error(`no AWS credentials for account ${environment.accountId}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or use --dry-run)`);
  }
  console.log(`Started S3 Batch Replication job ${jobId}; report: s3://${request.Report!.Bucket!.replace("arn:aws:s3:::", "")}/${request.Report!.Prefix}/`);
  console.log(`Follow it: aws s3control describe-job --region ${environment.region} --account-id ${environment.accountId} --job-id ${jobId}`);
  return 0;
}
