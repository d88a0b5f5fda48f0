import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DrAssetsBucket, DrAssetsBucketProps } from "../../lib/constructs/dr-assets-bucket";
import { SecureBucket } from "../../lib/constructs/secure-bucket";
import { ref, resourceAt, resources, StackJson, synthJson, testStack } from "../support/synth";
import { denyInsecureTransport } from "../support/expected";

const SOURCE_KMS = "arn:aws:kms:us-east-1:123456789012:key/source";
const REPLICA_KMS = "arn:aws:kms:us-east-2:123456789012:key/replica";

/** The S3 resources a SecureBucket makes, by construct id below the bucket. */
const BUCKET_PARTS = {
  resource: "aws_s3_bucket",
  ownership: "aws_s3_bucket_ownership_controls",
  "public-access-block": "aws_s3_bucket_public_access_block",
  versioning: "aws_s3_bucket_versioning",
  encryption: "aws_s3_bucket_server_side_encryption_configuration",
  policy: "aws_s3_bucket_policy",
} as const;

interface Options {
  readonly sourceKms?: string;
  readonly props?: Partial<DrAssetsBucketProps>;
}

/** A stack with the default provider (us-east-1) and the replica provider `aws.dr` (us-east-2). */
function build(options: Options = {}) {
  const stack = testStack();
  const dr = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
  const source = new SecureBucket(stack, "assets", { bucketName: "acme-assets-us-east-1", kmsKeyArn: options.sourceKms });
  const construct = new DrAssetsBucket(stack, "dr-assets", {
    source,
    replicaBucketName: "acme-dr-assets-us-east-1",
    replicaProvider: dr,
    replicaRegion: "us-east-2",
    sourceRegion: "us-east-1",
    roleName: "acme-dr-replication-us-east-1",
    batchRoleName: "acme-dr-batch-replication-us-east-1",
    accountId: "123456789012",
    ...options.props,
  });
  return { stack, construct };
}

function synth(options: Options = {}): StackJson {
  return synthJson(build(options).stack);
}

function synthKms(props: Partial<DrAssetsBucketProps> = {}): StackJson {
  return synth({ sourceKms: SOURCE_KMS, props: { replicaKmsKeyArn: REPLICA_KMS, ...props } });
}

const sourceBucket = (json: StackJson) => resourceAt(json, "aws_s3_bucket", "assets/resource");
const replicaBucket = (json: StackJson) => resourceAt(json, "aws_s3_bucket", "dr-assets/replica/resource");
const replicaPart = (json: StackJson, part: keyof typeof BUCKET_PARTS) => resourceAt(json, BUCKET_PARTS[part], `dr-assets/replica/${part}`).config;
const sourcePart = (json: StackJson, part: keyof typeof BUCKET_PARTS) => resourceAt(json, BUCKET_PARTS[part], `assets/${part}`).config;
const replicationRule = (json: StackJson) => resourceAt(json, "aws_s3_bucket_replication_configuration", "dr-assets/resource").config.rule;

