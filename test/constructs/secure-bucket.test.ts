import { SecureBucket } from "../../lib/constructs/secure-bucket";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";
import { denyInsecureTransport } from "../support/expected";

describe("SecureBucket", () => {
  function synth(props: Partial<ConstructorParameters<typeof SecureBucket>[2]> = {}) {
    const stack = testStack();
    new SecureBucket(stack, "bucket", { bucketName: "acme-example", ...props });
    return synthJson(stack);
  }

  it("creates the bucket protected from destroy and without force_destroy", () => {
    const { config } = onlyResource(synth(), "aws_s3_bucket");
    expect(config.bucket).toBe("acme-example");
    expect(config.force_destroy).toBe(false);
    expect(config.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("disables ACLs, blocks all public access and enables versioning", () => {
    const json = synth();
    const bucket = onlyResource(json, "aws_s3_bucket").id;
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").config).toMatchObject({
      bucket: ref("aws_s3_bucket", bucket, "id"),
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(onlyResource(json, "aws_s3_bucket_public_access_block").config).toMatchObject({
      bucket: ref("aws_s3_bucket", bucket, "id"),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_versioning").config.versioning_configuration).toEqual({ status: "Enabled" });
  });

  it("encrypts with SSE-S3 by default and with the given KMS key when asked", () => {
    expect(onlyResource(synth(), "aws_s3_bucket_server_side_encryption_configuration").config.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    const kms = "arn:aws:kms:us-east-1:123456789012:key/abcd";
    expect(onlyResource(synth({ kmsKeyArn: kms }), "aws_s3_bucket_server_side_encryption_configuration").config.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: kms }, bucket_key_enabled: true },
    ]);
  });

  it("denies every request that does not use TLS, then adds the caller's statements", () => {
    const json = synth({
      policyStatements: (arn) => [
        { Sid: "Extra", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `${arn}/*` },
      ],
    });
    const bucket = onlyResource(json, "aws_s3_bucket").id;
    const arn = ref("aws_s3_bucket", bucket, "arn");
    const policy = onlyResource(json, "aws_s3_bucket_policy").config;
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        denyInsecureTransport(arn),
        { Sid: "Extra", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `${arn}/*` },
      ],
    });
    expect(policy.depends_on).toEqual([`aws_s3_bucket_public_access_block.${onlyResource(json, "aws_s3_bucket_public_access_block").id}`]);
  });
});
