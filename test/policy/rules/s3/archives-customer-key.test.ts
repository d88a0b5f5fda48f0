import { ArchivesCustomerKey } from "../../../../lib/policy/rules/s3/archives-customer-key";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = ArchivesCustomerKey;
const archives = resource("aws_s3_bucket", "hosting-services_bucket_resource_4C1B2A90", {
  bucket: "acme-hosting-services-us-east-1",
  tags: { DataClass: "database-archives" },
});
const assets = resource("aws_s3_bucket", "assets_bucket_resource_C0A849BD", { bucket: "acme-assets-us-east-1" });
const KEY = tfRef("aws_kms_key", "archive-key_resource_1A2B3C4D", "arn");

function encryption(rule: unknown, target = tfRef("aws_s3_bucket", archives.id, "id")) {
  return resource("aws_s3_bucket_server_side_encryption_configuration", "hosting-services_bucket_encryption_5E6F7A8B", { bucket: target, rule });
}
const kms = (key: unknown = KEY, bucketKey: unknown = true) => [
  { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: bucketKey },
];

describe("DR-S3-8 archives on a customer-managed key", () => {
  describeRuleBasics(rule, "DR-S3-8");

  describe("compliant", () => {
    it("SSE-KMS with a customer-managed key and a bucket key", () => {
      expect(judge(rule, archives, [encryption(kms())])).toBe("compliant");
    });

    it("a key ARN written out, blocks as lists, the bucket addressed by name", () => {
      const rules = [
        {
          apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:us-east-2:123456789012:key/1234" }],
          bucket_key_enabled: true,
        },
      ];
      expect(judge(rule, archives, [encryption(rules, "acme-hosting-services-us-east-1")])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no default encryption, or SSE-S3", () => {
      expect(judge(rule, archives)).toBe("non-compliant");
      expect(judge(rule, archives, [encryption([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }])])).toBe("non-compliant");
    });

    it("SSE-KMS with the AWS managed key (no key id, or aws/s3 named)", () => {
      expect(judge(rule, archives, [encryption([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true }])])).toBe(
        "non-compliant",
      );
      for (const key of ["alias/aws/s3", "arn:aws:kms:us-east-2:123456789012:alias/aws/s3", "aws/s3", ""]) {
        expect([key, judge(rule, archives, [encryption(kms(key))])]).toEqual([key, "non-compliant"]);
      }
    });

    it("no bucket key (one KMS call per object)", () => {
      expect(judge(rule, archives, [encryption(kms(KEY, false))])).toBe("non-compliant");
      expect(judge(rule, archives, [encryption([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY } }])])).toBe(
        "non-compliant",
      );
    });

    it("dual-layer SSE-KMS is not this rule's algorithm", () => {
      expect(
        judge(rule, archives, [
          encryption([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms:dsse", kms_master_key_id: KEY }, bucket_key_enabled: true }]),
        ]),
      ).toBe("non-compliant");
    });

    it("the encryption of another bucket only", () => {
      expect(judge(rule, archives, [assets, encryption(kms(), tfRef("aws_s3_bucket", assets.id, "id"))])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("a bucket not tagged as holding archives", () => {
      expect(
        judge(rule, assets, [encryption([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }], tfRef("aws_s3_bucket", assets.id, "id"))]),
      ).toBe("not-applicable");
      expect(judge(rule, resource("aws_s3_bucket", "x", { bucket: "x", tags: { DataClass: "assets" } }))).toBe("not-applicable");
    });
  });
});
