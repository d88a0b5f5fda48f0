import type { ITerraformDependable } from "cdktf";

/**
 * A bucket as another construct uses it (aws-cdk's `IBucket`): its name and ARN, literal or
 * references. SecureBucket and HostingServicesBucket are ones; so is a bucket made elsewhere,
 * named: `{ bucketName: "acme-archives", bucketArn: bucketArn("acme-archives") }` (lib/naming).
 */
export interface IBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
}

/** A versioned bucket whose objects another construct replicates (DrAssetsBucket's source). */
export interface IVersionedBucket extends IBucket {
  /**
   * The bucket's id as S3's configuration resources address it (an S3 bucket's id is its name).
   * @default - bucketName
   */
  readonly bucketId?: string;
  /**
   * Its SSE-KMS key; the replica then needs a key of its own region.
   * @default - SSE-S3
   */
  readonly kmsKeyArn?: string;
  /**
   * What must exist before replication is configured: the bucket's versioning (S3 refuses
   * replication from an unversioned bucket).
   * @default - nothing: the bucket is versioned already
   */
  readonly versioning?: ITerraformDependable;
}

/**
 * A bucket whose default encryption is SSE-KMS with a customer-managed key: whoever puts or gets
 * its objects needs that key too, through S3 in the bucket's region.
 */
export interface IEncryptedBucket extends IBucket {
  /** The bucket's SSE-KMS key (in the bucket's region). */
  readonly kmsKeyArn: string;
  /** The bucket's region: S3 calls KMS from there (`kms:ViaService` `s3.<region>.amazonaws.com`). */
  readonly region: string;
}
