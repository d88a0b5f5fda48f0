import { EnhancedMonitoring } from "../../../../lib/policy/rules/rds/enhanced-monitoring";
import { dbInstance, describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = EnhancedMonitoring;
const ROLE = tfRef("aws_iam_role", "monitoring-role_resource_338F9C18", "arn");

describe("DR-RDS-6 enhanced monitoring", () => {
  describeRuleBasics(rule, "DR-RDS-6");

  it.each([1, 5, 10, 15, 30, 60])("compliant: every %i seconds with a role", (interval) => {
    expect(judge(rule, dbInstance({ monitoring_interval: interval, monitoring_role_arn: ROLE }))).toBe("compliant");
  });

  it("compliant: a role named by ARN (a recovery's, made in peacetime)", () => {
    expect(judge(rule, dbInstance({ monitoring_interval: 60, monitoring_role_arn: "arn:aws:iam::123456789012:role/acme-rds-monitoring-us-east-2" }))).toBe(
      "compliant",
    );
  });

  it("non-compliant: unset or 0 (off)", () => {
    expect(judge(rule, dbInstance())).toBe("non-compliant");
    expect(judge(rule, dbInstance({ monitoring_interval: 0, monitoring_role_arn: ROLE }))).toBe("non-compliant");
  });

  it("non-compliant: an interval RDS does not accept", () => {
    expect(judge(rule, dbInstance({ monitoring_interval: 120, monitoring_role_arn: ROLE }))).toBe("non-compliant");
  });

  it("non-compliant: an interval without a role", () => {
    expect(judge(rule, dbInstance({ monitoring_interval: 60 }))).toBe("non-compliant");
    expect(judge(rule, dbInstance({ monitoring_interval: 60, monitoring_role_arn: "" }))).toBe("non-compliant");
  });

  it("not applicable: other database resources", () => {
    expect(judge(rule, resource("aws_db_parameter_group", "p", { family: "postgres16" }))).toBe("not-applicable");
  });
});
