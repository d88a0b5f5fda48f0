import { randomUUID } from "crypto";
import type { CreateJobCommand, CreateJobCommandInput } from "@aws-sdk/client-s3-control";
import type { Environment, PrimaryEnvironment } from "../environment";
import { bucketArn, drCommand, environmentNames, REPLICATION_REPORT_PREFIX, roleArn, vaultNames, vaultStateCopier } from "../naming";
import { startReplicateExisting } from "./actions/batch-replication";
import { describeAwsError, failureKind } from "./aws/errors";

/**
 * The S3 Batch Replication job that copies the objects that existed before the replication rule
 * (the DR procedure's "replicate existing objects"): S3 generates the manifest from the source
 * bucket (objects never replicated, or whose replication failed), replicates them with the
 * batch-replication role, and writes a completion report to `replication-reports/` in the replica.
 * Every value is derived from the environment: the names are deterministic (lib/naming.ts).
 */
export function replicateExistingRequest(environment: Environment, clientRequestToken: string = randomUUID()): CreateJobCommandInput {
  primaryOf(environment);
  const names = environmentNames(environment);
  return {
    AccountId: environment.accountId,
    ClientRequestToken: clientRequestToken,
    ConfirmationRequired: false,
    Description: `DR: replicate objects of ${names.assetsBucket} that predate the replication rule`,
    Priority: 10,
    RoleArn: `arn:aws:iam::${environment.accountId}:role/${names.batchReplicationRole}`,
    Operation: { S3ReplicateObject: {} },
    ManifestGenerator: {
      S3JobManifestGenerator: {
        ExpectedBucketOwner: environment.accountId,
        SourceBucket: bucketArn(names.assetsBucket),
        EnableManifestOutput: false,
        Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"] },
      },
    },
    Report: {
      Enabled: true,
      Bucket: bucketArn(names.drAssetsBucket),
      Prefix: REPLICATION_REPORT_PREFIX.replace(/\/$/, ""),
      Format: "Report_CSV_20180820",
      ReportScope: "AllTasks",
    },
  };
}

/** One S3 Batch Replication job of `replicate-existing`. */
export interface ReplicationJob {
  /** What it copies: the assets (into the DR replica and the vault), the archives or the Terraform state (into the vault). */
  readonly copy: "assets" | "archives" | "state";
  /** The source bucket, whose replication rules the job runs. */
  readonly bucketName: string;
  /** The source bucket's region: S3 Control CreateJob is sent there (a job runs in its bucket's region). */
  readonly region: string;
  readonly request: CreateJobCommandInput;
}

/**
 * Every Batch Replication job `replicate-existing <region>` starts for a primary: the assets
 * bucket's (replicateExistingRequest), and with a vault the archive bucket's (in `drRegion`) and,
 * when this primary's vault stack copies the state bucket (vaultStateCopier, as app/assemble.ts
 * decides), the state bucket's (in the state's region). Each vault job runs the bucket's only
 * rule, `Vault`, with the rule's own role (VaultReplication lets Batch Operations assume it) and
 * reports into the source bucket under `replication-reports/`: the vault bucket denies the
 * workload account every write but replication's, so the report cannot go there. `newToken` gives
 * each job its ClientRequestToken (one per job: a retried CreateJob with the same token starts no
 * second job).
 */
export function replicateExistingJobs(
  environment: Environment,
  environments: readonly Environment[],
  newToken: () => string = () => randomUUID(),
): ReplicationJob[] {
  const primary = primaryOf(environment);
  const assets = replicateExistingRequest(primary, newToken());
  const names = environmentNames(primary);
  const jobs: ReplicationJob[] = [{ copy: "assets", bucketName: names.assetsBucket, region: primary.region, request: assets }];
  if (primary.vault === undefined) return jobs;
  const vault = vaultNames(primary, primary.vault);
  jobs.push(vaultJob(primary, "archives", names.hostingServicesBucket, primary.drRegion, vault.archivesReplicationRole, newToken()));
  if (vaultStateCopier(primary.state.bucket, environments) === primary.region) {
    jobs.push(vaultJob(primary, "state", primary.state.bucket, primary.state.region, vault.stateReplicationRole, newToken()));
  }
  return jobs;
}

