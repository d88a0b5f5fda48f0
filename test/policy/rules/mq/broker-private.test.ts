import { BrokerPrivate } from "../../../../lib/policy/rules/mq/broker-private";
import { describeRuleBasics, judge, mqBroker, resource } from "../../../support/policy";

const rule = BrokerPrivate;

describe("DR-MQ-1 broker private", () => {
  describeRuleBasics(rule, "DR-MQ-1");

  it("compliant: publicly_accessible false", () => {
    expect(judge(rule, mqBroker())).toBe("compliant");
  });

  it("compliant: publicly_accessible unset (Terraform's default is false)", () => {
    expect(judge(rule, mqBroker({ publicly_accessible: undefined }))).toBe("compliant");
  });

  it("non-compliant: publicly_accessible true", () => {
    expect(judge(rule, mqBroker({ publicly_accessible: true }))).toBe("non-compliant");
  });

  it("non-compliant: a value that is not a literal false", () => {
    expect(judge(rule, mqBroker({ publicly_accessible: "${var.public}" }))).toBe("non-compliant");
  });

  it("not applicable: a public database is DR-RDS-4's", () => {
    expect(judge(rule, resource("aws_db_instance", "db", { publicly_accessible: true }))).toBe("not-applicable");
  });
});
