import { ListCopyJobsCommand, type BackupClient } from "@aws-sdk/client-backup";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** An AWS Backup copy job, as far as a check reads it. */
export interface CopyJob {
  readonly id: string;
  /** CREATED, RUNNING, COMPLETED, FAILED or PARTIAL (as AWS Backup reports it). */
  readonly state: string;
  readonly createdAt?: Date;
  readonly completedAt?: Date;
  /** Why a job failed, in AWS Backup's words. */
  readonly statusMessage?: string;
  /** The copied resource (the DB instance). */
  readonly resourceArn?: string;
}

/**
 * AWS Backup ListCopyJobs in the source's region (copy jobs are listed where they start, by the
 * source account): the jobs into `destinationVaultArn` created after `since`, every page.
 */
export async function probeCopyJobs(backup: BackupClient, destinationVaultArn: string, since: Date, region: string): Promise<Reading<CopyJob[]>> {
  return reading(`AWS Backup ListCopyJobs into ${destinationVaultArn}`, region, async () => {
    const jobs = await paginate(
      (token) => backup.send(new ListCopyJobsCommand({ ByDestinationVaultArn: destinationVaultArn, ByCreatedAfter: since, NextToken: token })),
      (page) => page.CopyJobs,
      (page) => page.NextToken,
    );
    return jobs.map((job) => ({
      id: job.CopyJobId ?? "(no id)",
      state: job.State ?? "UNKNOWN",
      createdAt: job.CreationDate,
      completedAt: job.CompletionDate,
      statusMessage: job.StatusMessage,
      resourceArn: job.ResourceArn,
    }));
  });
}
