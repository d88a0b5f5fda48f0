import { NotPublic } from "../../../../lib/policy/rules/rds/not-public";
import { dbInstance, describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = NotPublic;

describe("DR-RDS-4 database not public", () => {
  describeRuleBasics(rule, "DR-RDS-4");

  it("compliant: publicly_accessible false", () => {
    expect(judge(rule, dbInstance())).toBe("compliant");
  });

  it("compliant: publicly_accessible unset (Terraform's default is false)", () => {
    expect(judge(rule, dbInstance({ publicly_accessible: undefined }))).toBe("compliant");
  });

  it("non-compliant: publicly_accessible true", () => {
    expect(judge(rule, dbInstance({ publicly_accessible: true }))).toBe("non-compliant");
  });

  it("non-compliant: a value that is not a literal false", () => {
    expect(judge(rule, dbInstance({ publicly_accessible: "${var.public}" }))).toBe("non-compliant");
  });

  it("not applicable: a public broker is DR-MQ-1's", () => {
    expect(judge(rule, resource("aws_mq_broker", "broker", { publicly_accessible: true }))).toBe("not-applicable");
  });
});
