import { WebAclManagedRules } from "../../../../lib/policy/rules/wafv2/web-acl-managed-rules";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = WebAclManagedRules;
const ACL_ID = "web-acl_resource_533DC83B";

const managed = (name: string, priority: number, override: Record<string, unknown> = { none: {} }, vendor = "AWS") => ({
  name,
  priority,
  override_action: override,
  statement: { managed_rule_group_statement: { name, vendor_name: vendor } },
  visibility_config: { cloudwatch_metrics_enabled: true, metric_name: name, sampled_requests_enabled: true },
});
const rate = (action: unknown = { block: {} }) => ({
  name: "rate-limit",
  priority: 1,
  action,
  statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 } },
  visibility_config: { cloudwatch_metrics_enabled: true, metric_name: "rate-limit", sampled_requests_enabled: true },
});
const IP = managed("AWSManagedRulesAmazonIpReputationList", 0);
const BAD = managed("AWSManagedRulesKnownBadInputsRuleSet", 2);
const COMMON = managed("AWSManagedRulesCommonRuleSet", 3);

const acl = (rules: unknown) =>
  resource("aws_wafv2_web_acl", ACL_ID, { name: "acme-us-east-1-site", scope: "REGIONAL", default_action: { allow: {} }, rule: rules });
const logging = (destinations: unknown = [tfRef("aws_cloudwatch_log_group", "web-acl_log-group_64640BE7", "arn")], aclId = ACL_ID) =>
  resource("aws_wafv2_web_acl_logging_configuration", "web-acl_logging_D7451C0C", {
    resource_arn: tfRef("aws_wafv2_web_acl", aclId, "arn"),
    log_destination_configs: destinations,
  });
const SITE = acl([IP, rate(), BAD, COMMON]);

describe("DR-WAF-2 web ACL with the managed rule groups, a rate limit and logs", () => {
  describeRuleBasics(rule, "DR-WAF-2");

  describe("compliant", () => {
    it("the three groups with their own actions, a blocking rate rule, and a logging configuration", () => {
      expect(judge(rule, SITE, [logging()])).toBe("compliant");
    });

    it("in any order, with blocks written as lists, a group counting single rules, and more rules besides", () => {
      const counting = {
        ...COMMON,
        statement: [
          {
            managed_rule_group_statement: [
              {
                name: "AWSManagedRulesCommonRuleSet",
                vendor_name: "AWS",
                rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }],
              },
            ],
          },
        ],
        override_action: [{ none: [{}] }],
      };
      const geo = { name: "geo", priority: 9, action: { block: {} }, statement: { geo_match_statement: { country_codes: ["XX"] } } };
      expect(judge(rule, acl([geo, counting, BAD, rate([{ block: [{}] }]), IP]), [logging()])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it.each([
      ["the common rule set", [IP, rate(), BAD]],
      ["the known bad inputs", [IP, rate(), COMMON]],
      ["the IP reputation list", [rate(), BAD, COMMON]],
    ])("without %s", (_what, rules) => {
      expect(judge(rule, acl(rules), [logging()])).toBe("non-compliant");
    });

    it("a group whose override_action counts (the whole group blocks nothing), or is missing", () => {
      expect(judge(rule, acl([IP, rate(), BAD, managed("AWSManagedRulesCommonRuleSet", 3, { count: {} })]), [logging()])).toBe("non-compliant");
      expect(judge(rule, acl([IP, rate(), BAD, { ...COMMON, override_action: undefined }]), [logging()])).toBe("non-compliant");
    });

    it("a group of the same name from another vendor", () => {
      expect(judge(rule, acl([IP, rate(), BAD, managed("AWSManagedRulesCommonRuleSet", 3, { none: {} }, "Acme")]), [logging()])).toBe("non-compliant");
    });

    it("no rate-based rule, or one that only counts", () => {
      expect(judge(rule, acl([IP, BAD, COMMON]), [logging()])).toBe("non-compliant");
      expect(judge(rule, acl([IP, rate({ count: {} }), BAD, COMMON]), [logging()])).toBe("non-compliant");
    });

    it("no rules at all", () => {
      expect(judge(rule, acl(undefined), [logging()])).toBe("non-compliant");
    });

    it("no logging configuration, one of another web ACL, or one without a destination", () => {
      expect(judge(rule, SITE)).toBe("non-compliant");
      expect(judge(rule, SITE, [logging(undefined, "other_acl_11111111")])).toBe("non-compliant");
      expect(judge(rule, SITE, [logging([])])).toBe("non-compliant");
      expect(judge(rule, SITE, [logging([""])])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("resources other than a web ACL (its association and logging configuration included)", () => {
      expect(judge(rule, logging())).toBe("not-applicable");
      expect(judge(rule, resource("aws_wafv2_web_acl_association", "a", { web_acl_arn: tfRef("aws_wafv2_web_acl", ACL_ID, "arn") }))).toBe("not-applicable");
    });
  });
});
