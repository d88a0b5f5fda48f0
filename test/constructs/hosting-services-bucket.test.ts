import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HostingServicesBucket, HostingServicesBucketProps } from "../../lib/constructs/hosting-services-bucket";
import { onlyResource, ref, resources, StackJson, synthJson, testStack } from "../support/synth";
import { ARCHIVE_KEY, denyInsecureTransport } from "../support/expected";

/** Every resource type the bucket is made of. */
const TYPES = [
  "aws_s3_bucket",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_object_lock_configuration",
];

/** The bucket in us-east-2 (provider `aws.dr`) of a stack whose default provider is us-east-1. */
function build(props: Partial<Omit<HostingServicesBucketProps, "provider">> = {}) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
  const construct = new HostingServicesBucket(stack, "hosting-services", {
    bucketName: "acme-hosting-services-us-east-1",
    provider,
    region: "us-east-2",
    kmsKeyArn: ARCHIVE_KEY,
    ...props,
  });
  return { stack, construct };
}

function synth(props: Partial<Omit<HostingServicesBucketProps, "provider">> = {}): StackJson {
  return synthJson(build(props).stack);
}

const bucketId = (json: StackJson) => onlyResource(json, "aws_s3_bucket").id;

describe("HostingServicesBucket", () => {
  it("creates every resource with the given provider, in that provider's region", () => {
    const json = synth();
    expect(json.provider!.aws).toEqual([{ region: "us-east-1" }, { alias: "dr", region: "us-east-2" }]);
    for (const type of TYPES) {
      expect([type, onlyResource(json, type).config.provider]).toEqual([type, "aws.dr"]);
    }
  });

  it("names the bucket, tags it as archives, creates it with Object Lock and protects it from destroy", () => {
    expect(onlyResource(synth(), "aws_s3_bucket").config).toEqual({
      bucket: "acme-hosting-services-us-east-1",
      force_destroy: false,
      object_lock_enabled: true,
      tags: { DataClass: "database-archives" },
      // An existing bucket is not replaced: its lock configuration enables Object Lock in place.
      lifecycle: { prevent_destroy: true, ignore_changes: ["object_lock_enabled"] },
      provider: "aws.dr",
    });
  });

  it("locks every version in governance mode for the non-current retention by default", () => {
    const json = synth({ noncurrentVersionRetentionDays: 30 });
    expect(onlyResource(json, "aws_s3_bucket_object_lock_configuration").config).toEqual({
      bucket: ref("aws_s3_bucket", bucketId(json), "id"),
      provider: "aws.dr",
      rule: { default_retention: { mode: "GOVERNANCE", days: 30 } },
      depends_on: [`aws_s3_bucket_versioning.${onlyResource(json, "aws_s3_bucket_versioning").id}`],
    });
  });

  it("locks in compliance mode for the given days when asked", () => {
    const { stack, construct } = build({ objectLock: { mode: "COMPLIANCE", retentionDays: 365 } });
    expect(construct.objectLock).toEqual({ mode: "COMPLIANCE", retentionDays: 365 });
    expect(onlyResource(synthJson(stack), "aws_s3_bucket_object_lock_configuration").config.rule).toEqual({
      default_retention: { mode: "COMPLIANCE", days: 365 },
    });
  });

  it("rejects an Object Lock retention that is not a whole number of days >= 1, with every problem at once", () => {
    for (const days of [0, 2.5]) {
      expect(() => build({ objectLock: { mode: "GOVERNANCE", retentionDays: days } })).toThrow(
        `HostingServicesBucket: objectLock.retentionDays must be a whole number >= 1 (got ${days})`,
      );
    }
    expect(() => build({ noncurrentVersionRetentionDays: 0, objectLock: { mode: "GOVERNANCE", retentionDays: 0 } })).toThrow(
      "HostingServicesBucket: noncurrentVersionRetentionDays must be a whole number >= 1 (got 0); objectLock.retentionDays must be a whole number >= 1 (got 0)",
    );
  });

  it("logs access into the given log bucket once that bucket's policy admits the logging service", () => {
    const json = synth({ accessLogs: { bucketName: "acme-dr-access-logs-us-east-1", prefix: "acme-hosting-services-us-east-1/" } });
    expect(onlyResource(json, "aws_s3_bucket_logging").config).toEqual({
      bucket: ref("aws_s3_bucket", bucketId(json), "id"),
      provider: "aws.dr",
      target_bucket: "acme-dr-access-logs-us-east-1",
      target_prefix: "acme-hosting-services-us-east-1/",
    });
  });

  it("disables ACLs, blocks all public access, versions and encrypts with the archive key (SSE-KMS, bucket key on)", () => {
    const json = synth();
    const bucket = ref("aws_s3_bucket", bucketId(json), "id");
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").config).toEqual({
      bucket,
      provider: "aws.dr",
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(onlyResource(json, "aws_s3_bucket_public_access_block").config).toEqual({
      bucket,
      provider: "aws.dr",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_versioning").config).toEqual({ bucket, provider: "aws.dr", versioning_configuration: { status: "Enabled" } });
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").config).toEqual({
      bucket,
      provider: "aws.dr",
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ARCHIVE_KEY }, bucket_key_enabled: true }],
    });
  });

  it("denies every request that does not use TLS", () => {
    const json = synth();
    const arn = ref("aws_s3_bucket", bucketId(json), "arn");
    expect(JSON.parse(onlyResource(json, "aws_s3_bucket_policy").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [denyInsecureTransport(arn)],
    });
  });

  it("expires non-current versions after 90 days and abandoned uploads after 7 by default", () => {
    const json = synth();
    const lifecycle = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").config;
    expect(lifecycle.bucket).toBe(ref("aws_s3_bucket", bucketId(json), "id"));
    expect(lifecycle.rule).toEqual([
      {
        id: "expire-noncurrent-archives",
        status: "Enabled",
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it("keeps non-current versions for the configured number of days", () => {
    const { stack, construct } = build({ noncurrentVersionRetentionDays: 30 });
    expect(construct.noncurrentVersionRetentionDays).toBe(30);
    const [rule] = onlyResource(synthJson(stack), "aws_s3_bucket_lifecycle_configuration").config.rule;
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  it("applies the lifecycle only after versioning is on", () => {
    const json = synth();
    expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").config.depends_on).toEqual([
      `aws_s3_bucket_versioning.${onlyResource(json, "aws_s3_bucket_versioning").id}`,
    ]);
  });

  it("rejects a retention that is not a whole number of days >= 1", () => {
    for (const days of [0, -5, 1.5]) {
      expect(() => build({ noncurrentVersionRetentionDays: days })).toThrow(
        `HostingServicesBucket: noncurrentVersionRetentionDays must be a whole number >= 1 (got ${days})`,
      );
    }
    expect(() => build({ noncurrentVersionRetentionDays: 1 })).not.toThrow();
  });

  it("is an encrypted bucket: its key and region, for the grants of whoever uploads or reads", () => {
    const { construct } = build();
    expect([construct.kmsKeyArn, construct.region]).toEqual([ARCHIVE_KEY, "us-east-2"]);
  });

  it("exposes the bucket's name and ARN", () => {
    const { stack, construct } = build();
    new TerraformOutput(stack, "name", { value: construct.bucketName });
    new TerraformOutput(stack, "arn", { value: construct.bucketArn });
    const json = synthJson(stack);
    expect(json.output!.name.value).toBe(ref("aws_s3_bucket", bucketId(json), "bucket"));
    expect(json.output!.arn.value).toBe(ref("aws_s3_bucket", bucketId(json), "arn"));
  });

  it("replicates into a vault account when given one: a rule of its own, the role reading each archive's lock", () => {
    const vault = {
      bucketArn: "arn:aws:s3:::acme-vault-archives-us-east-1-210987654321",
      accountId: "210987654321",
      region: "us-west-2",
      kmsKeyArn: "arn:aws:kms:us-west-2:210987654321:key/vault",
    };
    const json = synth({ vault: { destination: vault, roleName: "acme-vault-archives-us-east-1", accountId: "123456789012" } });
    const config = onlyResource(json, "aws_s3_bucket_replication_configuration").config;
    expect(config.provider).toBe("aws.dr");
    expect(config.bucket).toBe(ref("aws_s3_bucket", bucketId(json), "id"));
    expect(
      config.rule.map((r: { id: string; destination: { bucket: string; account: string } }) => [r.id, r.destination.bucket, r.destination.account]),
    ).toEqual([["Vault", "arn:aws:s3:::acme-vault-archives-us-east-1-210987654321", "210987654321"]]);
    expect(onlyResource(json, "aws_iam_role").config.name).toBe("acme-vault-archives-us-east-1");
    const reads = JSON.parse(onlyResource(json, "aws_iam_role_policy").config.policy).Statement.find(
      (s: { Sid: string }) => s.Sid === "ReadSourceObjectVersions",
    );
    expect(reads.Action).toEqual([
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
      "s3:GetObjectRetention",
      "s3:GetObjectLegalHold",
    ]);
  });

  it("replicates nowhere without a vault", () => {
    expect(resources(synth(), "aws_s3_bucket_replication_configuration")).toEqual({});
  });
});
