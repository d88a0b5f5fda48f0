import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { ARCHIVE_BUCKET_TAG } from "../naming";
import type { IEncryptedBucket } from "./bucket";
import { type AccessLogTarget, SecureBucket } from "./secure-bucket";
import { type VaultDestination, VaultReplication } from "./vault-replication";

/** How archive versions are locked: S3 Object Lock's default retention of the bucket. */
export interface ArchiveObjectLock {
  /** `GOVERNANCE` (deletable only with s3:BypassGovernanceRetention) or `COMPLIANCE` (by nobody). */
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  /** Days each version stays locked after it is written. */
  readonly retentionDays: number;
}

export interface HostingServicesBucketProps {
  /** Bucket name, `<project>-hosting-services-<region>`. */
  readonly bucketName: string;
  /** Provider of the region that holds the archives: another region than the database's. */
  readonly provider: TerraformProvider;
  /** The archives' region (the provider's): uploaders and readers use the key through S3 there. */
  readonly region: string;
  /**
   * Customer-managed key of the archives, in `region` (an ArchiveKey): SSE-KMS by default, with an
   * S3 Bucket Key (one KMS call per bucket key rather than per object).
   */
  readonly kmsKeyArn: string;
  /**
   * Days to keep non-current versions of an archive (overwritten or deleted ones).
   * @default 90
   */
  readonly noncurrentVersionRetentionDays?: number;
  /**
   * Object Lock default retention of every archive version.
   * @default - GOVERNANCE mode for noncurrentVersionRetentionDays
   */
  readonly objectLock?: ArchiveObjectLock;
  /**
   * Server access logging into a log bucket of the same region.
   * @default - no access logging
   */
  readonly accessLogs?: AccessLogTarget;
  /**
   * Copy every archive version into a vault account's bucket as well (VaultReplication, rule
   * `Vault`): `roleName` names the replication role of `accountId`, the bucket's account.
   * @default - no vault copy
   */
  readonly vault?: { readonly destination: VaultDestination; readonly roleName: string; readonly accountId: string };
}

/**
 * The private bucket for database archives, in another region than the database: ACLs disabled,
 * all public access blocked, versioned, encrypted, TLS only, every version locked by S3 Object
 * Lock for a retention (so no principal, or ransomware with admin rights, can delete an archive
 * inside it), and a lifecycle that expires old versions after a retention and cleans up abandoned
 * multipart uploads. The lifecycle cannot remove a locked version: S3 retries after the lock ends.
 * Encrypted with the environment's archive key (SSE-KMS, bucket key on): the archives are whole
 * copies of the database, which is itself on a customer-managed key, so reading one takes an IAM
 * grant on the key as well as on the bucket. Objects written before the key keep SSE-S3.
 */
export class HostingServicesBucket extends Construct implements IEncryptedBucket {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly kmsKeyArn: string;
  public readonly region: string;
  public readonly noncurrentVersionRetentionDays: number;
  public readonly objectLock: ArchiveObjectLock;

  constructor(scope: Construct, id: string, props: HostingServicesBucketProps) {
    super(scope, id);
    this.noncurrentVersionRetentionDays = props.noncurrentVersionRetentionDays ?? 90;
    this.objectLock = props.objectLock ?? { mode: "GOVERNANCE", retentionDays: this.noncurrentVersionRetentionDays };
    const problems: string[] = [];
    if (!Number.isInteger(this.noncurrentVersionRetentionDays) || this.noncurrentVersionRetentionDays < 1) {
      problems.push(`noncurrentVersionRetentionDays must be a whole number >= 1 (got ${this.noncurrentVersionRetentionDays})`);
    }
    if (!Number.isInteger(this.objectLock.retentionDays) || this.objectLock.retentionDays < 1) {
      problems.push(`objectLock.retentionDays must be a whole number >= 1 (got ${this.objectLock.retentionDays})`);
    }
    if (problems.length > 0) throw new Error(`HostingServicesBucket: ${problems.join("; ")}`);

    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      provider: props.provider,
      objectLockEnabled: true,
      kmsKeyArn: props.kmsKeyArn,
      accessLogs: props.accessLogs,
      tags: { [ARCHIVE_BUCKET_TAG.key]: ARCHIVE_BUCKET_TAG.value },
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    this.kmsKeyArn = props.kmsKeyArn;
    this.region = props.region;
    new S3BucketObjectLockConfigurationA(this, "object-lock", {
      provider: props.provider,
      bucket: this.bucket.resource.id,
      rule: { defaultRetention: { mode: this.objectLock.mode, days: this.objectLock.retentionDays } },
      // Object Lock needs versioning on; on an existing bucket this resource is what enables it.
      dependsOn: [this.bucket.versioning],
    });
    if (props.vault) {
      new VaultReplication(this, "vault", {
        source: this.bucket,
        sourceRegion: props.region,
        provider: props.provider,
        roleName: props.vault.roleName,
        accountId: props.vault.accountId,
        vault: props.vault.destination,
        sourceObjectLock: true,
      });
    }
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
