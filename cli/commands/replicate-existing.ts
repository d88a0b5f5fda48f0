import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { awsClient, replicateExistingJobs, replicateExistingNotes, startReplicateExistingJobs, type ReplicationJob } from "../../lib/operations";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { environmentOf, environmentsOf } from "../environments";

/**
 * `replicate-existing <region> [--dry-run]`: the S3 Batch Replication jobs for the objects older
 * than the rules: the assets bucket's and, with a vault, the archive bucket's and the state bucket's.
 */
export async function replicateExisting(args: { region: string }, options: { "dry-run": boolean }, context: CliContext): Promise<number> {
  const environment = environmentOf(context, args.region);
  const environments = environmentsOf(context);
  let jobs: ReplicationJob[];
  try {
    jobs = replicateExistingJobs(environment, environments);
  } catch (error) {
    // Only a primary owns the buckets: another region is a usage mistake.
    throw new UsageError((error as Error).message);
  }
  const notes = replicateExistingNotes(environment, environments).map((note) => `Note: ${note}`);
  if (options["dry-run"]) {
    const printed = jobs.map((job) => `Dry run: S3 Control CreateJob in ${job.region} (${describe(job)}), not sent:\n${JSON.stringify(job.request, null, 2)}`);
    console.log([...printed, ...notes].join("\n\n"));
    return 0;
  }
  const started = await startReplicateExistingJobs(jobs, (region) => awsClient(S3ControlClient, region, clientSettings(context)));
  for (const { job, jobId } of started) {
    const report = job.request.Report!;
    console.log(`Started S3 Batch Replication job ${jobId} (${describe(job)}); report: s3://${report.Bucket!.replace("arn:aws:s3:::", "")}/${report.Prefix}/`);
    console.log(`Follow it: aws s3control describe-job --region ${job.region} --account-id ${job.request.AccountId} --job-id ${jobId}`);
  }
  for (const note of notes) console.log(note);
  return 0;
}

function describe(job: ReplicationJob): string {
  return `${job.copy}: ${job.bucketName}`;
}
