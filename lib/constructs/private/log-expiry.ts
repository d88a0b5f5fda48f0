import type { TerraformProvider } from "cdktf";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import type { Construct } from "constructs";
import type { SecureBucket } from "../secure-bucket";

/**
 * The retention of a bucket that receives logs (S3 server access logs, load balancer access
 * logs): each log object expires after `retentionDays`, then stays `noncurrentRetentionDays` as a
 * non-current version (the bucket is versioned); abandoned multipart uploads go after 7 days.
 */
export interface LogExpiry {
  readonly retentionDays: number;
  readonly noncurrentRetentionDays: number;
}

/** What is wrong with `expiry`, one line per field; empty when both are whole numbers >= 1. */
export function logExpiryProblems(expiry: LogExpiry): string[] {
  return (["retentionDays", "noncurrentRetentionDays"] as const)
    .filter((field) => !Number.isInteger(expiry[field]) || expiry[field] < 1)
    .map((field) => `${field} must be a whole number >= 1 (got ${expiry[field]})`);
}

/** The lifecycle rule `expire-access-logs` on `bucket`, after its versioning. */
export function expireLogs(scope: Construct, bucket: SecureBucket, expiry: LogExpiry, provider?: TerraformProvider): S3BucketLifecycleConfiguration {
  return new S3BucketLifecycleConfiguration(scope, "lifecycle", {
    provider,
    bucket: bucket.resource.id,
    rule: [
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: [{}],
        expiration: [{ days: expiry.retentionDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: expiry.noncurrentRetentionDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
    dependsOn: [bucket.versioning],
  });
}
