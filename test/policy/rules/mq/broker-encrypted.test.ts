import { BrokerEncrypted } from "../../../../lib/policy/rules/mq/broker-encrypted";
import { describeRuleBasics, judge, mqBroker, resource } from "../../../support/policy";

const rule = BrokerEncrypted;

describe("DR-MQ-2 broker encrypted", () => {
  describeRuleBasics(rule, "DR-MQ-2");

  describe("compliant", () => {
    it("an AWS-owned key (what RabbitMqBroker sets)", () => {
      expect(judge(rule, mqBroker())).toBe("compliant");
    });

    it("encryption_options as a list", () => {
      expect(judge(rule, mqBroker({ encryption_options: [{ use_aws_owned_key: true }] }))).toBe("compliant");
    });

    it("a customer KMS key", () => {
      expect(judge(rule, mqBroker({ encryption_options: { use_aws_owned_key: false, kms_key_id: "${aws_kms_key.mq.arn}" } }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no encryption_options", () => {
      expect(judge(rule, mqBroker({ encryption_options: undefined }))).toBe("non-compliant");
    });

    it("empty encryption_options", () => {
      expect(judge(rule, mqBroker({ encryption_options: {} }))).toBe("non-compliant");
    });

    it("use_aws_owned_key false without a key", () => {
      expect(judge(rule, mqBroker({ encryption_options: { use_aws_owned_key: false } }))).toBe("non-compliant");
    });
  });

  it("not applicable: broker configurations", () => {
    expect(judge(rule, resource("aws_mq_configuration", "conf", { engine_type: "RabbitMQ", data: "" }))).toBe("not-applicable");
  });
});
