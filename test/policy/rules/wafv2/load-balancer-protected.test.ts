import { LoadBalancerProtected } from "../../../../lib/policy/rules/wafv2/load-balancer-protected";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = LoadBalancerProtected;
const lb = (fields: Record<string, unknown> = {}, type = "aws_lb") =>
  resource(type, "site_resource_9634257A", { name: "acme-us-east-1-site", load_balancer_type: "application", internal: false, ...fields });
const ACL = tfRef("aws_wafv2_web_acl", "web-acl_resource_533DC83B", "arn");
const association = (resourceArn: string, webAclArn: unknown = ACL) =>
  resource("aws_wafv2_web_acl_association", "web-acl_association_6D0E8DE7", { resource_arn: resourceArn, web_acl_arn: webAclArn });
const OF_SITE = association(tfRef("aws_lb", "site_resource_9634257A", "arn"));

describe("DR-WAF-1 load balancer protected by a web ACL", () => {
  describeRuleBasics(rule, "DR-WAF-1");

  describe("compliant", () => {
    it("an internet-facing application load balancer with a web ACL association of it", () => {
      expect(judge(rule, lb(), [OF_SITE])).toBe("compliant");
    });

    it("one whose type and scheme are left to their defaults (application, internet-facing), as aws_alb", () => {
      expect(
        judge(rule, lb({ load_balancer_type: undefined, internal: undefined }, "aws_alb"), [association(tfRef("aws_alb", "site_resource_9634257A", "arn"))]),
      ).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no association", () => {
      expect(judge(rule, lb())).toBe("non-compliant");
    });

    it("the association of another load balancer only", () => {
      expect(judge(rule, lb(), [association(tfRef("aws_lb", "other_resource_11111111", "arn"))])).toBe("non-compliant");
    });

    it("an association that names no web ACL", () => {
      expect(judge(rule, lb(), [association(tfRef("aws_lb", "site_resource_9634257A", "arn"), "")])).toBe("non-compliant");
      expect(judge(rule, lb(), [resource("aws_wafv2_web_acl_association", "a", { resource_arn: tfRef("aws_lb", "site_resource_9634257A", "arn") })])).toBe(
        "non-compliant",
      );
    });
  });

  describe("not applicable", () => {
    it("an internal load balancer, a network load balancer, and other resources", () => {
      expect(judge(rule, lb({ internal: true }))).toBe("not-applicable");
      expect(judge(rule, lb({ load_balancer_type: "network" }))).toBe("not-applicable");
      expect(judge(rule, OF_SITE)).toBe("not-applicable");
    });
  });
});