/**
 * Why `replicate-existing <region>` starts no job for a copy it might be expected to: a primary
 * with a vault whose state bucket another primary's vault stack copies. Empty otherwise.
 */
export function replicateExistingNotes(environment: Environment, environments: readonly Environment[]): string[] {
  if (environment.role !== "primary" || environment.vault === undefined) return [];
  const copier = vaultStateCopier(environment.state.bucket, environments);
  if (copier === undefined || copier === environment.region) return [];
  return [
    `the state bucket ${environment.state.bucket} replicates into the vault from ${copier}'s vault stack: ${drCommand("replicate-existing", copier)} starts its job`,
  ];
}

/** Only a primary owns the buckets (a recovery's copies are the primary's). */
function primaryOf(environment: Environment): PrimaryEnvironment {
  if (environment.role !== "primary") {
    throw new Error(
      `replicate-existing applies to primary environments (they own the assets bucket); ${environment.region} is a ${environment.role} environment`,
    );
  }
  return environment;
}

function vaultJob(
  environment: PrimaryEnvironment,
  copy: "archives" | "state",
  bucketName: string,
  region: string,
  roleName: string,
  clientRequestToken: string,
): ReplicationJob {
  const source = bucketArn(bucketName);
  return {
    copy,
    bucketName,
    region,
    request: {
      AccountId: environment.accountId,
      ClientRequestToken: clientRequestToken,
      ConfirmationRequired: false,
      Description: `DR: replicate objects of ${bucketName} that predate the vault rule`,
      Priority: 10,
      RoleArn: roleArn(environment.accountId, roleName),
      Operation: { S3ReplicateObject: {} },
      ManifestGenerator: {
        S3JobManifestGenerator: {
          ExpectedBucketOwner: environment.accountId,
          SourceBucket: source,
          EnableManifestOutput: false,
          Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"] },
        },
      },
      // The source itself: the role may write there (under this prefix only), the vault refuses it.
      // In the archive bucket the reports are locked by its default retention, as every version there.
      Report: {
        Enabled: true,
        Bucket: source,
        Prefix: REPLICATION_REPORT_PREFIX.replace(/\/$/, ""),
        Format: "Report_CSV_20180820",
        ReportScope: "AllTasks",
      },
    },
  };
}

/** A job CreateJob accepted. */
export interface StartedReplicationJob {
  readonly job: ReplicationJob;
  readonly jobId: string;
}

type S3ControlSender = { send(command: CreateJobCommand): Promise<{ JobId?: string }> };

/**
 * Starts the jobs in order, each through the S3 Control client of its region (`clientFor`). The
 * first refusal stops the rest: the error names the job, its bucket, region and account, why,
 * the jobs already started with their ids, and those not sent.
 */
export async function startReplicateExistingJobs(
  jobs: readonly ReplicationJob[],
  clientFor: (region: string) => S3ControlSender,
): Promise<StartedReplicationJob[]> {
  const started: StartedReplicationJob[] = [];
  for (const [index, job] of jobs.entries()) {
    try {
      started.push({ job, jobId: await startReplicateExisting(clientFor(job.region), job.request) });
    } catch (error) {
      throw new Error(replicateExistingFailure(job, error, started, jobs.slice(index + 1)));
    }
  }
  return started;
}

function replicateExistingFailure(job: ReplicationJob, error: unknown, started: readonly StartedReplicationJob[], notSent: readonly ReplicationJob[]): string {
  const account = job.request.AccountId;
  const why =
    failureKind(error) === "no-credentials"
      ? `no AWS credentials for account ${account}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or use --dry-run)`
      : describeAwsError(error);
  const lines = [`the ${job.copy} job (S3 Batch Replication of ${job.bucketName}, CreateJob in ${job.region}, account ${account}) was not started: ${why}`];
  lines.push(
    started.length === 0
      ? "no job was started"
      : `already started: ${started.map((s) => `${s.job.copy} job ${s.jobId} (${s.job.bucketName}, ${s.job.region})`).join("; ")}`,
  );
  if (notSent.length > 0) lines.push(`not sent: ${notSent.map((j) => `${j.copy} job (${j.bucketName}, ${j.region})`).join("; ")}`);
  return lines.join("\n");
}
