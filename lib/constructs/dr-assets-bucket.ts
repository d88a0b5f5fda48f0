import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import type { IVersionedBucket } from "./bucket";
import { policyDocument, PolicyStatement, serviceTrustPolicy } from "./private/iam";
import { REPLICATION_REPORT_PREFIX, REPLICATION_RULE_ID } from "../naming";
import { type AccessLogTarget, SecureBucket } from "./secure-bucket";
import { type VaultDestination, vaultRule, vaultWriteStatements } from "./vault-replication";

export interface DrAssetsBucketProps {
  /** The bucket to replicate (versioned, in the stack's default region): a SecureBucket, or one named. */
  readonly source: IVersionedBucket;
  /** Name of the replica bucket. */
  readonly replicaBucketName: string;
  /** Provider of the region that holds the replica (`drRegion`). */
  readonly replicaProvider: TerraformProvider;
  /** Region of the replica, for the KMS `kms:ViaService` condition. */
  readonly replicaRegion: string;
  /** Region of the source, for the KMS `kms:ViaService` condition. */
  readonly sourceRegion: string;
  /** Name of the replication IAM role (account-wide). */
  readonly roleName: string;
  /** Name of the IAM role S3 Batch Operations uses to replicate existing objects (account-wide). */
  readonly batchRoleName: string;
  /** Account of both buckets (trust-policy condition). */
  readonly accountId: string;
  /**
   * Replicate delete markers. Off so a delete in production does not erase the replica.
   * @default false
   */
  readonly replicateDeletes?: boolean;
  /**
   * Replication Time Control with replication metrics: S3 replicates 99.99% of objects within
   * 15 minutes and reports what is pending, so the assets' recovery point has a bound and a
   * measurement. It costs a fee per GB replicated on top of the replication transfer; turn it off
   * only by choice.
   * @default true
   */
  readonly replicationTimeControl?: boolean;
  /**
   * KMS key in the replica region to encrypt replicas with. Required when the source uses SSE-KMS.
   * @default - SSE-S3, like a source without a KMS key
   */
  readonly replicaKmsKeyArn?: string;
  /**
   * Server access logging of the replica into a log bucket of the replica's region.
   * @default - no access logging
   */
  readonly replicaAccessLogs?: AccessLogTarget;
  /**
   * A second rule, `Vault`, copies every new object into a bucket of the vault account as well
   * (VaultBucket; re-encrypted with the vault's key, owned by the vault account, no delete markers).
   * @default - no vault copy
   */
  readonly vault?: VaultDestination;
}

/**
 * The DR copy of a bucket: a replica bucket in another region with the same ownership,
 * public-access, versioning and encryption settings as the source, the replication role, and the
 * replication rule `DR Replication` on the source.
 *
 * Replication rules copy new objects only. Objects that existed before the rule need an S3 Batch
 * Replication job; `sourceBucketArn`, `replicaBucketArn`, `roleArn` and `reportPrefix` are what
 * that job needs.
 */
export class DrAssetsBucket extends Construct {
  public readonly replica: SecureBucket;
  public readonly role: IamRole;
  public readonly resource: S3BucketReplicationConfigurationA;
  public readonly sourceBucketArn: string;
  public readonly replicaBucketArn: string;
  public readonly replicaBucketName: string;
  public readonly roleArn: string;
  /** Role for the S3 Batch Replication job that copies objects older than the rule. */
  public readonly batchRole: IamRole;
  public readonly batchRoleArn: string;
  public readonly reportPrefix = REPLICATION_REPORT_PREFIX;

