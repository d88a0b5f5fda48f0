import { BucketVersioned } from "../../../../lib/policy/rules/s3/bucket-versioned";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BucketVersioned;
const bucket = resource("aws_s3_bucket", "assets_resource_C0A849BD", { bucket: "acme-assets-us-east-1" });
const otherBucket = resource("aws_s3_bucket", "archives_resource_11111111", { bucket: "acme-archives-us-east-1" });
const bucketRef = tfRef("aws_s3_bucket", bucket.id, "id");

function versioning(target: string, configuration: unknown) {
  return resource("aws_s3_bucket_versioning", "assets_versioning_C643F964", { bucket: target, versioning_configuration: configuration });
}

describe("DR-S3-3 bucket versioning", () => {
  describeRuleBasics(rule, "DR-S3-3");

  describe("compliant", () => {
    it("versioning Enabled", () => {
      expect(judge(rule, bucket, [versioning(bucketRef, { status: "Enabled" })])).toBe("compliant");
    });

    it("versioning_configuration as a list, referencing the bucket's name", () => {
      expect(judge(rule, bucket, [versioning(tfRef("aws_s3_bucket", bucket.id, "bucket"), [{ status: "Enabled" }])])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it.each(["Suspended", "Disabled", "enabled"])("status %s", (status) => {
      expect(judge(rule, bucket, [versioning(bucketRef, { status })])).toBe("non-compliant");
    });

    it("no versioning resource", () => {
      expect(judge(rule, bucket)).toBe("non-compliant");
    });

    it("a versioning resource without configuration", () => {
      expect(judge(rule, bucket, [versioning(bucketRef, undefined)])).toBe("non-compliant");
    });

    it("versioning of another bucket only", () => {
      expect(judge(rule, bucket, [otherBucket, versioning(tfRef("aws_s3_bucket", otherBucket.id, "id"), { status: "Enabled" })])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("the versioning resource itself", () => {
      expect(judge(rule, versioning(bucketRef, { status: "Suspended" }), [bucket])).toBe("not-applicable");
    });
  });
});
