import { ZoneSigned } from "../../../../lib/policy/rules/route53/zone-signed";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = ZoneSigned;
const ZONE_ID = "zone_resource_5A1B2C3D";
const zone = (config: Record<string, unknown> = {}) =>
  resource("aws_route53_zone", ZONE_ID, { name: "example.com", lifecycle: { prevent_destroy: true }, ...config });
const dnssec = (config: Record<string, unknown>) => resource("aws_route53_hosted_zone_dnssec", "zone_dnssec_resource_1", config);

describe("DR-R53-1 public zones signed with DNSSEC", () => {
  describeRuleBasics(rule, "DR-R53-1");

  it("compliant: signing turned on for the zone (by zone_id or id), status SIGNING or unset (the provider's default)", () => {
    expect(judge(rule, zone(), [dnssec({ hosted_zone_id: tfRef("aws_route53_zone", ZONE_ID, "zone_id"), signing_status: "SIGNING" })])).toBe("compliant");
    expect(judge(rule, zone(), [dnssec({ hosted_zone_id: tfRef("aws_route53_zone", ZONE_ID, "id") })])).toBe("compliant");
  });

  it("non-compliant: no DNSSEC resource", () => {
    expect(judge(rule, zone())).toBe("non-compliant");
  });

  it("non-compliant: signing NOT_SIGNING", () => {
    expect(judge(rule, zone(), [dnssec({ hosted_zone_id: tfRef("aws_route53_zone", ZONE_ID, "zone_id"), signing_status: "NOT_SIGNING" })])).toBe(
      "non-compliant",
    );
  });

  it("non-compliant: signing of another zone", () => {
    expect(judge(rule, zone(), [dnssec({ hosted_zone_id: tfRef("aws_route53_zone", "other", "zone_id") })])).toBe("non-compliant");
  });

  it("not applicable: a private zone (vpc block)", () => {
    expect(judge(rule, zone({ vpc: [{ vpc_id: "${aws_vpc.vpc.id}" }] }))).toBe("not-applicable");
  });

  it("not applicable: records and key-signing keys", () => {
    expect(judge(rule, resource("aws_route53_record", "r", { type: "CNAME" }))).toBe("not-applicable");
    expect(judge(rule, resource("aws_route53_key_signing_key", "k", { name: "ksk1" }))).toBe("not-applicable");
  });
});
