import { asList, policyStatements, PolicyRule } from "../../rule";

const IDENTITY_POLICIES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/**
 * Identity policies only: the policy resources above and a role's inline_policy blocks. Key
 * policies (aws_kms_key.policy) are resource policies whose `"Resource": "*"` means "this key":
 * the account-root statement there is AWS's documented default. Trust policies
 * (assume_role_policy) are not checked either.
 */
/**
 * Named EC2 and Elastic Load Balancing Describe actions, and the named actions below: the Service
 * Authorization Reference lists no resource type for them, so `*` is the only resource they
 * accept (the readiness check reads the services' catalogues with them; PutMetricData is scoped
 * by its namespace condition instead). A wildcard (`ec2:Describe*`) still fails: each must be
 * spelled out.
 */
const UNSCOPABLE_READ = /^(ec2|elasticloadbalancing):Describe[A-Z][A-Za-z]+$/;
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  "cloudwatch:PutMetricData",
  "ecr:DescribePullThroughCacheRules",
  "ecr:ValidatePullThroughCacheRule",
  "eks:DescribeAddonVersions",
  "eks:DescribeClusterVersions",
  "mq:DescribeBrokerEngineTypes",
  "mq:DescribeBrokerInstanceOptions",
  "rds:DescribeDBEngineVersions",
  "rds:DescribeOrderableDBInstanceOptions",
];

function isUnscopableRead(action: unknown): boolean {
  return typeof action === "string" && (UNSCOPABLE_READ.test(action) || UNSCOPABLE_ACTIONS.includes(action));
}

export const NoWildcardPermissions: PolicyRule = {
  id: "DR-IAM-1",
  description:
    "Identity policies allow no `*` action (or `service:*`) and no `*` resource, except for named actions that accept no other resource (EC2 and ELB Describe actions, the catalogue reads of EKS, RDS, Amazon MQ and ECR, CloudWatch PutMetricData).",
  fix: "Name the actions and the resource ARNs the principal needs.",
  counterparts: { cdkNag: "AwsSolutions-IAM5", checkov: "CKV_AWS_290 / CKV_AWS_355 / CKV_AWS_62 / CKV_AWS_63 / CKV2_AWS_40" },
  evaluate(resource) {
    let documents: unknown[];
    if (IDENTITY_POLICIES.includes(resource.type)) documents = [resource.config.policy];
    else if (resource.type === "aws_iam_role")
      documents = asList<any>(resource.config.inline_policy)
        .filter((p) => p?.policy !== undefined)
        .map((p) => p.policy);
    else return "not-applicable";
    if (documents.length === 0) return "not-applicable";
    for (const document of documents) {
      const statements = policyStatements(document);
      if (statements === undefined) return "non-compliant";
      const wide = statements.some(
        (s) =>
          s.Effect === "Allow" &&
          (asList(s.Action).some((a) => a === "*" || (typeof a === "string" && a.endsWith(":*"))) ||
            (asList(s.Resource).includes("*") && !asList(s.Action).every(isUnscopableRead))),
      );
      if (wide) return "non-compliant";
    }
    return "compliant";
  },
};
