import { NoWildcardPermissions, UNSCOPABLE_ACTIONS } from "../../../../lib/policy/rules/iam/no-wildcard-permissions";
import { describeRuleBasics, judge, policyDocument, resource, tfRef } from "../../../support/policy";

const rule = NoWildcardPermissions;
const bucketArn = tfRef("aws_s3_bucket", "hosting-services_bucket_resource_333C05A6", "arn");
const IDENTITY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/** What BackupUser's policy grants: named actions on named ARNs. */
const NARROW = [
  { Sid: "ListObjectsInBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
  { Sid: "ObjectActions", Effect: "Allow", Action: "s3:PutObject", Resource: [`${bucketArn}/*`] },
];

function identityPolicy(policy: unknown, type = "aws_iam_user_policy") {
  return resource(type, "backup-user_policy_7F0729E1", {
    name: "upload-database-archives",
    policy,
    user: "${aws_iam_user.backup-user_resource_A476D69B.name}",
  });
}

function allowing(overrides: Record<string, unknown>) {
  return identityPolicy(policyDocument({ Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/*`, ...overrides }));
}

function roleWithInline(...policies: unknown[]) {
  return resource("aws_iam_role", "role", {
    assume_role_policy: policyDocument({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
    inline_policy: policies.map((policy, i) => ({ name: `inline-${i}`, policy })),
  });
}

describe("DR-IAM-1 no wildcard permissions", () => {
  describeRuleBasics(rule, "DR-IAM-1");

  describe("named EC2 and ELB Describe actions on * (they accept no other resource)", () => {
    it("are compliant: the load balancer controller's Describe statement", () => {
      expect(judge(rule, allowing({ Action: ["ec2:DescribeSubnets", "elasticloadbalancing:DescribeTargetHealth"], Resource: "*" }))).toBe("compliant");
    });
    it("are compliant: the readiness check's catalogue reads and metric (named actions that take no resource)", () => {
      expect(judge(rule, allowing({ Action: [...UNSCOPABLE_ACTIONS], Resource: "*" }))).toBe("compliant");
      expect(UNSCOPABLE_ACTIONS).toEqual([
        "cloudwatch:PutMetricData",
        "ecr:DescribePullThroughCacheRules",
        "ecr:ValidatePullThroughCacheRule",
        "eks:DescribeAddonVersions",
        "eks:DescribeClusterVersions",
        "mq:DescribeBrokerEngineTypes",
        "mq:DescribeBrokerInstanceOptions",
        "rds:DescribeDBEngineVersions",
        "rds:DescribeOrderableDBInstanceOptions",
      ]);
    });
    it("are non-compliant as a wildcard, beside a write, or for another service", () => {
      for (const Action of [
        ["ec2:Describe*"],
        ["ec2:DescribeSubnets", "elasticloadbalancing:RegisterTargets"],
        ["s3:DescribeJob"],
        ["iam:DescribeSomething"],
        ["rds:DescribeDBEngineVersions", "rds:DescribeDBInstances"],
        ["eks:Describe*"],
        ["cloudwatch:PutMetricData", "cloudwatch:PutMetricAlarm"],
      ]) {
        expect({ Action, verdict: judge(rule, allowing({ Action, Resource: "*" })) }).toEqual({ Action, verdict: "non-compliant" });
      }
    });
  });

  describe("compliant", () => {
    it.each(IDENTITY_TYPES)("%s with named actions on named resources", (type) => {
      expect(judge(rule, identityPolicy(policyDocument(...NARROW), type))).toBe("compliant");
    });

    it("a single Statement object rather than a list", () => {
      expect(judge(rule, identityPolicy(JSON.stringify({ Version: "2012-10-17", Statement: NARROW[1] })))).toBe("compliant");
    });

    it("wildcards in a Deny statement (they narrow, not widen)", () => {
      expect(
        judge(
          rule,
          identityPolicy(policyDocument(...NARROW, { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } })),
        ),
      ).toBe("compliant");
    });

    it("a role whose inline policies are narrow", () => {
      expect(judge(rule, roleWithInline(policyDocument(...NARROW)))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it('Action "*"', () => {
      expect(judge(rule, allowing({ Action: "*" }))).toBe("non-compliant");
    });

    it('Action "s3:*"', () => {
      expect(judge(rule, allowing({ Action: "s3:*" }))).toBe("non-compliant");
    });

    it('a service wildcard inside an Action list ("kms:*")', () => {
      expect(judge(rule, allowing({ Action: ["kms:Decrypt", "kms:*"] }))).toBe("non-compliant");
    });

    it('Resource "*"', () => {
      expect(judge(rule, allowing({ Resource: "*" }))).toBe("non-compliant");
    });

    it('"*" inside a Resource list', () => {
      expect(judge(rule, allowing({ Resource: [`${bucketArn}/*`, "*"] }))).toBe("non-compliant");
    });

    it("one wide statement among narrow ones", () => {
      expect(judge(rule, identityPolicy(policyDocument(...NARROW, { Effect: "Allow", Action: "s3:*", Resource: bucketArn })))).toBe("non-compliant");
    });

    it.each([
      ["a data source reference", "${data.aws_iam_policy_document.backup.json}"],
      ["a jsonencode() expression", '${jsonencode({"Statement": []})}'],
      ["text that is not JSON", "not a policy"],
      ["no policy at all", undefined],
    ])("an unparsable policy: %s", (_name, policy) => {
      expect(judge(rule, identityPolicy(policy))).toBe("non-compliant");
    });

    it.each([
      ["no Statement", JSON.stringify({ Version: "2012-10-17" })],
      ["an empty Statement list", policyDocument()],
      ["a Statement that is not an object", JSON.stringify({ Version: "2012-10-17", Statement: ["Allow *"] })],
      ["JSON null", "null"],
    ])("a policy without statements to judge: %s", (_name, policy) => {
      expect(judge(rule, identityPolicy(policy))).toBe("non-compliant");
    });

    it("a role's inline policy with a wildcard", () => {
      expect(judge(rule, roleWithInline(policyDocument(...NARROW), policyDocument({ Effect: "Allow", Action: "*", Resource: "*" })))).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it('a KMS key policy (a resource policy: Resource "*" means this key)', () => {
      const key = resource("aws_kms_key", "sops-key_resource_13301319", {
        enable_key_rotation: true,
        policy: policyDocument({
          Sid: "AccountAdministers",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        }),
      });
      expect(judge(rule, key)).toBe("not-applicable");
    });

    it("a bucket policy", () => {
      expect(
        judge(
          rule,
          resource("aws_s3_bucket_policy", "p", { bucket: "x", policy: policyDocument({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }) }),
        ),
      ).toBe("not-applicable");
    });

    it("a role with a trust policy only", () => {
      expect(
        judge(
          rule,
          resource("aws_iam_role", "role", {
            assume_role_policy: policyDocument({ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }),
          }),
        ),
      ).toBe("not-applicable");
    });
  });
});
