import { Construct } from "constructs";
import { Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { logGroupArn, WAF_LOG_GROUP_PREFIX } from "../naming";
import { policyDocument } from "./private/iam";

/**
 * The AWS managed rule groups every site web ACL runs (no subscription fee: AWS WAF's baseline
 * and IP reputation groups), by the key the environment file's `waf.countRules` uses.
 */
export const SITE_MANAGED_RULE_GROUPS = {
  ipReputation: "AWSManagedRulesAmazonIpReputationList",
  knownBadInputs: "AWSManagedRulesKnownBadInputsRuleSet",
  commonRuleSet: "AWSManagedRulesCommonRuleSet",
} as const;
export type SiteManagedRuleGroup = keyof typeof SITE_MANAGED_RULE_GROUPS;

/** Which requests the web ACL logs. */
export type WebAclLoggedRequests = "blocked-and-counted" | "all";

/** Request headers never written to the WAF log: credentials and sessions. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

export interface SiteWebAclProps {
  /** Web ACL name, also its metrics' prefix (`siteNames().webAcl`). */
  readonly name: string;
  /** The load balancer the web ACL protects (regional scope: an ALB of the stack's region). */
  readonly loadBalancerArn: string;
  /**
   * Requests one client IP may send in any 5-minute window before the rate-based rule blocks it.
   * @default 2000
   */
  readonly rateLimitPerFiveMinutes?: number;
  /**
   * Rules of the managed groups that count instead of block (false positives of the site).
   * @default - every rule of every group blocks
   */
  readonly countRules?: Partial<Record<SiteManagedRuleGroup, readonly string[]>>;
  /** The web ACL's log: a CloudWatch Logs group in the stack's region, encrypted with a key that admits it. */
  readonly logging: {
    /** Log group name; AWS WAF logs only into one named `aws-waf-logs-...`. */
    readonly logGroupName: string;
    readonly retentionDays: number;
    /** A LogsKey of this region whose policy names the group. */
    readonly kmsKeyArn: string;
    /** Name of the CloudWatch Logs resource policy that admits AWS WAF's log delivery (10 per region). */
    readonly resourcePolicyName: string;
    readonly accountId: string;
    readonly region: string;
    /**
     * `blocked-and-counted` keeps the requests a rule blocked or counted; `all` every request.
     * @default "blocked-and-counted"
     */
    readonly loggedRequests?: WebAclLoggedRequests;
  };
}

/**
 * The site's web application firewall (AWS WAF, regional) in front of its load balancer, allowing
 * what no rule blocks, with, in this order: the AWS IP reputation list (addresses AWS threat
 * intelligence saw attacking), a rate-based rule per client IP, the known bad inputs (Log4j JNDI
 * lookups, Spring4Shell, ...) and the core rule set (OWASP Top 10 classes). 927 of the 1,500 WCUs a
 * web ACL may use without extra charge. Its log is a KMS-encrypted CloudWatch Logs group with a
 * retention, written through AWS WAF's log delivery (resource policy limited to this group and
 * account), with the Authorization and Cookie headers redacted.
 */
export class SiteWebAcl extends Construct {
  public readonly resource: Wafv2WebAcl;
  public readonly webAclArn: string;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly loggingConfiguration: Wafv2WebAclLoggingConfiguration;
  public readonly association: Wafv2WebAclAssociation;
  public readonly rateLimitPerFiveMinutes: number;
  public readonly loggedRequests: WebAclLoggedRequests;

