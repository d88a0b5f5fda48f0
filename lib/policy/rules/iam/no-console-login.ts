import { PolicyRule } from "../../rule";

export const NoConsoleLogin: PolicyRule = {
  id: "DR-IAM-2",
  description: "IAM users are for programs: no console password (aws_iam_user_login_profile).",
  fix: "Remove the login profile; people sign in through roles (SSO).",
  counterparts: { cdkNag: "-", checkov: "CKV_AWS_273 (partial: it refuses every IAM user) / CKV2_AWS_22" },
  evaluate(resource) {
    return resource.type === "aws_iam_user_login_profile" ? "non-compliant" : "not-applicable";
  },
};
