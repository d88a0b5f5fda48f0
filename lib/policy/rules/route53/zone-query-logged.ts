import { isPublicZone, namesZone, PolicyRule } from "../../rule";

export const ZoneQueryLogged: PolicyRule = {
  id: "DR-R53-2",
  description: "Public hosted zones log DNS queries (an aws_route53_query_log of the zone).",
  fix: "Pass queryLogging to PublicHostedZone (ZoneQueryLogging: a log group in us-east-1 with a resource policy for Route 53).",
  counterparts: { checkov: "CKV2_AWS_39" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_route53_zone") return "not-applicable";
    if (!isPublicZone(resource)) return "not-applicable";
    return stack.resources.some((r) => r.type === "aws_route53_query_log" && namesZone(r.config.zone_id, resource)) ? "compliant" : "non-compliant";
  },
};
