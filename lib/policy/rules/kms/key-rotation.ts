import { PolicyRule } from "../../rule";

export const KeyRotation: PolicyRule = {
  id: "DR-KMS-1",
  description: "Customer-managed symmetric KMS keys rotate yearly.",
  fix: "Set enable_key_rotation = true.",
  counterparts: { cdkNag: "AwsSolutions-KMS5", checkov: "CKV_AWS_7" },
  evaluate(resource) {
    if (resource.type !== "aws_kms_key") return "not-applicable";
    // KMS rotates only symmetric encryption keys outside custom key stores; asymmetric and HMAC
    // keys, and keys in a CloudHSM or external key store, refuse enable_key_rotation.
    const spec = resource.config.customer_master_key_spec;
    if ((spec !== undefined && spec !== "SYMMETRIC_DEFAULT") || resource.config.custom_key_store_id !== undefined) return "not-applicable";
    return resource.config.enable_key_rotation === true ? "compliant" : "non-compliant";
  },
};