describe("DrAssetsBucket", () => {
  it("creates every part of the replica bucket with the replica provider", () => {
    const json = synth();
    for (const part of Object.keys(BUCKET_PARTS) as (keyof typeof BUCKET_PARTS)[]) {
      expect([part, replicaPart(json, part).provider]).toEqual([part, "aws.dr"]);
      expect([part, sourcePart(json, part).provider]).toEqual([part, undefined]);
    }
    expect(json.provider!.aws).toContainEqual({ alias: "dr", region: "us-east-2" });
  });

  it("names the replica and protects it from destroy", () => {
    expect(replicaBucket(synth()).config).toEqual({
      bucket: "acme-dr-assets-us-east-1",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
      provider: "aws.dr",
    });
  });

  it("gives the replica the source's ownership, public-access and versioning settings", () => {
    const json = synth();
    const replicaId = ref("aws_s3_bucket", replicaBucket(json).id, "id");
    for (const part of ["ownership", "public-access-block", "versioning"] as const) {
      const { bucket, provider, ...settings } = replicaPart(json, part);
      const { bucket: _sourceBucket, ...sourceSettings } = sourcePart(json, part);
      expect(bucket).toBe(replicaId);
      expect(provider).toBe("aws.dr");
      expect([part, settings]).toEqual([part, sourceSettings]);
    }
    expect(replicaPart(json, "ownership").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(replicaPart(json, "versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(replicaPart(json, "public-access-block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("encrypts the replica with SSE-S3 like a source without a KMS key", () => {
    const json = synth();
    expect(replicaPart(json, "encryption").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    expect(replicaPart(json, "encryption").rule).toEqual(sourcePart(json, "encryption").rule);
  });

  it("encrypts the replica with the replica KMS key like a source with SSE-KMS", () => {
    const json = synthKms();
    expect(replicaPart(json, "encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: REPLICA_KMS }, bucket_key_enabled: true },
    ]);
    expect(sourcePart(json, "encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: SOURCE_KMS }, bucket_key_enabled: true },
    ]);
  });

  it("denies non-TLS access to the replica", () => {
    const json = synth();
    const arn = ref("aws_s3_bucket", replicaBucket(json).id, "arn");
    expect(JSON.parse(replicaPart(json, "policy").policy)).toEqual({
      Version: "2012-10-17",
      Statement: [denyInsecureTransport(arn)],
    });
  });

  it("lets only S3 of this account assume the replication role", () => {
    const json = synth();
    const role = resourceAt(json, "aws_iam_role", "dr-assets/role").config;
    expect(role.name).toBe("acme-dr-replication-us-east-1");
    expect(role.provider).toBeUndefined();
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("grants the role exactly the three replication statements without KMS", () => {
    const json = synth();
    const source = ref("aws_s3_bucket", sourceBucket(json).id, "arn");
    const replica = ref("aws_s3_bucket", replicaBucket(json).id, "arn");
    const policy = resourceAt(json, "aws_iam_role_policy", "dr-assets/policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "dr-assets/role").id, "id"));
    expect(policy.name).toBe("replicate");
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source },
        {
          Sid: "ReadSourceObjectVersions",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          Resource: `${source}/*`,
        },
        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${replica}/*` },
      ],
    });
  });

  it("adds decrypt and encrypt statements, limited to S3 in each region and each bucket, with KMS", () => {
    const json = synthKms();
    const source = ref("aws_s3_bucket", sourceBucket(json).id, "arn");
    const replica = ref("aws_s3_bucket", replicaBucket(json).id, "arn");
    const policy = JSON.parse(resourceAt(json, "aws_iam_role_policy", "dr-assets/policy").config.policy);
    expect(policy.Statement).toHaveLength(5);
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source },
        {
          Sid: "ReadSourceObjectVersions",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          Resource: `${source}/*`,
        },
        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${replica}/*` },
        {
          Sid: "DecryptSourceObjects",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: SOURCE_KMS,
          // Bucket Keys (SecureBucket's default with KMS) make the bucket ARN the encryption context.
          Condition: { StringLike: { "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": [source, `${source}/*`] } },
        },
        {
          Sid: "EncryptReplicas",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
          Resource: REPLICA_KMS,
          Condition: { StringLike: { "kms:ViaService": "s3.us-east-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": [replica, `${replica}/*`] } },
        },
      ],
    });
  });

  it("replicates everything to the replica with the rule DR Replication, keeping delete markers and with Replication Time Control by default", () => {
    const json = synth();
    const config = resourceAt(json, "aws_s3_bucket_replication_configuration", "dr-assets/resource").config;
    expect(config.bucket).toBe(ref("aws_s3_bucket", sourceBucket(json).id, "id"));
    expect(config.role).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "dr-assets/role").id, "arn"));
    expect(config.provider).toBeUndefined();
    expect(config.rule).toEqual([
      {
        id: "DR Replication",
        status: "Enabled",
        priority: 0,
        filter: {},
        delete_marker_replication: { status: "Disabled" },
        destination: {
          bucket: ref("aws_s3_bucket", replicaBucket(json).id, "arn"),
          storage_class: "STANDARD",
          replication_time: { status: "Enabled", time: { minutes: 15 } },
          metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
        },
      },
    ]);
  });

  it("copies into a vault account as well with a second rule, Vault, and lets the role write there only", () => {
    const vault = {
      bucketArn: "arn:aws:s3:::acme-vault-assets-us-east-1-210987654321",
      accountId: "210987654321",
      region: "us-west-2",
      kmsKeyArn: "arn:aws:kms:us-west-2:210987654321:key/vault",
    };
    const json = synth({ props: { vault } });
    const config = resourceAt(json, "aws_s3_bucket_replication_configuration", "dr-assets/resource").config;
    expect(config.rule.map((r: { id: string; priority: number }) => [r.id, r.priority])).toEqual([
      ["DR Replication", 0],
      ["Vault", 1],
    ]);
    expect(config.rule[1]).toEqual({
      id: "Vault",
      status: "Enabled",
      priority: 1,
      filter: {},
      delete_marker_replication: { status: "Disabled" },
      destination: {
        bucket: "arn:aws:s3:::acme-vault-assets-us-east-1-210987654321",
        account: "210987654321",
        access_control_translation: { owner: "Destination" },
        storage_class: "STANDARD",
        encryption_configuration: { replica_kms_key_id: "arn:aws:kms:us-west-2:210987654321:key/vault" },
      },
    });
    const statements = JSON.parse(resourceAt(json, "aws_iam_role_policy", "dr-assets/policy").config.policy).Statement;
    expect(statements.slice(3)).toEqual([
      {
        Sid: "VaultWriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: "arn:aws:s3:::acme-vault-assets-us-east-1-210987654321/*",
      },
      {
        Sid: "VaultEncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:us-west-2:210987654321:key/vault",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
      },
    ]);
  });

  it("replicates delete markers when replicateDeletes is on", () => {
    expect(replicationRule(synth({ props: { replicateDeletes: true } }))[0].delete_marker_replication).toEqual({ status: "Enabled" });
    expect(replicationRule(synth({ props: { replicateDeletes: false } }))[0].delete_marker_replication).toEqual({ status: "Disabled" });
  });

  it("leaves out Replication Time Control and its metrics only when turned off explicitly", () => {
    const [rule] = replicationRule(synth({ props: { replicationTimeControl: true } }));
    expect(rule.destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    expect(rule.destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
    const [plain] = replicationRule(synth({ props: { replicationTimeControl: false } }));
    expect(plain.destination).toEqual({ bucket: rule.destination.bucket, storage_class: "STANDARD" });
  });

  it("selects SSE-KMS objects and encrypts replicas with the replica key only with KMS", () => {
    const [rule] = replicationRule(synthKms());
    expect(rule.source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: "Enabled" } });
    expect(rule.destination.encryption_configuration).toEqual({ replica_kms_key_id: REPLICA_KMS });
    const [plain] = replicationRule(synth());
    expect(plain.source_selection_criteria).toBeUndefined();
    expect(plain.destination.encryption_configuration).toBeUndefined();
  });

  it("waits for versioning on both buckets before the replication rule", () => {
    const json = synth();
    const sourceVersioning = resourceAt(json, "aws_s3_bucket_versioning", "assets/versioning").id;
    const replicaVersioning = resourceAt(json, "aws_s3_bucket_versioning", "dr-assets/replica/versioning").id;
    expect(resourceAt(json, "aws_s3_bucket_replication_configuration", "dr-assets/resource").config.depends_on).toEqual([
      `aws_s3_bucket_versioning.${sourceVersioning}`,
      `aws_s3_bucket_versioning.${replicaVersioning}`,
    ]);
  });

  it("replicates a bucket made elsewhere, given by name and ARN (an IVersionedBucket, not a SecureBucket)", () => {
    const stack = testStack();
    const dr = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
    new DrAssetsBucket(stack, "dr-assets", {
      source: { bucketName: "legacy-assets", bucketArn: "arn:aws:s3:::legacy-assets" },
      replicaBucketName: "legacy-dr-assets",
      replicaProvider: dr,
      replicaRegion: "us-east-2",
      sourceRegion: "us-east-1",
      roleName: "legacy-dr-replication",
      batchRoleName: "legacy-dr-batch-replication",
      accountId: "123456789012",
    });
    const json = synthJson(stack);
    const replication = resourceAt(json, "aws_s3_bucket_replication_configuration", "dr-assets/resource").config;
    expect(replication.bucket).toBe("legacy-assets");
    const replicaVersioning = resourceAt(json, "aws_s3_bucket_versioning", "dr-assets/replica/versioning").id;
    expect(replication.depends_on).toEqual([`aws_s3_bucket_versioning.${replicaVersioning}`]);
    const policy = JSON.parse(resourceAt(json, "aws_iam_role_policy", "dr-assets/policy").config.policy);
    expect(policy.Statement[0].Resource).toBe("arn:aws:s3:::legacy-assets");
    expect(Object.keys(resources(json, "aws_s3_bucket"))).toEqual([resourceAt(json, "aws_s3_bucket", "dr-assets/replica/resource").id]);
  });

  it("names the source bucket by its id, as the SecureBucket's other parts do", () => {
    const json = synth();
    expect(resourceAt(json, "aws_s3_bucket_replication_configuration", "dr-assets/resource").config.bucket).toBe(
      ref("aws_s3_bucket", sourceBucket(json).id, "id"),
    );
  });

  it("creates one replica bucket, the replication and batch replication roles, and one replication configuration", () => {
    const json = synth();
    expect(Object.keys(resources(json, "aws_s3_bucket"))).toHaveLength(2);
    expect(Object.keys(resources(json, "aws_iam_role")).sort()).toEqual(["dr-assets_batch-role_EC37872B", "dr-assets_role_F7BE7041"]);
    expect(Object.keys(resources(json, "aws_iam_role_policy"))).toHaveLength(2);
    expect(Object.keys(resources(json, "aws_s3_bucket_replication_configuration"))).toHaveLength(1);
  });

  it("requires a replica key when the source uses SSE-KMS", () => {
    expect(() => build({ sourceKms: SOURCE_KMS })).toThrow("DrAssetsBucket: replicaKmsKeyArn is required when the source bucket uses SSE-KMS (got none)");
  });

  it("refuses a replica key when the source uses SSE-S3", () => {
    expect(() => build({ props: { replicaKmsKeyArn: REPLICA_KMS } })).toThrow(
      `DrAssetsBucket: replicaKmsKeyArn must be left out when the source bucket uses SSE-S3 (got ${REPLICA_KMS})`,
    );
  });

  it("exposes what a batch replication job needs", () => {
    const { stack, construct } = build();
    expect(construct.reportPrefix).toBe("replication-reports/");
    new TerraformOutput(stack, "source_arn", { value: construct.sourceBucketArn });
    new TerraformOutput(stack, "replica_arn", { value: construct.replicaBucketArn });
    new TerraformOutput(stack, "replica_name", { value: construct.replicaBucketName });
    new TerraformOutput(stack, "role_arn", { value: construct.roleArn });
    const json = synthJson(stack);
    const replica = replicaBucket(json).id;
    expect(json.output!.source_arn.value).toBe(ref("aws_s3_bucket", sourceBucket(json).id, "arn"));
    expect(json.output!.replica_arn.value).toBe(ref("aws_s3_bucket", replica, "arn"));
    expect(json.output!.replica_name.value).toBe(ref("aws_s3_bucket", replica, "bucket"));
    expect(json.output!.role_arn.value).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "dr-assets/role").id, "arn"));
  });
});

describe("the batch replication role (replicate existing objects)", () => {
  it("only S3 Batch Operations of this account can assume it, and it may do exactly what the job needs", () => {
    const json = synth();
    const role = resourceAt(json, "aws_iam_role", "dr-assets/batch-role");
    expect(role.config.name).toBe("acme-dr-batch-replication-us-east-1");
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "batchoperations.s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    const source = ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "assets/resource").id, "arn");
    const replica = ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "dr-assets/replica/resource").id, "arn");
    const policy = resourceAt(json, "aws_iam_role_policy", "dr-assets/batch-policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", role.id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "GenerateManifest",
          Effect: "Allow",
          Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration", "s3:ListBucket"],
          Resource: source,
        },
        { Sid: "InitiateReplication", Effect: "Allow", Action: ["s3:InitiateReplication", "s3:GetObject", "s3:GetObjectVersion"], Resource: `${source}/*` },
        { Sid: "WriteCompletionReport", Effect: "Allow", Action: "s3:PutObject", Resource: `${replica}/replication-reports/*` },
      ],
    });
  });
});
