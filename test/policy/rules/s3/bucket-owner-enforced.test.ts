import { BucketOwnerEnforced } from "../../../../lib/policy/rules/s3/bucket-owner-enforced";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BucketOwnerEnforced;
const bucket = resource("aws_s3_bucket", "assets_resource_C0A849BD", { bucket: "acme-assets-us-east-1" });
const otherBucket = resource("aws_s3_bucket", "archives_resource_11111111", { bucket: "acme-archives-us-east-1" });
const bucketRef = tfRef("aws_s3_bucket", bucket.id, "id");

function ownership(target: string, ruleBlock: unknown) {
  return resource("aws_s3_bucket_ownership_controls", "assets_ownership_7E9C9C2B", { bucket: target, rule: ruleBlock });
}

describe("DR-S3-5 bucket owner enforced", () => {
  describeRuleBasics(rule, "DR-S3-5");

  describe("compliant", () => {
    it("object ownership BucketOwnerEnforced", () => {
      expect(judge(rule, bucket, [ownership(bucketRef, { object_ownership: "BucketOwnerEnforced" })])).toBe("compliant");
    });

    it("rule as a list, referencing the bucket's name", () => {
      expect(judge(rule, bucket, [ownership(tfRef("aws_s3_bucket", bucket.id, "bucket"), [{ object_ownership: "BucketOwnerEnforced" }])])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it.each(["BucketOwnerPreferred", "ObjectWriter"])("object ownership %s (ACLs stay on)", (objectOwnership) => {
      expect(judge(rule, bucket, [ownership(bucketRef, { object_ownership: objectOwnership })])).toBe("non-compliant");
    });

    it("no ownership controls", () => {
      expect(judge(rule, bucket)).toBe("non-compliant");
    });

    it("ownership controls of another bucket only", () => {
      expect(judge(rule, bucket, [otherBucket, ownership(tfRef("aws_s3_bucket", otherBucket.id, "id"), { object_ownership: "BucketOwnerEnforced" })])).toBe(
        "non-compliant",
      );
    });
  });

  describe("not applicable", () => {
    it("the ownership controls themselves", () => {
      expect(judge(rule, ownership(bucketRef, { object_ownership: "ObjectWriter" }), [bucket])).toBe("not-applicable");
    });
  });
});
