import { NoConsoleLogin } from "../../../../lib/policy/rules/iam/no-console-login";
import { describeRuleBasics, judge, policyDocument, resource, stackOf, tfRef } from "../../../support/policy";

const rule = NoConsoleLogin;
const user = resource("aws_iam_user", "backup-user_resource_A476D69B", { name: "acme-backups-us-east-1", force_destroy: false });
const userName = tfRef("aws_iam_user", user.id, "name");

describe("DR-IAM-2 no console login", () => {
  describeRuleBasics(rule, "DR-IAM-2");

  it("compliant: a program's user (user, access key, policy) has nothing the rule objects to", () => {
    const stack = stackOf([
      user,
      resource("aws_iam_access_key", "backup-user_key", { user: userName }),
      resource("aws_iam_user_policy", "backup-user_policy", {
        user: userName,
        policy: policyDocument({ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::x/*" }),
      }),
    ]);
    for (const r of stack.resources) expect(rule.evaluate(r, stack)).not.toBe("non-compliant");
  });

  it("non-compliant: a login profile (a console password)", () => {
    expect(judge(rule, resource("aws_iam_user_login_profile", "login", { user: userName, password_reset_required: true }), [user])).toBe("non-compliant");
  });

  it("non-compliant: a login profile for a user outside the stack", () => {
    expect(judge(rule, resource("aws_iam_user_login_profile", "login", { user: "someone" }))).toBe("non-compliant");
  });

  it("not applicable: users, access keys and roles", () => {
    expect(judge(rule, user)).toBe("not-applicable");
    expect(judge(rule, resource("aws_iam_access_key", "key", { user: userName }))).toBe("not-applicable");
    expect(judge(rule, resource("aws_iam_role", "role", { assume_role_policy: "{}" }))).toBe("not-applicable");
  });
});
