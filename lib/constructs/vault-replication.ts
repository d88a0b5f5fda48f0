import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { REPLICATION_REPORT_PREFIX, VAULT_RULE_ID } from "../naming";
import type { IVersionedBucket } from "./bucket";
import { policyDocument, type PolicyStatement } from "./private/iam";
import { VAULT_REPLICATION_ACTIONS } from "./vault-bucket";

/** The service principal of S3 Batch Operations (the Batch Replication job assumes the role through it). */
export const BATCH_OPERATIONS_SERVICE = "batchoperations.s3.amazonaws.com";

/** Where a bucket's vault copy goes: a VaultBucket of another account. */
export interface VaultDestination {
  readonly bucketArn: string;
  readonly accountId: string;
  readonly region: string;
  /** The vault's key (in the vault's region): replicas are encrypted with it. */
  readonly kmsKeyArn: string;
}

export interface VaultReplicationProps {
  /** The workload account's bucket (versioned) whose every new version is copied into the vault. */
  readonly source: IVersionedBucket;
  /** The source's region, for the KMS `kms:ViaService` condition. */
  readonly sourceRegion: string;
  /** Provider of the workload account in the source's region. */
  readonly provider: TerraformProvider;
  /** Name of the replication role (lib/naming.ts vaultNames), in the workload account. */
  readonly roleName: string;
  /** The workload account (trust-policy condition). */
  readonly accountId: string;
  readonly vault: VaultDestination;
  /**
   * The source has S3 Object Lock (the archive bucket): replication then reads each version's
   * retention and legal hold, and the vault bucket (Object Lock too) keeps its own longer lock.
   * @default false
   */
  readonly sourceObjectLock?: boolean;
}

/**
 * The copy of a workload account's bucket into its vault (cross-account S3 replication): a role of
 * the workload account that may read the source's versions and write replicas into the vault
 * bucket only, and the source's replication configuration with one rule, `Vault`: every object,
 * SSE-KMS ones included, re-encrypted with the vault's key, owned by the vault account (access
 * control translation), delete markers never replicated. A bucket has one replication
 * configuration: use this only for a bucket that replicates nowhere else (the state and archive
 * buckets); the assets bucket's vault rule sits beside its DR rule (DrAssetsBucket `vault`).
 *
 * The rule copies new versions only. The same role runs the S3 Batch Replication job that copies
 * the versions older than the rule (`dr-platform replicate-existing`, lib/operations/replicate-existing.ts):
 * S3 Batch Operations may assume it too, to generate the job's manifest from the source, initiate
 * each object's replication and write the completion report under `replication-reports/` of the
 * source (the vault bucket refuses the workload account's writes).
 */
export class VaultReplication extends Construct {
  public readonly role: IamRole;
  public readonly resource: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: VaultReplicationProps) {
    super(scope, id);
    if (props.vault.accountId === props.accountId) {
      throw new Error(`VaultReplication: the vault must be another account than the source's (got ${props.accountId} for both)`);
    }
    const sourceArn = props.source.bucketArn;
    this.role = new IamRole(this, "role", {
      provider: props.provider,
      name: props.roleName,
      description: `Replicates ${props.source.bucketName} into the vault account ${props.vault.accountId}`,
      // S3 replicates with the role; Batch Operations initiates the replication of older versions
      // with it (vaultBatchReplicationStatements says why one role serves both). Both only on
      // behalf of this account (confused-deputy protection).
      assumeRolePolicy: policyDocument({
        Effect: "Allow",
        Principal: { Service: ["s3.amazonaws.com", BATCH_OPERATIONS_SERVICE] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
      }),
    });
    new IamRolePolicy(this, "policy", {
      provider: props.provider,
      name: "replicate-into-vault",
      role: this.role.id,
      policy: policyDocument(...vaultReplicationStatements(sourceArn, props)),
    });
    this.resource = new S3BucketReplicationConfigurationA(this, "resource", {
      provider: props.provider,
      bucket: props.source.bucketId ?? props.source.bucketName,
      role: this.role.arn,
      rule: [vaultRule(props.vault, 0, props.source.kmsKeyArn !== undefined)],
      dependsOn: props.source.versioning ? [props.source.versioning] : undefined,
    });
  }
}

