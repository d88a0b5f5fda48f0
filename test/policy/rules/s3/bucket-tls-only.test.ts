import { BucketTlsOnly } from "../../../../lib/policy/rules/s3/bucket-tls-only";
import { describeRuleBasics, judge, policyDocument, resource, tfRef } from "../../../support/policy";

const rule = BucketTlsOnly;
const bucket = resource("aws_s3_bucket", "assets_resource_C0A849BD", { bucket: "acme-assets-us-east-1" });
const otherBucket = resource("aws_s3_bucket", "archives_resource_11111111", { bucket: "acme-archives-us-east-1" });
const bucketRef = tfRef("aws_s3_bucket", bucket.id, "id");
const arn = tfRef("aws_s3_bucket", bucket.id, "arn");

/** The statement SecureBucket writes. */
const DENY_INSECURE = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [arn, `${arn}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

function bucketPolicy(target: string, policy: unknown) {
  return resource("aws_s3_bucket_policy", "assets_policy_3CB6735E", { bucket: target, policy });
}

function denyWith(overrides: Record<string, unknown>) {
  return bucketPolicy(bucketRef, policyDocument({ ...DENY_INSECURE, ...overrides }));
}

describe("DR-S3-4 bucket TLS only", () => {
  describeRuleBasics(rule, "DR-S3-4");

  describe("compliant", () => {
    it("the deny SecureBucket writes", () => {
      expect(judge(rule, bucket, [bucketPolicy(bucketRef, policyDocument(DENY_INSECURE))])).toBe("compliant");
    });

    it("the deny among other statements, the policy referencing the bucket's name", () => {
      const allow = { Sid: "Read", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `${arn}/*` };
      expect(judge(rule, bucket, [bucketPolicy(tfRef("aws_s3_bucket", bucket.id, "bucket"), policyDocument(allow, DENY_INSECURE))])).toBe("compliant");
    });

    it.each([
      ['Principal {AWS: "*"}', { Principal: { AWS: "*" } }],
      ['Principal {AWS: ["*"]}', { Principal: { AWS: ["*"] } }],
      ["Action as a list", { Action: ["s3:*"] }],
      ['Action "*" (denies more than s3:*)', { Action: "*" }],
      ["the condition value as a JSON boolean", { Condition: { Bool: { "aws:SecureTransport": false } } }],
    ])("variant: %s", (_name, overrides) => {
      expect(judge(rule, bucket, [denyWith(overrides)])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no bucket policy", () => {
      expect(judge(rule, bucket)).toBe("non-compliant");
    });

    it("an Allow instead of a Deny", () => {
      expect(judge(rule, bucket, [denyWith({ Effect: "Allow" })])).toBe("non-compliant");
    });

    it("a condition on another key", () => {
      expect(judge(rule, bucket, [denyWith({ Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } })])).toBe("non-compliant");
    });

    it("a condition that denies TLS requests (SecureTransport true)", () => {
      expect(judge(rule, bucket, [denyWith({ Condition: { Bool: { "aws:SecureTransport": "true" } } })])).toBe("non-compliant");
    });

    it("no condition at all", () => {
      expect(judge(rule, bucket, [denyWith({ Condition: undefined })])).toBe("non-compliant");
    });

    it("a deny of some actions only", () => {
      expect(judge(rule, bucket, [denyWith({ Action: ["s3:GetObject", "s3:PutObject"] })])).toBe("non-compliant");
    });

    it("a deny for one principal only", () => {
      expect(judge(rule, bucket, [denyWith({ Principal: { AWS: "arn:aws:iam::123456789012:root" } })])).toBe("non-compliant");
    });

    it("a policy that cannot be read at synth time", () => {
      expect(judge(rule, bucket, [bucketPolicy(bucketRef, "${data.aws_iam_policy_document.tls.json}")])).toBe("non-compliant");
    });

    it("the deny on another bucket only", () => {
      expect(judge(rule, bucket, [otherBucket, bucketPolicy(tfRef("aws_s3_bucket", otherBucket.id, "id"), policyDocument(DENY_INSECURE))])).toBe(
        "non-compliant",
      );
    });
  });

  describe("not applicable", () => {
    it("the bucket policy itself", () => {
      expect(judge(rule, bucketPolicy(bucketRef, policyDocument({ ...DENY_INSECURE, Effect: "Allow" })), [bucket])).toBe("not-applicable");
    });
  });
});