  constructor(scope: Construct, id: string, props: SiteWebAclProps) {
    super(scope, id);
    this.rateLimitPerFiveMinutes = props.rateLimitPerFiveMinutes ?? 2000;
    this.loggedRequests = props.logging.loggedRequests ?? "blocked-and-counted";
    const { logging } = props;
    const problems: string[] = [];
    if (!/^[\w-]{1,128}$/.test(props.name)) problems.push(`name must be 1-128 letters, digits, _ or - (got ${JSON.stringify(props.name)})`);
    const limit = this.rateLimitPerFiveMinutes;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000)
      problems.push(`rateLimitPerFiveMinutes must be a whole number from 10 to 2000000000 (got ${limit})`);
    for (const [group, rules] of Object.entries(props.countRules ?? {})) {
      if (!(group in SITE_MANAGED_RULE_GROUPS))
        problems.push(`countRules.${group}: not a managed rule group of the site (${Object.keys(SITE_MANAGED_RULE_GROUPS).join(", ")})`);
      for (const rule of rules ?? [])
        if (!/^[A-Za-z0-9_-]{1,128}$/.test(rule)) problems.push(`countRules.${group}: not a rule name (got ${JSON.stringify(rule)})`);
    }
    if (!Token.isUnresolved(logging.logGroupName) && !logging.logGroupName.startsWith(WAF_LOG_GROUP_PREFIX))
      problems.push(`logging.logGroupName must start with ${WAF_LOG_GROUP_PREFIX} (AWS WAF logs nowhere else; got ${JSON.stringify(logging.logGroupName)})`);
    if (!Number.isInteger(logging.retentionDays) || logging.retentionDays < 1)
      problems.push(`logging.retentionDays must be a whole number >= 1 (got ${logging.retentionDays})`);
    if (problems.length > 0) throw new Error(`SiteWebAcl: ${problems.join("; ")}`);

    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${props.name}-${metric}`, sampledRequestsEnabled: true });
    const managed = (priority: number, group: SiteManagedRuleGroup, metric: string): Wafv2WebAclRule => {
      const counted = props.countRules?.[group] ?? [];
      return {
        name: metric,
        priority,
        // The group's own actions (block) stand; `count` here would turn the whole group off.
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: "AWS",
            name: SITE_MANAGED_RULE_GROUPS[group],
            ...(counted.length > 0 ? { rule_action_override: counted.map((rule) => ({ name: rule, action_to_use: { count: {} } })) } : {}),
          },
        },
        visibilityConfig: visibility(metric),
      };
    };
    this.resource = new Wafv2WebAcl(this, "resource", {
      name: props.name,
      description: "Site load balancer: AWS managed rules (IP reputation, known bad inputs, core rule set) and a rate limit per client IP",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [
        managed(0, "ipReputation", "ip-reputation"),
        {
          name: "rate-limit",
          priority: 1,
          action: { block: {} },
          statement: { rate_based_statement: { limit, aggregate_key_type: "IP", evaluation_window_sec: 300 } },
          visibilityConfig: visibility("rate-limit"),
        },
        managed(2, "knownBadInputs", "known-bad-inputs"),
        managed(3, "commonRuleSet", "common-rule-set"),
      ],
      visibilityConfig: visibility("all"),
    });
    this.webAclArn = this.resource.arn;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logging.logGroupName,
      retentionInDays: logging.retentionDays,
      kmsKeyId: logging.kmsKeyArn,
    });
    const groupArn = logGroupArn(logging.region, logging.accountId, logging.logGroupName);
    // AWS WAF writes through the vended-logs delivery service (AWS WAF Developer Guide, "CloudWatch
    // Logs"), here for this group and account only.
    const delivery = new CloudwatchLogResourcePolicy(this, "resource-policy", {
      policyName: logging.resourcePolicyName,
      policyDocument: policyDocument({
        Sid: "AwsWafLogDelivery",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${groupArn}:log-stream:*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": logging.accountId },
          ArnLike: { "aws:SourceArn": `arn:aws:logs:${logging.region}:${logging.accountId}:*` },
        },
      }),
    });
    this.loggingConfiguration = new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.resource.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
      loggingFilter:
        this.loggedRequests === "all"
          ? undefined
          : {
              defaultBehavior: "DROP",
              filter: [
                {
                  behavior: "KEEP",
                  requirement: "MEETS_ANY",
                  condition: ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"].map((action) => ({ actionCondition: { action } })),
                },
              ],
            },
      dependsOn: [delivery],
    });
    this.association = new Wafv2WebAclAssociation(this, "association", { resourceArn: props.loadBalancerArn, webAclArn: this.resource.arn });
  }
}
