import { BucketPublicAccessBlocked } from "../../../../lib/policy/rules/s3/bucket-public-access-blocked";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BucketPublicAccessBlocked;
const bucket = resource("aws_s3_bucket", "assets_resource_C0A849BD", {
  bucket: "acme-assets-us-east-1",
  force_destroy: false,
  lifecycle: { prevent_destroy: true },
});
const otherBucket = resource("aws_s3_bucket", "archives_resource_11111111", { bucket: "acme-archives-us-east-1" });
const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

function block(target: string, overrides: Record<string, unknown> = {}) {
  return resource("aws_s3_bucket_public_access_block", "assets_public-access-block_1CCF818E", {
    bucket: target,
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
    ...overrides,
  });
}

describe("DR-S3-1 bucket public-access block", () => {
  describeRuleBasics(rule, "DR-S3-1");

  describe("compliant", () => {
    it("a block with all four flags on, referencing the bucket's id", () => {
      expect(judge(rule, bucket, [block(tfRef("aws_s3_bucket", bucket.id, "id"))])).toBe("compliant");
    });

    it("a block referencing the bucket's name attribute", () => {
      expect(judge(rule, bucket, [block(tfRef("aws_s3_bucket", bucket.id, "bucket"))])).toBe("compliant");
    });

    it("a block naming the bucket literally", () => {
      expect(judge(rule, bucket, [block("acme-assets-us-east-1")])).toBe("compliant");
    });

    it("one good block among a partial one", () => {
      const ref = tfRef("aws_s3_bucket", bucket.id, "id");
      expect(judge(rule, bucket, [block(ref, { block_public_acls: false }), block(ref)])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it.each(FLAGS)("%s false", (flag) => {
      expect(judge(rule, bucket, [block(tfRef("aws_s3_bucket", bucket.id, "id"), { [flag]: false })])).toBe("non-compliant");
    });

    it.each(FLAGS)("%s unset (Terraform's default is false)", (flag) => {
      const partial = block(tfRef("aws_s3_bucket", bucket.id, "id"));
      const { [flag]: _dropped, ...rest } = partial.config;
      expect(judge(rule, bucket, [resource(partial.type, partial.id, rest)])).toBe("non-compliant");
    });

    it("the flags given as strings rather than booleans", () => {
      expect(judge(rule, bucket, [block(tfRef("aws_s3_bucket", bucket.id, "id"), { block_public_policy: "true" })])).toBe("non-compliant");
    });

    it("no block at all", () => {
      expect(judge(rule, bucket)).toBe("non-compliant");
    });

    it("a block that belongs to another bucket (by reference or by name)", () => {
      expect(judge(rule, bucket, [otherBucket, block(tfRef("aws_s3_bucket", otherBucket.id, "id"))])).toBe("non-compliant");
      expect(judge(rule, bucket, [otherBucket, block("acme-archives-us-east-1")])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("the block itself and other S3 resources", () => {
      const pab = block(tfRef("aws_s3_bucket", bucket.id, "id"), { block_public_acls: false });
      expect(judge(rule, pab, [bucket])).toBe("not-applicable");
      expect(judge(rule, resource("aws_s3_bucket_policy", "policy", { bucket: tfRef("aws_s3_bucket", bucket.id, "id"), policy: "{}" }))).toBe("not-applicable");
    });
  });
});
