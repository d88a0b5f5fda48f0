import { PolicyRule } from "../../rule";

export const KeyRotation: PolicyRule = {
  id: "DR-KMS-1",
  description: "Customer-managed KMS keys rotate yearly.",
  fix: "Set enable_key_rotation = true.",
  counterparts: { cdkNag: "AwsSolutions-KMS5", checkov: "CKV_AWS_7" },
  evaluate(resource) {
    if (resource.type !== "aws_kms_key") return "not-applicable";
    return resource.config.enable_key_rotation === true ? "compliant" : "non-compliant";
  },
};
