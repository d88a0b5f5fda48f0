import { KeyRotation } from "../../../../lib/policy/rules/kms/key-rotation";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = KeyRotation;

function key(overrides: Record<string, unknown> = {}) {
  return resource("aws_kms_key", "cluster_secrets-key_1ED7DE39", {
    deletion_window_in_days: 30,
    description: "EKS acme-us-east-1: envelope encryption of Kubernetes secrets",
    enable_key_rotation: true,
    lifecycle: { prevent_destroy: true },
    ...overrides,
  });
}

describe("DR-KMS-1 key rotation", () => {
  describeRuleBasics(rule, "DR-KMS-1");

  describe("compliant", () => {
    it("enable_key_rotation true", () => {
      expect(judge(rule, key())).toBe("compliant");
    });

    it("a multi-Region symmetric key with rotation (the SOPS key)", () => {
      expect(judge(rule, key({ multi_region: true, customer_master_key_spec: "SYMMETRIC_DEFAULT" }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("enable_key_rotation false", () => {
      expect(judge(rule, key({ enable_key_rotation: false }))).toBe("non-compliant");
    });

    it("enable_key_rotation unset (Terraform's default is false)", () => {
      const { enable_key_rotation: _unset, ...config } = key().config;
      expect(judge(rule, resource("aws_kms_key", "k", config))).toBe("non-compliant");
    });

    it("a symmetric key named explicitly, without rotation", () => {
      expect(judge(rule, key({ customer_master_key_spec: "SYMMETRIC_DEFAULT", enable_key_rotation: false }))).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it.each(["RSA_2048", "ECC_NIST_P256", "HMAC_256"])("a %s key (KMS cannot rotate it)", (spec) => {
      expect(judge(rule, key({ customer_master_key_spec: spec, enable_key_rotation: false }))).toBe("not-applicable");
    });

    it("a key in a custom key store (KMS cannot rotate it)", () => {
      expect(judge(rule, key({ custom_key_store_id: "cks-1234567890abcdef0", enable_key_rotation: false }))).toBe("not-applicable");
    });

    it("a replica key (it rotates with its primary) and an alias", () => {
      const replica = resource("aws_kms_replica_key", "sops-key_replica_6F4958E6", {
        primary_key_arn: tfRef("aws_kms_key", "sops-key_resource_13301319", "arn"),
      });
      expect(judge(rule, replica)).toBe("not-applicable");
      expect(judge(rule, resource("aws_kms_alias", "alias", { name: "alias/sops", target_key_id: "${aws_kms_key.k.key_id}" }))).toBe("not-applicable");
    });
  });
});
