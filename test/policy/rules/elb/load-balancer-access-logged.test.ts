import { LoadBalancerAccessLogged } from "../../../../lib/policy/rules/elb/load-balancer-access-logged";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = LoadBalancerAccessLogged;
const BUCKET = tfRef("aws_s3_bucket", "site-logs_bucket_resource_BC9DAD8C", "bucket");

/** An aws_lb as SiteLoadBalancer synthesizes it, with `fields` changed (undefined removes one). */
function lb(fields: Record<string, unknown> = {}, type = "aws_lb") {
  const config: Record<string, unknown> = {
    name: "acme-us-east-1-site",
    load_balancer_type: "application",
    internal: false,
    access_logs: { enabled: true, bucket: BUCKET, prefix: "site-load-balancer" },
    ...fields,
  };
  for (const [key, value] of Object.entries(config)) if (value === undefined) delete config[key];
  return resource(type, "site_resource_9634257A", config);
}

describe("DR-ELB-1 load balancer access logged", () => {
  describeRuleBasics(rule, "DR-ELB-1");

  describe("compliant", () => {
    it("an application load balancer logging into a bucket", () => {
      expect(judge(rule, lb())).toBe("compliant");
    });

    it("one whose type is left to its default (application), written as aws_alb, with the block as a list", () => {
      expect(judge(rule, lb({ load_balancer_type: undefined, access_logs: [{ enabled: true, bucket: "acme-site-logs-us-east-1" }] }, "aws_alb"))).toBe(
        "compliant",
      );
    });
  });

  describe("non-compliant", () => {
    it("no access_logs block", () => {
      expect(judge(rule, lb({ access_logs: undefined }))).toBe("non-compliant");
    });

    it("access logs not enabled (the provider's default is false)", () => {
      expect(judge(rule, lb({ access_logs: { bucket: BUCKET } }))).toBe("non-compliant");
      expect(judge(rule, lb({ access_logs: { enabled: false, bucket: BUCKET } }))).toBe("non-compliant");
    });

    it("enabled without a bucket", () => {
      expect(judge(rule, lb({ access_logs: { enabled: true } }))).toBe("non-compliant");
      expect(judge(rule, lb({ access_logs: { enabled: true, bucket: "" } }))).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("network and gateway load balancers, and other resources", () => {
      expect(judge(rule, lb({ load_balancer_type: "network", access_logs: undefined }))).toBe("not-applicable");
      expect(judge(rule, lb({ load_balancer_type: "gateway", access_logs: undefined }))).toBe("not-applicable");
      expect(judge(rule, resource("aws_lb_target_group", "site_target-group_1", { name: "acme-us-east-1-site" }))).toBe("not-applicable");
    });
  });
});
