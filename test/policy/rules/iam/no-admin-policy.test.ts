import { NoAdminPolicy } from "../../../../lib/policy/rules/iam/no-admin-policy";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = NoAdminPolicy;
const ADMIN = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"].map((name) => `arn:aws:iam::aws:policy/${name}`);
/** Attachment type and the field naming the principal. */
const ATTACHMENTS: [string, Record<string, unknown>][] = [
  ["aws_iam_role_policy_attachment", { role: "${aws_iam_role.r.name}" }],
  ["aws_iam_user_policy_attachment", { user: "${aws_iam_user.u.name}" }],
  ["aws_iam_group_policy_attachment", { group: "${aws_iam_group.g.name}" }],
  ["aws_iam_policy_attachment", { name: "shared", roles: ["${aws_iam_role.r.name}"] }],
];
const EXCLUSIVE: [string, Record<string, unknown>][] = [
  ["aws_iam_role_policy_attachments_exclusive", { role_name: "${aws_iam_role.r.name}" }],
  ["aws_iam_user_policy_attachments_exclusive", { user_name: "${aws_iam_user.u.name}" }],
  ["aws_iam_group_policy_attachments_exclusive", { group_name: "${aws_iam_group.g.name}" }],
];

function attachment(type: string, principal: Record<string, unknown>, policyArn: string) {
  return resource(type, "attachment", { ...principal, policy_arn: policyArn });
}

describe("DR-IAM-3 no administrator policy", () => {
  describeRuleBasics(rule, "DR-IAM-3");

  describe("compliant", () => {
    it.each(ATTACHMENTS)("%s of a scoped AWS managed policy", (type, principal) => {
      expect(judge(rule, attachment(type, principal, "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"))).toBe("compliant");
    });

    it.each(ATTACHMENTS)("%s of a policy of the stack", (type, principal) => {
      expect(judge(rule, attachment(type, principal, tfRef("aws_iam_policy", "assets-management-policy_resource_1E6FD22F", "arn")))).toBe("compliant");
    });

    it("a customer policy that happens to be called AdministratorAccess is not AWS's", () => {
      expect(judge(rule, attachment(...ATTACHMENTS[0], "arn:aws:iam::123456789012:policy/AdministratorAccess"))).toBe("compliant");
    });

    it.each(EXCLUSIVE)("%s of scoped policies", (type, principal) => {
      expect(judge(rule, resource(type, "exclusive", { ...principal, policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }))).toBe("compliant");
    });

    it("a role whose managed_policy_arns are scoped", () => {
      expect(
        judge(rule, resource("aws_iam_role", "role", { assume_role_policy: "{}", managed_policy_arns: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"] })),
      ).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    const cases = ATTACHMENTS.flatMap(([type, principal]) => ADMIN.map((arn) => [type, principal, arn] as const));
    it.each(cases)("%s of %s", (type, principal, arn) => {
      expect(judge(rule, attachment(type, principal, arn))).toBe("non-compliant");
    });

    it.each(["arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "arn:aws-cn:iam::aws:policy/PowerUserAccess"])("another partition's %s", (arn) => {
      expect(judge(rule, attachment(...ATTACHMENTS[0], arn))).toBe("non-compliant");
    });

    it.each(EXCLUSIVE)("%s listing an administrator policy", (type, principal) => {
      expect(judge(rule, resource(type, "exclusive", { ...principal, policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN[0]] }))).toBe(
        "non-compliant",
      );
    });

    it("a role with AdministratorAccess in managed_policy_arns", () => {
      expect(judge(rule, resource("aws_iam_role", "role", { assume_role_policy: "{}", managed_policy_arns: [ADMIN[0]] }))).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("a role without managed_policy_arns, and identity policies", () => {
      expect(judge(rule, resource("aws_iam_role", "role", { assume_role_policy: "{}" }))).toBe("not-applicable");
      expect(judge(rule, resource("aws_iam_policy", "policy", { policy: "{}", name: "AdministratorAccess" }))).toBe("not-applicable");
    });
  });
});
