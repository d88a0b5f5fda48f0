import { LogGroupRetention } from "../../../../lib/policy/rules/logs/log-group-retention";
import { describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = LogGroupRetention;
const group = (fields: Record<string, unknown>) =>
  resource("aws_cloudwatch_log_group", "vpc_flow-logs_log-group_7A0B3C1D", { name: "/aws/vpc/acme-us-east-1/flow-logs", ...fields });

describe("DR-LOGS-2 log group retention", () => {
  describeRuleBasics(rule, "DR-LOGS-2");

  it.each([365, 400, 731, 3653])("compliant: %i days", (days) => {
    expect(judge(rule, group({ retention_in_days: days }))).toBe("compliant");
  });

  it.each([1, 90, 180, 364])("non-compliant: %i days, under a year", (days) => {
    expect(judge(rule, group({ retention_in_days: days }))).toBe("non-compliant");
  });

  it("non-compliant: never expire, unset or 0", () => {
    expect(judge(rule, group({}))).toBe("non-compliant");
    expect(judge(rule, group({ retention_in_days: 0 }))).toBe("non-compliant");
  });

  it("non-compliant: a value the rule cannot read (a variable)", () => {
    expect(judge(rule, group({ retention_in_days: "${var.days}" }))).toBe("non-compliant");
  });

  it("not applicable: other resources", () => {
    expect(judge(rule, resource("aws_cloudwatch_log_resource_policy", "p", { policy_name: "x" }))).toBe("not-applicable");
  });
});
