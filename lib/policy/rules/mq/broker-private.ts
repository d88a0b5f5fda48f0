import { PolicyRule } from "../../rule";

export const BrokerPrivate: PolicyRule = {
  id: "DR-MQ-1",
  description: "Message brokers are not publicly accessible.",
  fix: "Set publicly_accessible = false and put the broker in private subnets.",
  counterparts: { cdkNag: "-", checkov: "CKV_AWS_69" },
  evaluate(resource) {
    if (resource.type !== "aws_mq_broker") return "not-applicable";
    // publicly_accessible defaults to false: unset means private.
    const publiclyAccessible = resource.config.publicly_accessible;
    return publiclyAccessible === undefined || publiclyAccessible === false ? "compliant" : "non-compliant";
  },
};
