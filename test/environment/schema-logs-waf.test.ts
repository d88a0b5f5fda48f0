import { SITE_MANAGED_RULE_GROUPS } from "../../lib/constructs/site-web-acl";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-1.ts";
const CLOUDWATCH_RETENTIONS = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";

/** The problem lines the loader would print for this input. */
/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

describe("EnvironmentSchema: logRetention", () => {
  it("keeps every kind of log a year by default, in both roles", () => {
    for (const input of [primaryInput(), recoveryInput()]) {
      expect(environment(input).logRetention).toEqual({
        vpcFlowLogsDays: 365,
        eksControlPlaneDays: 365,
        dnsQueryLogsDays: 365,
        databaseDays: 365,
        wafDays: 365,
        readinessCheckDays: 365,
        siteAccessLogsDays: 365,
        s3AccessLogsDays: 365,
      });
    }
  });

  it("takes each log type's days on its own", () => {
    const env = environment(primaryInput({ logRetention: { vpcFlowLogsDays: 731, wafDays: 400, siteAccessLogsDays: 90 } }));
    expect(env.logRetention).toEqual({
      vpcFlowLogsDays: 731,
      eksControlPlaneDays: 365,
      dnsQueryLogsDays: 365,
      databaseDays: 365,
      wafDays: 400,
      readinessCheckDays: 365,
      siteAccessLogsDays: 90,
      s3AccessLogsDays: 365,
    });
  });

  it.each(["vpcFlowLogsDays", "eksControlPlaneDays", "dnsQueryLogsDays", "databaseDays", "wafDays", "readinessCheckDays"])(
    "%s must be a retention CloudWatch Logs accepts",
    (field) => {
      expect(problems(primaryInput({ logRetention: { [field]: 10 } }))).toEqual([
        `${FILE}: logRetention.${field}: must be one of the retention periods CloudWatch Logs accepts: ${CLOUDWATCH_RETENTIONS} (got 10)`,
      ]);
    },
  );

  it.each(["siteAccessLogsDays", "s3AccessLogsDays"])("%s must be a whole number of days from 1 to 3653 (an S3 lifecycle)", (field) => {
    for (const days of [0, 3654, 1.5]) {
      expect(problems(primaryInput({ logRetention: { [field]: days } }))).toEqual([
        `${FILE}: logRetention.${field}: must be a whole number from 1 to 3653 (got ${days})`,
      ]);
    }
    expect(problems(primaryInput({ logRetention: { [field]: 1 } }))).toEqual([]);
    expect(problems(primaryInput({ logRetention: { [field]: 3653 } }))).toEqual([]);
  });

  it("refuses unknown fields, listing the allowed ones", () => {
    expect(problems(primaryInput({ logRetention: { flowLogsDays: 365 } }))).toEqual([
      `${FILE}: logRetention.flowLogsDays: unknown field; allowed fields: vpcFlowLogsDays, eksControlPlaneDays, dnsQueryLogsDays, databaseDays, wafDays, readinessCheckDays, siteAccessLogsDays, s3AccessLogsDays (got 365)`,
    ]);
  });

  it("must be an object", () => {
    expect(problems(primaryInput({ logRetention: 365 }))).toEqual([`${FILE}: logRetention: must be an object (got 365)`]);
  });
});

describe("EnvironmentSchema: waf", () => {
  const withWaf = (waf: unknown) => primaryInput({ waf });

  it("blocks above 2000 requests per client IP in 5 minutes, counts no rule and logs what it blocked or counted, by default", () => {
    expect(environment(primaryInput()).waf).toEqual({
      rateLimitPerFiveMinutes: 2000,
      countRules: { ipReputation: [], knownBadInputs: [], commonRuleSet: [] },
      loggedRequests: "blocked-and-counted",
    });
  });

  it("keys countRules by the web ACL's managed rule groups", () => {
    expect(Object.keys(environment(primaryInput()).waf.countRules).sort()).toEqual(Object.keys(SITE_MANAGED_RULE_GROUPS).sort());
  });

  it("takes a rate limit, rules to count and what to log", () => {
    const { waf } = environment(withWaf({ rateLimitPerFiveMinutes: 500, countRules: { commonRuleSet: ["SizeRestrictions_BODY"] }, loggedRequests: "all" }));
    expect(waf).toEqual({
      rateLimitPerFiveMinutes: 500,
      countRules: { ipReputation: [], knownBadInputs: [], commonRuleSet: ["SizeRestrictions_BODY"] },
      loggedRequests: "all",
    });
  });

  it("rateLimitPerFiveMinutes must be a whole number AWS WAF accepts (10 to 2,000,000,000)", () => {
    for (const limit of [9, 2_000_000_001, 100.5]) {
      expect(problems(withWaf({ rateLimitPerFiveMinutes: limit }))).toEqual([
        `${FILE}: waf.rateLimitPerFiveMinutes: must be a whole number from 10 to 2000000000 (got ${limit})`,
      ]);
    }
    expect(problems(withWaf({ rateLimitPerFiveMinutes: 10 }))).toEqual([]);
    expect(problems(withWaf({ rateLimitPerFiveMinutes: 2_000_000_000 }))).toEqual([]);
  });

  it("countRules takes rule names, once each, of the known groups only", () => {
    expect(problems(withWaf({ countRules: { commonRuleSet: ["Size Restrictions"] } }))).toEqual([
      `${FILE}: waf.countRules.commonRuleSet[0]: must be a rule name of the managed rule group, like SizeRestrictions_BODY (got "Size Restrictions")`,
    ]);
    expect(problems(withWaf({ countRules: { knownBadInputs: ["Log4JRCE_HEADER", "Host_localhost_HEADER", "Log4JRCE_HEADER"] } }))).toEqual([
      `${FILE}: waf.countRules.knownBadInputs[2]: is listed twice (got "Log4JRCE_HEADER")`,
    ]);
    expect(problems(withWaf({ countRules: { botControl: ["x"] } }))).toEqual([
      `${FILE}: waf.countRules.botControl: unknown field; allowed fields: ipReputation, knownBadInputs, commonRuleSet (got ["x"])`,
    ]);
  });

  it("loggedRequests must be blocked-and-counted or all", () => {
    expect(problems(withWaf({ loggedRequests: "blocked" }))).toEqual([
      `${FILE}: waf.loggedRequests: must be one of "blocked-and-counted", "all" (got "blocked")`,
    ]);
  });

  it("refuses unknown fields, listing the allowed ones", () => {
    expect(problems(withWaf({ rateLimit: 100 }))).toEqual([
      `${FILE}: waf.rateLimit: unknown field; allowed fields: rateLimitPerFiveMinutes, countRules, loggedRequests (got 100)`,
    ]);
  });
});
