import { z } from "zod";
import { crossFieldRule, fail, strictObject, wholeNumber } from "../fields";

/** Which requests the web ACL logs. */
export const WAF_LOGGED_REQUESTS = ["blocked-and-counted", "all"] as const;

/** A rule name of a managed rule group, e.g. `SizeRestrictions_BODY`. */
const ruleName = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: "must be a rule name of the managed rule group, like SizeRestrictions_BODY" });

/** By group, as SiteWebAcl's SITE_MANAGED_RULE_GROUPS (a test keeps the keys equal). */
const countRules = strictObject({
  ipReputation: z.array(ruleName).default([]),
  knownBadInputs: z.array(ruleName).default([]),
  commonRuleSet: z.array(ruleName).default([]),
});

/** The same rule listed twice in one group is a typo (or a merge left over). */
const distinctCountRules = crossFieldRule(z.object({ countRules: z.record(z.string(), z.array(z.string())) }), (value, ctx) => {
  for (const [group, rules] of Object.entries(value.countRules)) {
    rules.forEach((rule, index) => {
      if (rules.indexOf(rule) !== index) fail(ctx, ["countRules", group, index], "is listed twice", rule);
    });
  }
});

/**
 * The web application firewall (AWS WAF) in front of the site's load balancer: the AWS managed
 * common rule set, known bad inputs and IP reputation list, and a rate-based rule per client IP.
 * See docs/dns-failover.md ("Web application firewall") for what each does and costs.
 */
export const waf = strictObject({
  /**
   * Requests one client IP may send in any 5-minute window; above it the rate-based rule blocks
   * that IP until its rate falls again. AWS WAF accepts 10 to 2,000,000,000. @default 2000
   */
  rateLimitPerFiveMinutes: wholeNumber(10, 2_000_000_000).default(2000),
  /**
   * Rules of the managed groups that only count instead of blocking, by group (a false positive of
   * the site, e.g. `SizeRestrictions_BODY` for large uploads). The group keeps blocking with its
   * other rules. @default { ipReputation: [], knownBadInputs: [], commonRuleSet: [] }
   */
  countRules: countRules.prefault({}),
  /**
   * `blocked-and-counted`: the WAF logs the requests a rule blocked or counted (the load balancer's
   * access logs hold every request); `all`: every request, at CloudWatch Logs' ingestion price.
   * @default "blocked-and-counted"
   */
  loggedRequests: z
    .enum(WAF_LOGGED_REQUESTS, { error: `must be one of ${WAF_LOGGED_REQUESTS.map((m) => JSON.stringify(m)).join(", ")}` })
    .default("blocked-and-counted"),
}).superRefine(...distinctCountRules);
