import { PolicyRule } from "../../rule";

const ADMIN = ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"];
const ATTACHMENTS = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"];

export const NoAdminPolicy: PolicyRule = {
  id: "DR-IAM-3",
  description: "No role, user or group gets an administrator managed policy.",
  fix: "Attach a policy with the permissions the principal needs.",
  counterparts: { cdkNag: "AwsSolutions-IAM4", checkov: "CKV_AWS_274" },
  evaluate(resource) {
    if (!ATTACHMENTS.includes(resource.type)) return "not-applicable";
    return ADMIN.includes(resource.config.policy_arn) ? "non-compliant" : "compliant";
  },
};
