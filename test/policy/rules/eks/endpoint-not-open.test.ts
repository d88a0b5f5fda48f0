import { EndpointNotOpen } from "../../../../lib/policy/rules/eks/endpoint-not-open";
import { describeRuleBasics, eksCluster, judge, resource } from "../../../support/policy";

const rule = EndpointNotOpen;
const SUBNETS = ["${aws_subnet.a.id}", "${aws_subnet.b.id}"];

describe("DR-EKS-3 endpoint not open", () => {
  describeRuleBasics(rule, "DR-EKS-3");

  describe("compliant", () => {
    it("a private endpoint (what EksCluster sets without publicAccessCidrs)", () => {
      expect(judge(rule, eksCluster())).toBe("compliant");
    });

    it("a public endpoint for listed networks", () => {
      const vpc_config = {
        endpoint_private_access: true,
        endpoint_public_access: true,
        public_access_cidrs: ["203.0.113.0/24", "198.51.100.7/32"],
        subnet_ids: SUBNETS,
      };
      expect(judge(rule, eksCluster({ vpc_config }))).toBe("compliant");
    });

    it("listed networks with endpoint_public_access unset (public by default), vpc_config as a list", () => {
      expect(judge(rule, eksCluster({ vpc_config: [{ public_access_cidrs: ["203.0.113.0/24"], subnet_ids: SUBNETS }] }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("a public endpoint without listed networks (AWS opens it to 0.0.0.0/0)", () => {
      expect(judge(rule, eksCluster({ vpc_config: { endpoint_public_access: true, subnet_ids: SUBNETS } }))).toBe("non-compliant");
      expect(judge(rule, eksCluster({ vpc_config: { endpoint_public_access: true, public_access_cidrs: [], subnet_ids: SUBNETS } }))).toBe("non-compliant");
    });

    it("endpoint settings left to their defaults (public, 0.0.0.0/0)", () => {
      expect(judge(rule, eksCluster({ vpc_config: { subnet_ids: SUBNETS } }))).toBe("non-compliant");
      expect(judge(rule, eksCluster({ vpc_config: undefined }))).toBe("non-compliant");
    });

    it("0.0.0.0/0 among listed networks", () => {
      const vpc_config = { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24", "0.0.0.0/0"], subnet_ids: SUBNETS };
      expect(judge(rule, eksCluster({ vpc_config }))).toBe("non-compliant");
    });
  });

  it("not applicable: access entries", () => {
    expect(judge(rule, resource("aws_eks_access_entry", "admin", { principal_arn: "arn:aws:iam::123456789012:role/platform-admin" }))).toBe("not-applicable");
  });
});
