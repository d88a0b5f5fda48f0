import { PolicyRule } from "../../rule";

export const LogGroupCustomerKey: PolicyRule = {
  id: "DR-LOGS-1",
  description: "CloudWatch Logs groups are encrypted with a customer-managed KMS key.",
  fix: "Set kms_key_id to a LogsKey whose policy admits the group (VpcFlowLogs' kmsKeyArn, EksCluster's logsKmsKeyArn, ZoneQueryLogging makes its own).",
  counterparts: { checkov: "CKV_AWS_158" },
  evaluate(resource) {
    if (resource.type !== "aws_cloudwatch_log_group") return "not-applicable";
    const key = resource.config.kms_key_id;
    return typeof key === "string" && key !== "" ? "compliant" : "non-compliant";
  },
};