/** The replication rule into a vault (also the assets bucket's second rule). */
export function vaultRule(vault: VaultDestination, priority: number, sseKmsSource: boolean) {
  return {
    id: VAULT_RULE_ID,
    status: "Enabled",
    priority,
    filter: {},
    deleteMarkerReplication: { status: "Disabled" },
    // SSE-KMS objects replicate only when the rule says so; SSE-S3 ones always do.
    sourceSelectionCriteria: sseKmsSource ? { sseKmsEncryptedObjects: { status: "Enabled" } } : undefined,
    destination: {
      bucket: vault.bucketArn,
      account: vault.accountId,
      accessControlTranslation: { owner: "Destination" },
      storageClass: "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: vault.kmsKeyArn },
    },
  };
}

/** The replication role's statements for one vault destination (least privilege, per the S3 replication permissions documentation). */
export function vaultWriteStatements(vault: VaultDestination, sidPrefix = "Vault"): PolicyStatement[] {
  return [
    {
      Sid: `${sidPrefix}WriteReplicas`,
      Effect: "Allow",
      Action: [...VAULT_REPLICATION_ACTIONS],
      Resource: `${vault.bucketArn}/*`,
    },
    {
      Sid: `${sidPrefix}EncryptReplicas`,
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: vault.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${vault.region}.amazonaws.com` } },
    },
  ];
}

function vaultReplicationStatements(sourceArn: string, props: VaultReplicationProps): PolicyStatement[] {
  const versionReads = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"];
  if (props.sourceObjectLock) versionReads.push("s3:GetObjectRetention", "s3:GetObjectLegalHold");
  const statements: PolicyStatement[] = [
    { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
    { Sid: "ReadSourceObjectVersions", Effect: "Allow", Action: versionReads, Resource: `${sourceArn}/*` },
    ...vaultWriteStatements(props.vault),
  ];
  if (props.source.kmsKeyArn) {
    statements.push({
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: props.source.kmsKeyArn,
      Condition: {
        StringLike: { "kms:ViaService": `s3.${props.sourceRegion}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": [sourceArn, `${sourceArn}/*`] },
      },
    });
  }
  return [...statements, ...vaultBatchReplicationStatements(sourceArn, props)];
}

/**
 * What S3 Batch Replication of the source needs, per the S3 User Guide's "Configuring an IAM role
 * for S3 Batch Replication" (policy for a manifest S3 generates): s3:InitiateReplication on the
 * source's objects, s3:GetReplicationConfiguration (ReadReplicationConfiguration has it) and
 * s3:PutInventoryConfiguration on the source bucket, and reading and writing the completion report.
 * The objects themselves are replicated by S3 with the replication configuration's role, as the
 * live rule's are.
 *
 * Why the replication role and not a role of its own: every permission added here is on the one
 * source bucket the role already reads (its report prefix, its key through S3 for this bucket),
 * none on the vault or on another bucket, so the role's reach does not grow. Batch Operations
 * gains the replication permissions, but its only operation they serve is S3ReplicateObject,
 * which is the live rule's copy (its other operations need s3:GetObject or s3:PutObject on the
 * objects, which the role holds under the report prefix only); S3 replication gains actions it
 * never calls. The vault's bucket and key policies keep admitting exactly the three replication
 * roles. The cost: whoever runs replicate-existing needs iam:PassRole on this role.
 *
 * The report is written under `replication-reports/` of the source, not into the vault bucket:
 * the vault's policy denies the workload account every write but replication's. The source's
 * default encryption applies to the report, hence GenerateDataKey with the source's key (for this
 * bucket's context only: the bucket's, with an S3 Bucket Key, or a report object's without).
 */
function vaultBatchReplicationStatements(sourceArn: string, props: VaultReplicationProps): PolicyStatement[] {
  const reports = `${sourceArn}/${REPLICATION_REPORT_PREFIX}*`;
  const statements: PolicyStatement[] = [
    { Sid: "BatchGenerateManifest", Effect: "Allow", Action: "s3:PutInventoryConfiguration", Resource: sourceArn },
    { Sid: "BatchInitiateReplication", Effect: "Allow", Action: "s3:InitiateReplication", Resource: `${sourceArn}/*` },
    { Sid: "BatchWriteReport", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], Resource: reports },
  ];
  if (props.source.kmsKeyArn) {
    statements.push({
      Sid: "BatchEncryptReport",
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: props.source.kmsKeyArn,
      Condition: { StringLike: { "kms:ViaService": `s3.${props.sourceRegion}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": [sourceArn, reports] } },
    });
  }
  return statements;
}
