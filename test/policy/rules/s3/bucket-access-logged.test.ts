import { BucketAccessLogged } from "../../../../lib/policy/rules/s3/bucket-access-logged";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BucketAccessLogged;
const bucket = resource("aws_s3_bucket", "assets_bucket_resource_C0A849BD", { bucket: "acme-assets-us-east-1" });
const logBucket = resource("aws_s3_bucket", "access-logs_bucket_resource_5F1D2A3B", { bucket: "acme-access-logs-us-east-1" });
const otherBucket = resource("aws_s3_bucket", "archives_resource_11111111", { bucket: "acme-archives-us-east-1" });

function logging(source: string, target: unknown, id = "assets_logging_8E3D7C21") {
  return resource("aws_s3_bucket_logging", id, { bucket: source, target_bucket: target, target_prefix: "acme-assets-us-east-1/" });
}
const intoLogBucket = logging(tfRef("aws_s3_bucket", bucket.id, "id"), tfRef("aws_s3_bucket", logBucket.id, "bucket"));

describe("DR-S3-6 bucket access logging", () => {
  describeRuleBasics(rule, "DR-S3-6");

  describe("compliant", () => {
    it("a bucket logging into a log bucket, by reference", () => {
      expect(judge(rule, bucket, [logBucket, intoLogBucket])).toBe("compliant");
    });

    it("a bucket logging into a log bucket named literally (another stack's)", () => {
      expect(judge(rule, bucket, [logging(tfRef("aws_s3_bucket", bucket.id, "bucket"), "acme-access-logs-us-east-1")])).toBe("compliant");
    });

    it("the log bucket itself, which receives the logs and does not log", () => {
      expect(judge(rule, logBucket, [bucket, intoLogBucket])).toBe("compliant");
    });

    it("the bucket a load balancer writes its access logs into (by reference or by name), which does not log itself", () => {
      const siteLogs = resource("aws_s3_bucket", "site-logs_bucket_resource_BC9DAD8C", { bucket: "acme-site-logs-us-east-1" });
      const lb = (bucketName: string, type = "aws_lb") =>
        resource(type, "site_resource_9634257A", { load_balancer_type: "application", access_logs: { enabled: true, bucket: bucketName, prefix: "site" } });
      expect(judge(rule, siteLogs, [lb(tfRef("aws_s3_bucket", siteLogs.id, "bucket"))])).toBe("compliant");
      expect(judge(rule, siteLogs, [lb("acme-site-logs-us-east-1", "aws_alb")])).toBe("compliant");
      // Blocks written as lists, as Terraform JSON allows.
      expect(judge(rule, siteLogs, [resource("aws_lb", "x", { access_logs: [{ enabled: true, bucket: tfRef("aws_s3_bucket", siteLogs.id, "id") }] })])).toBe(
        "compliant",
      );
      // Another bucket's load balancer logs do not make this one a log bucket.
      expect(judge(rule, siteLogs, [lb("acme-other-logs")])).toBe("non-compliant");
    });

    it("a log bucket addressed by its literal name", () => {
      expect(judge(rule, logBucket, [logging(tfRef("aws_s3_bucket", bucket.id, "id"), "acme-access-logs-us-east-1")])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no logging at all", () => {
      expect(judge(rule, bucket)).toBe("non-compliant");
    });

    it("only another bucket logs", () => {
      expect(
        judge(rule, bucket, [otherBucket, logging(tfRef("aws_s3_bucket", otherBucket.id, "id"), tfRef("aws_s3_bucket", logBucket.id, "bucket")), logBucket]),
      ).toBe("non-compliant");
    });

    it("a bucket logging into itself (by reference or by name)", () => {
      expect(judge(rule, bucket, [logging(tfRef("aws_s3_bucket", bucket.id, "id"), tfRef("aws_s3_bucket", bucket.id, "bucket"))])).toBe("non-compliant");
      expect(judge(rule, bucket, [logging(tfRef("aws_s3_bucket", bucket.id, "id"), "acme-assets-us-east-1")])).toBe("non-compliant");
    });

    it("a log bucket that also logs into itself", () => {
      const selfLogging = logging(tfRef("aws_s3_bucket", logBucket.id, "id"), tfRef("aws_s3_bucket", logBucket.id, "bucket"), "access-logs_logging_1");
      expect(judge(rule, logBucket, [bucket, intoLogBucket, selfLogging])).toBe("non-compliant");
    });

    it("a logging resource without a target", () => {
      expect(judge(rule, bucket, [logging(tfRef("aws_s3_bucket", bucket.id, "id"), undefined)])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("the logging resource itself", () => {
      expect(judge(rule, intoLogBucket, [bucket, logBucket])).toBe("not-applicable");
    });
  });
});
