import { asList, policyStatements, PolicyRule } from "../../rule";

const IDENTITY_POLICIES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/**
 * Identity policies only. Key policies (aws_kms_key.policy) are resource policies whose
 * `"Resource": "*"` means "this key": the account-root statement there is AWS's documented default.
 */
export const NoWildcardPermissions: PolicyRule = {
  id: "DR-IAM-1",
  description: "Identity policies allow no `*` action (or `service:*`) and no `*` resource.",
  fix: "Name the actions and the resource ARNs the principal needs.",
  counterparts: { cdkNag: "AwsSolutions-IAM5", checkov: "CKV_AWS_290 / CKV_AWS_355" },
  evaluate(resource) {
    if (!IDENTITY_POLICIES.includes(resource.type)) return "not-applicable";
    const statements = policyStatements(resource.config.policy);
    if (statements === undefined) return "non-compliant";
    const wide = statements.some(
      (s) => s.Effect === "Allow" && (asList(s.Action).some((a: string) => a === "*" || a.endsWith(":*")) || asList(s.Resource).includes("*")),
    );
    return wide ? "non-compliant" : "compliant";
  },
};
