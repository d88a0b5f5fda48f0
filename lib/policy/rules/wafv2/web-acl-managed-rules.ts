import { asList, firstBlock, PolicyRule, reference, type SynthesizedResource } from "../../rule";

/** The AWS managed rule groups every web ACL runs, blocking: OWASP classes, known bad inputs (Log4j), known bad addresses. */
export const REQUIRED_MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
] as const;

/** A rule's statement as Terraform JSON has it (a block: an object or a one-element list). */
function statementOf(rule: Record<string, any>): Record<string, any> | undefined {
  return firstBlock(rule.statement);
}

/** The managed group a rule runs with its own actions (override_action none), if any. */
function blockingManagedGroup(rule: Record<string, any>): string | undefined {
  const group = firstBlock(statementOf(rule)?.managed_rule_group_statement);
  if (group?.vendor_name !== "AWS" || typeof group.name !== "string") return undefined;
  // override_action count turns every rule of the group into a count: nothing is blocked.
  return firstBlock(rule.override_action)?.none !== undefined ? group.name : undefined;
}

/** A rate-based rule that blocks. */
function isBlockingRateRule(rule: Record<string, any>): boolean {
  const rate = firstBlock(statementOf(rule)?.rate_based_statement);
  return typeof rate?.limit === "number" && firstBlock(rule.action)?.block !== undefined;
}

/** A logging configuration of `acl` in the stack with a destination. */
function isLogged(acl: SynthesizedResource, resources: readonly SynthesizedResource[]): boolean {
  const arn = reference(acl, "arn");
  return resources.some(
    (r) =>
      r.type === "aws_wafv2_web_acl_logging_configuration" &&
      r.config.resource_arn === arn &&
      asList<unknown>(r.config.log_destination_configs).some((d) => typeof d === "string" && d !== ""),
  );
}

export const WebAclManagedRules: PolicyRule = {
  id: "DR-WAF-2",
  description: `Every web ACL blocks with the AWS managed rule groups ${REQUIRED_MANAGED_RULE_GROUPS.join(", ")} (override_action none) and a rate-based rule, and logs (an aws_wafv2_web_acl_logging_configuration of it with a destination).`,
  fix: "Create the web ACL with SiteWebAcl; to quiet a false positive, count that one rule (waf.countRules in the environment file), never the whole group.",
  counterparts: { checkov: "CKV_AWS_175 / CKV_AWS_192 / CKV_AWS_342 / CKV2_AWS_31 / CKV2_AWS_76" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_wafv2_web_acl") return "not-applicable";
    const rules = asList<Record<string, any>>(resource.config.rule).filter((r) => r && typeof r === "object");
    const groups = new Set(rules.map(blockingManagedGroup).filter((g): g is string => g !== undefined));
    if (!REQUIRED_MANAGED_RULE_GROUPS.every((group) => groups.has(group))) return "non-compliant";
    if (!rules.some(isBlockingRateRule)) return "non-compliant";
    return isLogged(resource, stack.resources) ? "compliant" : "non-compliant";
  },
};
