import { ArchivesObjectLocked } from "../../../../lib/policy/rules/s3/archives-object-locked";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = ArchivesObjectLocked;
const archives = resource("aws_s3_bucket", "hosting-services_bucket_resource_4C1B2A90", {
  bucket: "acme-hosting-services-us-east-1",
  object_lock_enabled: true,
  tags: { DataClass: "database-archives" },
});
const untagged = resource("aws_s3_bucket", "assets_bucket_resource_C0A849BD", { bucket: "acme-assets-us-east-1" });
const ref = tfRef("aws_s3_bucket", archives.id, "id");

function lock(target: string, rule: unknown, extra: Record<string, unknown> = {}) {
  return resource("aws_s3_bucket_object_lock_configuration", "hosting-services_object-lock_0D2E4F6A", { bucket: target, rule, ...extra });
}

describe("DR-S3-7 archives object-locked", () => {
  describeRuleBasics(rule, "DR-S3-7");

  describe("compliant", () => {
    it.each(["GOVERNANCE", "COMPLIANCE"])("a default retention in %s mode, in days", (mode) => {
      expect(judge(rule, archives, [lock(ref, { default_retention: { mode, days: 90 } })])).toBe("compliant");
    });

    it("a default retention in years, blocks written as lists, addressed by name", () => {
      expect(judge(rule, archives, [lock("acme-hosting-services-us-east-1", [{ default_retention: [{ mode: "COMPLIANCE", years: 1 }] }])])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no Object Lock configuration", () => {
      expect(judge(rule, archives)).toBe("non-compliant");
    });

    it("Object Lock enabled without a default retention", () => {
      expect(judge(rule, archives, [lock(ref, undefined, { object_lock_enabled: "Enabled" })])).toBe("non-compliant");
    });

    it("an unknown mode or a zero retention", () => {
      expect(judge(rule, archives, [lock(ref, { default_retention: { mode: "governance", days: 90 } })])).toBe("non-compliant");
      expect(judge(rule, archives, [lock(ref, { default_retention: { mode: "GOVERNANCE", days: 0 } })])).toBe("non-compliant");
      expect(judge(rule, archives, [lock(ref, { default_retention: { mode: "GOVERNANCE" } })])).toBe("non-compliant");
    });

    it("a configuration that disables Object Lock", () => {
      expect(judge(rule, archives, [lock(ref, { default_retention: { mode: "GOVERNANCE", days: 90 } }, { object_lock_enabled: "Disabled" })])).toBe(
        "non-compliant",
      );
    });

    it("the lock of another bucket only", () => {
      expect(judge(rule, archives, [untagged, lock(tfRef("aws_s3_bucket", untagged.id, "id"), { default_retention: { mode: "GOVERNANCE", days: 90 } })])).toBe(
        "non-compliant",
      );
    });
  });

  describe("not applicable", () => {
    it("a bucket not tagged as holding archives", () => {
      expect(judge(rule, untagged)).toBe("not-applicable");
      expect(judge(rule, resource("aws_s3_bucket", "x", { bucket: "x", tags: { DataClass: "assets" } }))).toBe("not-applicable");
    });
  });
});
