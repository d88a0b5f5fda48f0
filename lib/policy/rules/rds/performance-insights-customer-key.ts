import { PolicyRule } from "../../rule";

export const PerformanceInsightsCustomerKey: PolicyRule = {
  id: "DR-RDS-7",
  description: "Performance Insights, where enabled, is encrypted with a customer-managed KMS key (its data holds query text).",
  fix: "Set performance_insights_kms_key_id to the environment's data key (PostgresDatabase's kmsKeyArn). RDS cannot change the key of an instance whose Performance Insights is already on: turn it off and on again with the key.",
  counterparts: { checkov: "CKV_AWS_354" },
  evaluate(resource) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    if (resource.config.performance_insights_enabled !== true) return "not-applicable";
    const key = resource.config.performance_insights_kms_key_id;
    return typeof key === "string" && key !== "" ? "compliant" : "non-compliant";
  },
};
