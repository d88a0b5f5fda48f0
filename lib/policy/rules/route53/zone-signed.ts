import { isPublicZone, namesZone, PolicyRule } from "../../rule";

export const ZoneSigned: PolicyRule = {
  id: "DR-R53-1",
  description: "Public hosted zones are signed with DNSSEC (an aws_route53_hosted_zone_dnssec of the zone, signing).",
  fix: "Pass dnssec to PublicHostedZone (ZoneDnssec: a key-signing key backed by an ECC_NIST_P256 key in us-east-1), then add the printed DS record at the registrar once.",
  counterparts: { checkov: "CKV2_AWS_38" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_route53_zone") return "not-applicable";
    if (!isPublicZone(resource)) return "not-applicable";
    const signing = stack.resources.filter(
      (r) =>
        r.type === "aws_route53_hosted_zone_dnssec" && namesZone(r.config.hosted_zone_id, resource) && (r.config.signing_status ?? "SIGNING") === "SIGNING",
    );
    return signing.length > 0 ? "compliant" : "non-compliant";
  },
};
