import { firstBlock, PolicyRule } from "../../rule";

export const BrokerEncrypted: PolicyRule = {
  id: "DR-MQ-2",
  description: "Message brokers state their encryption at rest (AWS-owned key for RabbitMQ, or a KMS key).",
  fix: "Set encryption_options (RabbitMqBroker sets use_aws_owned_key).",
  counterparts: { cdkNag: "-", checkov: "CKV_AWS_209 (partial: it wants a customer-managed key)" },
  evaluate(resource) {
    if (resource.type !== "aws_mq_broker") return "not-applicable";
    const options = firstBlock(resource.config.encryption_options);
    return options && (options.use_aws_owned_key === true || typeof options.kms_key_id === "string") ? "compliant" : "non-compliant";
  },
};
