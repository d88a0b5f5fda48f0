import { SiteWebAcl, type SiteWebAclProps } from "../../lib/constructs/site-web-acl";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

const LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/acme-us-east-1-site/50dc6c495c0c9188";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/logs";
const LOGGING: SiteWebAclProps["logging"] = {
  logGroupName: "aws-waf-logs-acme-us-east-1",
  retentionDays: 365,
  kmsKeyArn: KEY,
  resourcePolicyName: "acme-waf-logs-us-east-1",
  accountId: "123456789012",
  region: "us-east-1",
};

function build(props: Partial<SiteWebAclProps> = {}) {
  const stack = testStack();
  const acl = new SiteWebAcl(stack, "web-acl", { name: "acme-us-east-1-site", loadBalancerArn: LB, logging: LOGGING, ...props });
  return { acl, json: synthJson(stack) };
}

const visibility = (metric: string) => ({ cloudwatch_metrics_enabled: true, metric_name: `acme-us-east-1-site-${metric}`, sampled_requests_enabled: true });
const managed = (name: string, group: string, priority: number, overrides?: unknown) => ({
  name,
  priority,
  override_action: { none: {} },
  statement: { managed_rule_group_statement: { vendor_name: "AWS", name: group, ...(overrides ? { rule_action_override: overrides } : {}) } },
  visibility_config: visibility(name),
});

describe("SiteWebAcl", () => {
  const { json, acl } = build();
  const webAcl = onlyResource(json, "aws_wafv2_web_acl");
  const group = onlyResource(json, "aws_cloudwatch_log_group");

  it("allows what no rule blocks: IP reputation, a rate limit per IP, known bad inputs, then the core rule set", () => {
    expect(webAcl.config).toEqual({
      name: "acme-us-east-1-site",
      description: "Site load balancer: AWS managed rules (IP reputation, known bad inputs, core rule set) and a rate limit per client IP",
      scope: "REGIONAL",
      default_action: { allow: {} },
      rule: [
        managed("ip-reputation", "AWSManagedRulesAmazonIpReputationList", 0),
        {
          name: "rate-limit",
          priority: 1,
          action: { block: {} },
          statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 } },
          visibility_config: visibility("rate-limit"),
        },
        managed("known-bad-inputs", "AWSManagedRulesKnownBadInputsRuleSet", 2),
        managed("common-rule-set", "AWSManagedRulesCommonRuleSet", 3),
      ],
      visibility_config: visibility("all"),
    });
    expect([acl.rateLimitPerFiveMinutes, acl.loggedRequests]).toEqual([2000, "blocked-and-counted"]);
  });

  it("protects the given load balancer", () => {
    expect(onlyResource(json, "aws_wafv2_web_acl_association").config).toEqual({ resource_arn: LB, web_acl_arn: ref("aws_wafv2_web_acl", webAcl.id, "arn") });
  });

  it("logs into its own encrypted log group, kept for the given days", () => {
    expect(group.config).toEqual({ name: "aws-waf-logs-acme-us-east-1", retention_in_days: 365, kms_key_id: KEY });
  });

  it("lets AWS WAF's log delivery write into that group only, for this account", () => {
    const policy = onlyResource(json, "aws_cloudwatch_log_resource_policy").config;
    expect(policy.policy_name).toBe("acme-waf-logs-us-east-1");
    expect(JSON.parse(policy.policy_document)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AwsWafLogDelivery",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-acme-us-east-1:log-stream:*",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" } },
        },
      ],
    });
  });

  it("logs the requests a rule blocked or counted, without the Authorization and Cookie headers, once the delivery is admitted", () => {
    expect(onlyResource(json, "aws_wafv2_web_acl_logging_configuration").config).toEqual({
      resource_arn: ref("aws_wafv2_web_acl", webAcl.id, "arn"),
      log_destination_configs: [ref("aws_cloudwatch_log_group", group.id, "arn")],
      redacted_fields: [{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }],
      logging_filter: {
        default_behavior: "DROP",
        filter: [
          {
            behavior: "KEEP",
            requirement: "MEETS_ANY",
            condition: [
              { action_condition: { action: "BLOCK" } },
              { action_condition: { action: "COUNT" } },
              { action_condition: { action: "EXCLUDED_AS_COUNT" } },
            ],
          },
        ],
      },
      depends_on: [`aws_cloudwatch_log_resource_policy.${onlyResource(json, "aws_cloudwatch_log_resource_policy").id}`],
    });
  });

  it("logs every request when asked", () => {
    const all = onlyResource(build({ logging: { ...LOGGING, loggedRequests: "all" } }).json, "aws_wafv2_web_acl_logging_configuration").config;
    expect(all.logging_filter).toBeUndefined();
    expect(all.redacted_fields).toHaveLength(2);
  });

  it("takes a rate limit, and counts the named rules of a group while the group keeps blocking with the rest", () => {
    const rules = onlyResource(
      build({ rateLimitPerFiveMinutes: 300, countRules: { commonRuleSet: ["SizeRestrictions_BODY", "CrossSiteScripting_BODY"], ipReputation: [] } }).json,
      "aws_wafv2_web_acl",
    ).config.rule;
    expect(rules[1].statement.rate_based_statement.limit).toBe(300);
    expect(rules[0]).toEqual(managed("ip-reputation", "AWSManagedRulesAmazonIpReputationList", 0));
    expect(rules[3]).toEqual(
      managed("common-rule-set", "AWSManagedRulesCommonRuleSet", 3, [
        { name: "SizeRestrictions_BODY", action_to_use: { count: {} } },
        { name: "CrossSiteScripting_BODY", action_to_use: { count: {} } },
      ]),
    );
  });

  it("refuses a bad name, rate limit, counted rule, log group and retention, with every problem at once", () => {
    expect(() =>
      build({
        name: "acme site",
        rateLimitPerFiveMinutes: 9,
        countRules: { commonRuleSet: ["a b"], botControl: ["x"] } as never,
        logging: { ...LOGGING, logGroupName: "/aws/waf/acme", retentionDays: 0 },
      }),
    ).toThrow(
      [
        'SiteWebAcl: name must be 1-128 letters, digits, _ or - (got "acme site")',
        "rateLimitPerFiveMinutes must be a whole number from 10 to 2000000000 (got 9)",
        'countRules.commonRuleSet: not a rule name (got "a b")',
        "countRules.botControl: not a managed rule group of the site (ipReputation, knownBadInputs, commonRuleSet)",
        'logging.logGroupName must start with aws-waf-logs- (AWS WAF logs nowhere else; got "/aws/waf/acme")',
        "logging.retentionDays must be a whole number >= 1 (got 0)",
      ].join("; "),
    );
    expect(() => build({ rateLimitPerFiveMinutes: 2_000_000_001 })).toThrow(
      "rateLimitPerFiveMinutes must be a whole number from 10 to 2000000000 (got 2000000001)",
    );
    expect(() => build({ rateLimitPerFiveMinutes: 10 })).not.toThrow();
  });
});
