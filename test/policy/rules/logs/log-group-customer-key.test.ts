import { LogGroupCustomerKey } from "../../../../lib/policy/rules/logs/log-group-customer-key";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = LogGroupCustomerKey;
const group = (config: Record<string, unknown>) =>
  resource("aws_cloudwatch_log_group", "logs", { name: "/aws/vpc/acme-us-east-1/flow-logs", retention_in_days: 90, ...config });

describe("DR-LOGS-1 log groups encrypted with a customer-managed key", () => {
  describeRuleBasics(rule, "DR-LOGS-1");

  it("compliant: kms_key_id set", () => {
    expect(judge(rule, group({ kms_key_id: tfRef("aws_kms_key", "logs-key_resource_1", "arn") }))).toBe("compliant");
  });

  it("non-compliant: no kms_key_id, or an empty one", () => {
    expect(judge(rule, group({}))).toBe("non-compliant");
    expect(judge(rule, group({ kms_key_id: "" }))).toBe("non-compliant");
  });

  it("not applicable: other CloudWatch Logs resources", () => {
    expect(judge(rule, resource("aws_cloudwatch_log_resource_policy", "p", { policy_name: "x", policy_document: "{}" }))).toBe("not-applicable");
  });
});
