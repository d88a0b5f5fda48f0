import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { SecureBucket } from "./secure-bucket";

export interface HostingServicesBucketProps {
  /** Bucket name, `<project>-hosting-services-<region>`. */
  readonly bucketName: string;
  /** Provider of the region that holds the archives: another region than the database's. */
  readonly provider: TerraformProvider;
  /**
   * Days to keep non-current versions of an archive (overwritten or deleted ones).
   * @default 90
   */
  readonly noncurrentVersionRetentionDays?: number;
}

/**
 * The private bucket for database archives, in another region than the database: ACLs disabled,
 * all public access blocked, versioned, encrypted, TLS only, and a lifecycle that expires old
 * versions after a retention and cleans up abandoned multipart uploads.
 */
export class HostingServicesBucket extends Construct {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly noncurrentVersionRetentionDays: number;

  constructor(scope: Construct, id: string, props: HostingServicesBucketProps) {
    super(scope, id);
    this.noncurrentVersionRetentionDays = props.noncurrentVersionRetentionDays ?? 90;
    if (!Number.isInteger(this.noncurrentVersionRetentionDays) || this.noncurrentVersionRetentionDays < 1) {
      throw new Error(`HostingServicesBucket: noncurrentVersionRetentionDays must be a whole number >= 1 (got ${this.noncurrentVersionRetentionDays})`);
    }
    this.bucket = new SecureBucket(this, "bucket", { bucketName: props.bucketName, provider: props.provider });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider: props.provider,
      bucket: this.bucket.resource.id,
      rule: [
        {
          id: "expire-noncurrent-archives",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: this.noncurrentVersionRetentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [this.bucket.versioning],
    });
  }
}
