import { BucketEncrypted } from "../../../../lib/policy/rules/s3/bucket-encrypted";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BucketEncrypted;
const bucket = resource("aws_s3_bucket", "assets_resource_C0A849BD", { bucket: "acme-assets-us-east-1" });
const otherBucket = resource("aws_s3_bucket", "archives_resource_11111111", { bucket: "acme-archives-us-east-1" });
const bucketRef = tfRef("aws_s3_bucket", bucket.id, "id");

function encryption(target: string, rules: unknown) {
  return resource("aws_s3_bucket_server_side_encryption_configuration", "assets_encryption_1305CC28", { bucket: target, rule: rules });
}

function sse(algorithm: string, extra: Record<string, unknown> = {}) {
  return [{ apply_server_side_encryption_by_default: { sse_algorithm: algorithm, ...extra } }];
}

describe("DR-S3-2 bucket default encryption", () => {
  describeRuleBasics(rule, "DR-S3-2");

  describe("compliant", () => {
    it.each(["AES256", "aws:kms", "aws:kms:dsse"])("default encryption %s", (algorithm) => {
      expect(judge(rule, bucket, [encryption(bucketRef, sse(algorithm))])).toBe("compliant");
    });

    it("SSE-KMS with a key of the stack", () => {
      const rules = sse("aws:kms", { kms_master_key_id: tfRef("aws_kms_key", "key", "arn") });
      expect(judge(rule, bucket, [encryption(tfRef("aws_s3_bucket", bucket.id, "bucket"), rules)])).toBe("compliant");
    });

    it("Terraform JSON's other block shapes: rule as an object, the default as a list", () => {
      expect(judge(rule, bucket, [encryption(bucketRef, { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } })])).toBe("compliant");
      expect(judge(rule, bucket, [encryption(bucketRef, [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms" }] }])])).toBe("compliant");
    });

    it("a configuration naming the bucket literally", () => {
      expect(judge(rule, bucket, [encryption("acme-assets-us-east-1", sse("AES256"))])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no encryption configuration", () => {
      expect(judge(rule, bucket)).toBe("non-compliant");
    });

    it("a configuration of another bucket only", () => {
      expect(judge(rule, bucket, [otherBucket, encryption(tfRef("aws_s3_bucket", otherBucket.id, "id"), sse("AES256"))])).toBe("non-compliant");
    });

    it("a rule without a default encryption (bucket key only)", () => {
      expect(judge(rule, bucket, [encryption(bucketRef, [{ bucket_key_enabled: true }])])).toBe("non-compliant");
    });

    it("a configuration without rules", () => {
      expect(judge(rule, bucket, [encryption(bucketRef, undefined)])).toBe("non-compliant");
    });

    it.each(["", "NONE", "aws:kms:unknown"])("an algorithm that is not SSE-S3 or SSE-KMS (%j)", (algorithm) => {
      expect(judge(rule, bucket, [encryption(bucketRef, sse(algorithm))])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("the encryption configuration itself", () => {
      expect(judge(rule, encryption(bucketRef, sse("NONE")), [bucket])).toBe("not-applicable");
    });
  });
});
