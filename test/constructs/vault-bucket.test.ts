import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VaultBucket, type VaultBucketProps } from "../../lib/constructs/vault-bucket";
import { onlyResource, ref, resources, synthJson, testStack } from "../support/synth";
import { denyInsecureTransport } from "../support/expected";

const VAULT_KEY = "arn:aws:kms:us-west-2:210987654321:key/11111111-2222-3333-4444-555555555555";
const WRITERS = ["arn:aws:iam::123456789012:role/acme-vault-archives-us-east-1"];

function build(props: Partial<Omit<VaultBucketProps, "provider">> = {}) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-vault", { region: "us-west-2", alias: "vault" });
  new VaultBucket(stack, "archives", {
    bucketName: "acme-vault-archives-us-east-1-210987654321",
    provider,
    kmsKeyArn: VAULT_KEY,
    retentionDays: 35,
    sourceAccountId: "123456789012",
    writerRoleArns: WRITERS,
    accessLogs: { bucketName: "acme-vault-access-logs-us-east-1-210987654321", prefix: "acme-vault-archives-us-east-1-210987654321/" },
    ...props,
  });
  return synthJson(stack);
}

describe("VaultBucket", () => {
  const json = build();
  const bucket = onlyResource(json, "aws_s3_bucket");
  const arn = ref("aws_s3_bucket", bucket.id, "arn");

  it("is made in the vault account (the given provider) with Object Lock on, protected from destroy", () => {
    for (const type of Object.keys(json.resource!)) for (const r of Object.values(resources(json, type))) expect(r.provider).toBe("aws.vault");
    expect(bucket.config).toMatchObject({
      bucket: "acme-vault-archives-us-east-1-210987654321",
      object_lock_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("locks every version in COMPLIANCE mode for the retention, and expires noncurrent copies once unlocked", () => {
    expect(onlyResource(json, "aws_s3_bucket_object_lock_configuration").config.rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 35 } });
    expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").config.rule).toEqual([
      {
        id: "expire-unlocked-noncurrent-copies",
        status: "Enabled",
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 35 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it("encrypts with the vault's key", () => {
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").config.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: VAULT_KEY }, bucket_key_enabled: true },
    ]);
  });

  it("lets the workload account's replication roles write replicas and denies the workload account every delete, overwrite and rule change", () => {
    const source = { AWS: "arn:aws:iam::123456789012:root" };
    const writers = { StringEquals: { "aws:PrincipalArn": WRITERS } };
    expect(JSON.parse(onlyResource(json, "aws_s3_bucket_policy").config.policy).Statement).toEqual([
      denyInsecureTransport(arn),
      {
        Sid: "SourceReplicates",
        Effect: "Allow",
        Principal: source,
        Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: `${arn}/*`,
        Condition: writers,
      },
      { Sid: "SourceReadsVersioning", Effect: "Allow", Principal: source, Action: "s3:GetBucketVersioning", Resource: arn, Condition: writers },
      {
        Sid: "SourceNeverDeletes",
        Effect: "Deny",
        Principal: "*",
        Action: [
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
        ],
        Resource: [arn, `${arn}/*`],
        Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } },
      },
    ]);
  });

  it("logs its access into the vault's log bucket", () => {
    expect(onlyResource(json, "aws_s3_bucket_logging").config).toMatchObject({
      target_bucket: "acme-vault-access-logs-us-east-1-210987654321",
      target_prefix: "acme-vault-archives-us-east-1-210987654321/",
    });
  });

  it("refuses a retention out of range and a bucket nobody may write, listing both", () => {
    expect(() => build({ retentionDays: 0, writerRoleArns: [] })).toThrow(
      "VaultBucket: retentionDays must be a whole number from 1 to 3650 (got 0); writerRoleArns must name at least one replication role (got none)",
    );
    expect(() => build({ retentionDays: 3651 })).toThrow("VaultBucket: retentionDays must be a whole number from 1 to 3650 (got 3651)");
    expect(() => build({ retentionDays: 1.5 })).toThrow("VaultBucket: retentionDays must be a whole number from 1 to 3650 (got 1.5)");
  });
});
