import { PolicyRule } from "../../rule";

/** What the AWS managed key of Secrets Manager can be named as. */
const AWS_MANAGED = /(^|:)alias\/aws\/secretsmanager$/;

export const SecretCustomerKey: PolicyRule = {
  id: "DR-SM-1",
  description: "Secrets Manager secrets are encrypted with a customer-managed KMS key, not the AWS managed aws/secretsmanager.",
  fix: "Set kms_key_id to the environment's data key (RabbitMqBroker's secretsKmsKeyArn, GeneratedSecret's kmsKeyArn).",
  counterparts: { checkov: "CKV_AWS_149" },
  evaluate(resource) {
    if (resource.type !== "aws_secretsmanager_secret") return "not-applicable";
    const key = resource.config.kms_key_id;
    return typeof key === "string" && key !== "" && !AWS_MANAGED.test(key) ? "compliant" : "non-compliant";
  },
};
