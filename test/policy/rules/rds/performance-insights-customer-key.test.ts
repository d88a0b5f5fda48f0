import { PerformanceInsightsCustomerKey } from "../../../../lib/policy/rules/rds/performance-insights-customer-key";
import { dbInstance, describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = PerformanceInsightsCustomerKey;
const KEY = tfRef("aws_kms_key", "data-key_resource_F48F470D", "arn");

describe("DR-RDS-7 Performance Insights encrypted with a customer-managed key", () => {
  describeRuleBasics(rule, "DR-RDS-7");

  it("compliant: enabled with a key", () => {
    expect(judge(rule, dbInstance({ performance_insights_enabled: true, performance_insights_kms_key_id: KEY }))).toBe("compliant");
  });

  it("non-compliant: enabled without a key (RDS uses aws/rds)", () => {
    expect(judge(rule, dbInstance({ performance_insights_enabled: true }))).toBe("non-compliant");
    expect(judge(rule, dbInstance({ performance_insights_enabled: true, performance_insights_kms_key_id: "" }))).toBe("non-compliant");
  });

  it("not applicable: Performance Insights off or unset (nothing to encrypt)", () => {
    expect(judge(rule, dbInstance())).toBe("not-applicable");
    expect(judge(rule, dbInstance({ performance_insights_enabled: false, performance_insights_kms_key_id: KEY }))).toBe("not-applicable");
  });

  it("not applicable: other database resources", () => {
    expect(judge(rule, resource("aws_db_subnet_group", "g", { subnet_ids: [] }))).toBe("not-applicable");
  });
});