  constructor(scope: Construct, id: string, props: DrAssetsBucketProps) {
    super(scope, id);
    const sourceKms = props.source.kmsKeyArn;
    if (sourceKms && !props.replicaKmsKeyArn) {
      throw new Error("DrAssetsBucket: replicaKmsKeyArn is required when the source bucket uses SSE-KMS (got none)");
    }
    if (!sourceKms && props.replicaKmsKeyArn) {
      throw new Error(`DrAssetsBucket: replicaKmsKeyArn must be left out when the source bucket uses SSE-S3 (got ${props.replicaKmsKeyArn})`);
    }

    this.replica = new SecureBucket(this, "replica", {
      bucketName: props.replicaBucketName,
      provider: props.replicaProvider,
      kmsKeyArn: props.replicaKmsKeyArn,
      accessLogs: props.replicaAccessLogs,
    });
    this.sourceBucketArn = props.source.bucketArn;
    this.replicaBucketArn = this.replica.bucketArn;
    this.replicaBucketName = this.replica.bucketName;

    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `Replicates ${props.source.bucketName} into ${props.replicaBucketName}`,
      assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", props.accountId),
    });
    this.roleArn = this.role.arn;
    new IamRolePolicy(this, "policy", {
      name: "replicate",
      role: this.role.id,
      policy: policyDocument(...replicationStatements(this.sourceBucketArn, this.replicaBucketArn, props)),
    });

    // Replication rules copy new objects only; a one-off Batch Replication job copies the rest.
    this.batchRole = new IamRole(this, "batch-role", {
      name: props.batchRoleName,
      description: `Replicates existing objects of ${props.source.bucketName} (S3 Batch Operations)`,
      assumeRolePolicy: serviceTrustPolicy("batchoperations.s3.amazonaws.com", props.accountId),
    });
    this.batchRoleArn = this.batchRole.arn;
    new IamRolePolicy(this, "batch-policy", {
      name: "replicate-existing-objects",
      role: this.batchRole.id,
      policy: policyDocument(
        {
          Sid: "GenerateManifest",
          Effect: "Allow",
          Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration", "s3:ListBucket"],
          Resource: this.sourceBucketArn,
        },
        {
          Sid: "InitiateReplication",
          Effect: "Allow",
          Action: ["s3:InitiateReplication", "s3:GetObject", "s3:GetObjectVersion"],
          Resource: `${this.sourceBucketArn}/*`,
        },
        { Sid: "WriteCompletionReport", Effect: "Allow", Action: "s3:PutObject", Resource: `${this.replicaBucketArn}/${REPLICATION_REPORT_PREFIX}*` },
      ),
    });

    const replicateDeletes = props.replicateDeletes ?? false;
    const timeControl = props.replicationTimeControl ?? true;
    this.resource = new S3BucketReplicationConfigurationA(this, "resource", {
      bucket: props.source.bucketId ?? props.source.bucketName,
      role: this.role.arn,
      rule: [
        {
          id: REPLICATION_RULE_ID,
          status: "Enabled",
          priority: 0,
          filter: {},
          deleteMarkerReplication: { status: replicateDeletes ? "Enabled" : "Disabled" },
          sourceSelectionCriteria: sourceKms ? { sseKmsEncryptedObjects: { status: "Enabled" } } : undefined,
          destination: {
            bucket: this.replica.bucketArn,
            storageClass: "STANDARD",
            encryptionConfiguration: props.replicaKmsKeyArn ? { replicaKmsKeyId: props.replicaKmsKeyArn } : undefined,
            replicationTime: timeControl ? { status: "Enabled", time: { minutes: 15 } } : undefined,
            metrics: timeControl ? { status: "Enabled", eventThreshold: { minutes: 15 } } : undefined,
          },
        },
        ...(props.vault ? [vaultRule(props.vault, 1, sourceKms !== undefined)] : []),
      ],
      // S3 refuses a replication rule until versioning is on at both ends.
      dependsOn: [...(props.source.versioning ? [props.source.versioning] : []), this.replica.versioning],
    });
  }
}

/**
 * The `aws:s3:arn` encryption contexts S3 uses with a bucket's KMS key. SecureBucket turns on S3
 * Bucket Keys with SSE-KMS, and then KMS sees the bucket ARN rather than the object ARN; objects
 * written without a Bucket Key (before it was enabled, or with it switched off per request) still
 * carry their object ARN. Both must match, or replication of SSE-KMS objects fails.
 */
function encryptionContexts(bucketArn: string): string[] {
  return [bucketArn, `${bucketArn}/*`];
}

/** Least privilege for S3 replication, per the S3 replication permissions documentation. */
function replicationStatements(sourceArn: string, replicaArn: string, props: DrAssetsBucketProps): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
    {
      Sid: "ReadSourceObjectVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: `${sourceArn}/*`,
    },
    { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${replicaArn}/*` },
    ...(props.vault ? vaultWriteStatements(props.vault) : []),
  ];
  if (props.source.kmsKeyArn && props.replicaKmsKeyArn) {
    statements.push(
      {
        Sid: "DecryptSourceObjects",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: props.source.kmsKeyArn,
        Condition: {
          StringLike: { "kms:ViaService": `s3.${props.sourceRegion}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": encryptionContexts(sourceArn) },
        },
      },
      {
        Sid: "EncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: props.replicaKmsKeyArn,
        Condition: {
          StringLike: { "kms:ViaService": `s3.${props.replicaRegion}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": encryptionContexts(replicaArn) },
        },
      },
    );
  }
  return statements;
}
