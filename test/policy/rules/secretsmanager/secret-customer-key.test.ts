import { SecretCustomerKey } from "../../../../lib/policy/rules/secretsmanager/secret-customer-key";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = SecretCustomerKey;
const secret = (config: Record<string, unknown>) =>
  resource("aws_secretsmanager_secret", "broker_user-orders_secret_1A2B3C4D", { name: "acme/us-east-1/rabbitmq/orders", ...config });

describe("DR-SM-1 secrets encrypted with a customer-managed key", () => {
  describeRuleBasics(rule, "DR-SM-1");

  it("compliant: kms_key_id references a key of the stack", () => {
    expect(judge(rule, secret({ kms_key_id: tfRef("aws_kms_key", "data-key_resource_F48F470D", "arn") }))).toBe("compliant");
  });

  it("compliant: kms_key_id is a data source's key ARN (a recovery's key made in peacetime)", () => {
    expect(judge(rule, secret({ kms_key_id: "${data.aws_kms_alias.data-key.target_key_arn}" }))).toBe("compliant");
  });

  it("non-compliant: no kms_key_id (Secrets Manager uses aws/secretsmanager)", () => {
    expect(judge(rule, secret({}))).toBe("non-compliant");
    expect(judge(rule, secret({ kms_key_id: "" }))).toBe("non-compliant");
  });

  it("non-compliant: the AWS managed key named explicitly, by alias or alias ARN", () => {
    expect(judge(rule, secret({ kms_key_id: "alias/aws/secretsmanager" }))).toBe("non-compliant");
    expect(judge(rule, secret({ kms_key_id: "arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager" }))).toBe("non-compliant");
  });

  it("not applicable: a secret's version", () => {
    expect(judge(rule, resource("aws_secretsmanager_secret_version", "v", { secret_id: "x" }))).toBe("not-applicable");
  });
});
