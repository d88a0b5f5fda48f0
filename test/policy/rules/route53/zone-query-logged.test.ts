import { ZoneQueryLogged } from "../../../../lib/policy/rules/route53/zone-query-logged";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = ZoneQueryLogged;
const ZONE_ID = "zone_resource_5A1B2C3D";
const zone = (config: Record<string, unknown> = {}) => resource("aws_route53_zone", ZONE_ID, { name: "example.com", ...config });
const queryLog = (zoneId: string) =>
  resource("aws_route53_query_log", "zone_query-logging_resource_1", {
    zone_id: zoneId,
    cloudwatch_log_group_arn: tfRef("aws_cloudwatch_log_group", "g", "arn"),
  });

describe("DR-R53-2 public zones log DNS queries", () => {
  describeRuleBasics(rule, "DR-R53-2");

  it("compliant: a query log of the zone (by zone_id or id)", () => {
    expect(judge(rule, zone(), [queryLog(tfRef("aws_route53_zone", ZONE_ID, "zone_id"))])).toBe("compliant");
    expect(judge(rule, zone(), [queryLog(tfRef("aws_route53_zone", ZONE_ID, "id"))])).toBe("compliant");
  });

  it("non-compliant: no query log", () => {
    expect(judge(rule, zone())).toBe("non-compliant");
  });

  it("non-compliant: a query log of another zone", () => {
    expect(judge(rule, zone(), [queryLog(tfRef("aws_route53_zone", "other", "zone_id"))])).toBe("non-compliant");
  });

  it("not applicable: a private zone", () => {
    expect(judge(rule, zone({ vpc: { vpc_id: "${aws_vpc.vpc.id}" } }))).toBe("not-applicable");
  });

  it("not applicable: the query log itself", () => {
    expect(judge(rule, queryLog("x"))).toBe("not-applicable");
  });
});
