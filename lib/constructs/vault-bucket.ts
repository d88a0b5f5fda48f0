import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import type { PolicyStatement } from "./private/iam";
import { type AccessLogTarget, SecureBucket } from "./secure-bucket";

/**
 * What the workload account may do in a vault bucket: S3 replication's writes (a new version each,
 * never a delete: delete markers are not replicated into a vault) and reading the bucket's
 * versioning, which S3 checks when the source's replication rule is put.
 */
export const VAULT_REPLICATION_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"] as const;

/**
 * What no principal of the workload account may do in a vault bucket, whatever it is granted
 * elsewhere: delete or overwrite a copy, shorten or lift its lock, or change the bucket's rules.
 */
export const VAULT_DENIED_TO_SOURCE = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:PutObject",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketVersioning",
  "s3:PutReplicationConfiguration",
  "s3:DeleteBucket",
] as const;

export interface VaultBucketProps {
  /** Bucket name (lib/naming.ts vaultNames: it carries the vault account's id). */
  readonly bucketName: string;
  /** Provider of the vault account in the vault's region. */
  readonly provider: TerraformProvider;
  /** The vault's key (VaultKey): every copy is SSE-KMS with it. */
  readonly kmsKeyArn: string;
  /** Days each version is locked in COMPLIANCE mode (nobody, the vault's root user included, can delete it before). */
  readonly retentionDays: number;
  /** The workload account that replicates into the bucket. */
  readonly sourceAccountId: string;
  /** Its replication roles that may write here (ARNs, matched by condition so the bucket can be made first). */
  readonly writerRoleArns: readonly string[];
  /** Server access logging into the vault's log bucket. */
  readonly accessLogs: AccessLogTarget;
}

/**
 * A bucket of the vault account that a workload account's bucket replicates into: private
 * (SecureBucket), SSE-KMS with the vault's key, every version locked by S3 Object Lock in
 * COMPLIANCE mode for `retentionDays`, noncurrent versions expired once their lock ends. The
 * bucket policy lets the workload account's replication roles write replicas and denies every
 * principal of the workload account deletes, overwrites and changes to the lock or the policy:
 * ransomware holding the workload account's administrators cannot reach the copies.
 */
export class VaultBucket extends Construct {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: VaultBucketProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1 || props.retentionDays > 3650) {
      problems.push(`retentionDays must be a whole number from 1 to 3650 (got ${props.retentionDays})`);
    }
    if (props.writerRoleArns.length === 0) problems.push("writerRoleArns must name at least one replication role (got none)");
    if (problems.length > 0) throw new Error(`VaultBucket: ${problems.join("; ")}`);

    const source = { AWS: `arn:aws:iam::${props.sourceAccountId}:root` };
    const writers = { StringEquals: { "aws:PrincipalArn": [...props.writerRoleArns] } };
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      provider: props.provider,
      objectLockEnabled: true,
      kmsKeyArn: props.kmsKeyArn,
      accessLogs: props.accessLogs,
      policyStatements: (arn): PolicyStatement[] => [
        { Sid: "SourceReplicates", Effect: "Allow", Principal: source, Action: [...VAULT_REPLICATION_ACTIONS], Resource: `${arn}/*`, Condition: writers },
        { Sid: "SourceReadsVersioning", Effect: "Allow", Principal: source, Action: "s3:GetBucketVersioning", Resource: arn, Condition: writers },
        {
          Sid: "SourceNeverDeletes",
          Effect: "Deny",
          Principal: "*",
          Action: [...VAULT_DENIED_TO_SOURCE],
          Resource: [arn, `${arn}/*`],
          Condition: { StringEquals: { "aws:PrincipalAccount": props.sourceAccountId } },
        },
      ],
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    new S3BucketObjectLockConfigurationA(this, "object-lock", {
      provider: props.provider,
      bucket: this.bucket.resource.id,
      rule: { defaultRetention: { mode: "COMPLIANCE", days: props.retentionDays } },
      dependsOn: [this.bucket.versioning],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider: props.provider,
      bucket: this.bucket.resource.id,
      rule: [
        {
          id: "expire-unlocked-noncurrent-copies",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.retentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [this.bucket.versioning],
    });
  }
}
