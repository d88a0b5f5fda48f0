import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VaultReplication, type VaultReplicationProps } from "../../lib/constructs/vault-replication";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

const STATE_KEY = "arn:aws:kms:us-west-2:123456789012:key/aaaaaaaa-2222-3333-4444-555555555555";
const VAULT_KEY = "arn:aws:kms:us-west-2:210987654321:key/11111111-2222-3333-4444-555555555555";
const VAULT_BUCKET = "arn:aws:s3:::acme-vault-state-us-east-1-210987654321";

function build(props: Partial<VaultReplicationProps> = {}) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-state", { region: "us-west-2", alias: "state" });
  new VaultReplication(stack, "state-replication", {
    source: { bucketName: "acme-terraform-state", bucketArn: "arn:aws:s3:::acme-terraform-state", kmsKeyArn: STATE_KEY },
    sourceRegion: "us-west-2",
    provider,
    roleName: "acme-vault-state-us-east-1",
    accountId: "123456789012",
    vault: { bucketArn: VAULT_BUCKET, accountId: "210987654321", region: "us-west-2", kmsKeyArn: VAULT_KEY },
    ...props,
  });
  return synthJson(stack);
}

describe("VaultReplication", () => {
  const json = build();
  const role = onlyResource(json, "aws_iam_role");

  it("puts one rule on the source: every new version into the vault, owned and encrypted by the vault, no delete markers", () => {
    expect(onlyResource(json, "aws_s3_bucket_replication_configuration").config).toEqual({
      provider: "aws.state",
      bucket: "acme-terraform-state",
      role: ref("aws_iam_role", role.id, "arn"),
      rule: [
        {
          id: "Vault",
          status: "Enabled",
          priority: 0,
          filter: {},
          delete_marker_replication: { status: "Disabled" },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
          destination: {
            bucket: VAULT_BUCKET,
            account: "210987654321",
            access_control_translation: { owner: "Destination" },
            storage_class: "STANDARD",
            encryption_configuration: { replica_kms_key_id: VAULT_KEY },
          },
        },
      ],
    });
  });

  it("gives S3 and S3 Batch Operations a role of the workload account, on behalf of that account only", () => {
    expect(role.config).toMatchObject({ name: "acme-vault-state-us-east-1" });
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"] },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("lets the role read the source and write replicas into the vault bucket only, and run Batch Replication of the source with its report in the source", () => {
    const source = "arn:aws:s3:::acme-terraform-state";
    expect(JSON.parse(onlyResource(json, "aws_iam_role_policy").config.policy).Statement).toEqual([
      { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source },
      {
        Sid: "ReadSourceObjectVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${source}/*`,
      },
      {
        Sid: "VaultWriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: `${VAULT_BUCKET}/*`,
      },
      {
        Sid: "VaultEncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: VAULT_KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
      },
      {
        Sid: "DecryptSourceObjects",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: STATE_KEY,
        Condition: {
          StringLike: { "kms:ViaService": "s3.us-west-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": [source, `${source}/*`] },
        },
      },
      { Sid: "BatchGenerateManifest", Effect: "Allow", Action: "s3:PutInventoryConfiguration", Resource: source },
      { Sid: "BatchInitiateReplication", Effect: "Allow", Action: "s3:InitiateReplication", Resource: `${source}/*` },
      {
        Sid: "BatchWriteReport",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        Resource: "arn:aws:s3:::acme-terraform-state/replication-reports/*",
      },
      {
        Sid: "BatchEncryptReport",
        Effect: "Allow",
        Action: "kms:GenerateDataKey",
        Resource: STATE_KEY,
        Condition: {
          StringLike: {
            "kms:ViaService": "s3.us-west-2.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": [source, "arn:aws:s3:::acme-terraform-state/replication-reports/*"],
          },
        },
      },
    ]);
    expect(JSON.parse(onlyResource(json, "aws_iam_role_policy").config.policy).Version).toBe("2012-10-17");
  });

  it("grants Batch Replication nothing on the vault: every statement on the vault bucket or key is the live replication's", () => {
    const statements = JSON.parse(onlyResource(json, "aws_iam_role_policy").config.policy).Statement as { Sid: string; Resource: string }[];
    expect(statements.filter((s) => s.Resource.startsWith(VAULT_BUCKET) || s.Resource === VAULT_KEY).map((s) => s.Sid)).toEqual([
      "VaultWriteReplicas",
      "VaultEncryptReplicas",
    ]);
  });

  it("reads each version's lock when the source has Object Lock", () => {
    const locked = build({ sourceObjectLock: true });
    expect(JSON.parse(onlyResource(locked, "aws_iam_role_policy").config.policy).Statement[1].Action).toEqual([
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
      "s3:GetObjectRetention",
      "s3:GetObjectLegalHold",
    ]);
  });

  it("asks for no KMS on an SSE-S3 source", () => {
    const plain = build({ source: { bucketName: "acme-terraform-state", bucketArn: "arn:aws:s3:::acme-terraform-state" } });
    expect(onlyResource(plain, "aws_s3_bucket_replication_configuration").config.rule[0].source_selection_criteria).toBeUndefined();
    expect(JSON.parse(onlyResource(plain, "aws_iam_role_policy").config.policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "ReadReplicationConfiguration",
      "ReadSourceObjectVersions",
      "VaultWriteReplicas",
      "VaultEncryptReplicas",
      "BatchGenerateManifest",
      "BatchInitiateReplication",
      "BatchWriteReport",
    ]);
  });

  it("refuses a vault in the source's own account", () => {
    expect(() => build({ vault: { bucketArn: VAULT_BUCKET, accountId: "123456789012", region: "us-west-2", kmsKeyArn: VAULT_KEY } })).toThrow(
      "VaultReplication: the vault must be another account than the source's (got 123456789012 for both)",
    );
  });
});
