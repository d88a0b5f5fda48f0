import { asList, PolicyRule } from "../../rule";

/** AWS managed policies that amount to administration, in any partition (aws, aws-cn, aws-us-gov). */
const ADMIN = /^arn:aws(-[a-z-]+)?:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const ATTACHMENTS = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"];
const EXCLUSIVE_ATTACHMENTS = [
  "aws_iam_role_policy_attachments_exclusive",
  "aws_iam_user_policy_attachments_exclusive",
  "aws_iam_group_policy_attachments_exclusive",
];

export const NoAdminPolicy: PolicyRule = {
  id: "DR-IAM-3",
  description: "No role, user or group gets an administrator managed policy.",
  fix: "Attach a policy with the permissions the principal needs.",
  counterparts: { cdkNag: "AwsSolutions-IAM4", checkov: "CKV_AWS_274 / CKV_AWS_275 / CKV2_AWS_56" },
  evaluate(resource) {
    let arns: unknown[];
    if (ATTACHMENTS.includes(resource.type)) arns = [resource.config.policy_arn];
    else if (EXCLUSIVE_ATTACHMENTS.includes(resource.type)) arns = asList(resource.config.policy_arns);
    else if (resource.type === "aws_iam_role" && resource.config.managed_policy_arns !== undefined) arns = asList(resource.config.managed_policy_arns);
    else return "not-applicable";
    return arns.some((arn) => typeof arn === "string" && ADMIN.test(arn)) ? "non-compliant" : "compliant";
  },
};
