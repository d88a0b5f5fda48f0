import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import type { IVersionedBucket } from "./bucket";
import { policyDocument, PolicyStatement } from "./private/iam";

export interface SecureBucketProps {
  /** Bucket name (global across AWS). */
  readonly bucketName: string;
  /**
   * Provider to create the bucket with, for a bucket in another region than the stack's default.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * KMS key ARN for SSE-KMS default encryption.
   * @default - SSE-S3 (AES256)
   */
  readonly kmsKeyArn?: string;
  /**
   * Extra statements for the bucket policy, after the TLS-only deny.
   * @default - none
   */
  readonly policyStatements?: (bucketArn: string) => PolicyStatement[];
  /**
   * Create the bucket with S3 Object Lock enabled (its retention rule is the caller's). Ignored on
   * an existing bucket: the provider would replace it (which prevent_destroy refuses), and
   * aws_s3_bucket_object_lock_configuration enables Object Lock on an existing versioned bucket.
   * @default false
   */
  readonly objectLockEnabled?: boolean;
  /**
   * Tags of the bucket, on top of the provider's default tags.
   * @default - the provider's default tags only
   */
  readonly tags?: Record<string, string>;
  /**
   * Server access logging into this bucket (same region and account), under `<prefix>`.
   * @default - no access logging (only for a bucket that is itself a log target)
   */
  readonly accessLogs?: AccessLogTarget;
}

/** Where a bucket's S3 server access logs go. */
export interface AccessLogTarget {
  /** The log bucket, in the source bucket's region and account. */
  readonly bucketName: string;
  /** Key prefix of this source's logs. */
  readonly prefix: string;
  /**
   * What must exist before logging is turned on (the log bucket's policy that admits the logging
   * service: S3 may check the grant when logging is configured).
   * @default - nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A private S3 bucket with every safety on: ACLs disabled (BucketOwnerEnforced), all four
 * public-access blocks, versioning, default encryption, a TLS-only bucket policy, and
 * `prevent_destroy` so that neither `cdktf destroy` nor a refactoring deletes the data.
 * There is no `force_destroy`: emptying a bucket is a deliberate act outside this code.
 */
export class SecureBucket extends Construct implements IVersionedBucket {
  public readonly resource: S3Bucket;
  /** The bucket's id (its name) as S3's configuration resources reference it. */
  public readonly bucketId: string;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly versioning: S3BucketVersioningA;
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  public readonly ownership: S3BucketOwnershipControls;
  /** The TLS-only bucket policy. */
  public readonly policy: S3BucketPolicy;
  /** Server access logging of this bucket, when it has a target. */
  public readonly logging?: S3BucketLoggingA;
  /** The encryption this bucket uses, so a replica can match it. */
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.kmsKeyArn = props.kmsKeyArn;

    this.resource = new S3Bucket(this, "resource", {
      provider,
      bucket: props.bucketName,
      forceDestroy: false,
      objectLockEnabled: props.objectLockEnabled ? true : undefined,
      tags: props.tags,
      lifecycle: { preventDestroy: true, ignoreChanges: props.objectLockEnabled ? ["object_lock_enabled"] : undefined },
    });
    this.bucketId = this.resource.id;
    this.bucketName = this.resource.bucket;
    this.bucketArn = this.resource.arn;

    this.ownership = new S3BucketOwnershipControls(this, "ownership", {
      provider,
      bucket: this.resource.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      provider,
      bucket: this.resource.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.versioning = new S3BucketVersioningA(this, "versioning", {
      provider,
      bucket: this.resource.id,
      versioningConfiguration: { status: "Enabled" },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket: this.resource.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn } : { sseAlgorithm: "AES256" },
          bucketKeyEnabled: props.kmsKeyArn ? true : undefined,
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      provider,
      bucket: this.resource.id,
      policy: policyDocument(
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucketArn, `${this.bucketArn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(props.policyStatements?.(this.bucketArn) ?? []),
      ),
      // A policy applied while public-access blocks are still being set can be rejected.
      dependsOn: [this.publicAccessBlock],
    });
    if (props.accessLogs) {
      this.logging = new S3BucketLoggingA(this, "logging", {
        provider,
        bucket: this.resource.id,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
        dependsOn: props.accessLogs.dependsOn,
      });
    }
  }
}
