import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { accessLogsPrefix } from "../naming";
import { expireLogs, logExpiryProblems } from "./private/log-expiry";
import { type AccessLogTarget, SecureBucket } from "./secure-bucket";

export interface AccessLogBucketProps {
  /** Bucket name (global across AWS), from lib/naming.ts. */
  readonly bucketName: string;
  /** Account whose buckets may log here (the log-delivery grant's aws:SourceAccount). */
  readonly accountId: string;
  /**
   * Provider of the region whose buckets log here: S3 delivers access logs only to a bucket in
   * the source bucket's region and account.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Days to keep a log object before it expires (it then stays as a non-current version for
   * `noncurrentRetentionDays`).
   * @default 90
   */
  readonly retentionDays?: number;
  /**
   * Days to keep an expired or overwritten log version.
   * @default 30
   */
  readonly noncurrentRetentionDays?: number;
}

/**
 * The target of S3 server access logging for the buckets of one region: private (ACLs disabled,
 * public access blocked, TLS only), versioned, protected from destroy, and encrypted with SSE-S3,
 * the only default encryption the S3 User Guide documents as supported for a server access logging
 * destination (docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html;
 * aws-cdk#23385 enforced it, aws-cdk#25350 relaxed it after SSE-KMS worked with a key grant, an
 * undocumented behaviour a DR platform should not rest on). It does not log itself: logging a log bucket
 * into itself makes S3 write a log record about every log it delivers, without end.
 *
 * With ACLs disabled, S3 cannot use the old log-delivery group grant: the bucket policy allows the
 * logging service principal to put objects, limited to this account's buckets.
 */
export class AccessLogBucket extends Construct {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly retentionDays: number;
  public readonly noncurrentRetentionDays: number;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.retentionDays = props.retentionDays ?? 90;
    this.noncurrentRetentionDays = props.noncurrentRetentionDays ?? 30;
    const problems = logExpiryProblems(this);
    if (problems.length > 0) throw new Error(`AccessLogBucket: ${problems.join("; ")}`);

    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      provider: props.provider,
      policyStatements: (arn) => [
        {
          Sid: "S3ServerAccessLogsDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        },
      ],
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    expireLogs(this, this.bucket, this, props.provider);
  }

  /** Where the bucket named `sourceBucketName` (in this bucket's region) logs to. */
  public targetFor(sourceBucketName: string): AccessLogTarget {
    return { bucketName: this.bucketName, prefix: accessLogsPrefix(sourceBucketName), dependsOn: [this.bucket.policy] };
  }
}
