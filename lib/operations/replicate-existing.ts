import { randomUUID } from "crypto";
import type { CreateJobCommandInput } from "@aws-sdk/client-s3-control";
import type { Environment } from "../environment";
import { bucketArn, environmentNames, REPLICATION_REPORT_PREFIX } from "../naming";

/**
 * The S3 Batch Replication job that copies the objects that existed before the replication rule
 * (the DR procedure's "replicate existing objects"): S3 generates the manifest from the source
 * bucket (objects never replicated, or whose replication failed), replicates them with the
 * batch-replication role, and writes a completion report to `replication-reports/` in the replica.
 * Every value is derived from the environment: the names are deterministic (lib/naming.ts).
 */
export function replicateExistingRequest(environment: Environment, clientRequestToken: string = randomUUID()): CreateJobCommandInput {
  if (environment.role !== "primary") {
    throw new Error(
      `replicate-existing applies to primary environments (they own the assets bucket); ${environment.region} is a ${environment.role} environment`,
    );
  }
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
