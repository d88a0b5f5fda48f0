import { NoOpenIngress } from "../../../../lib/policy/rules/ec2/no-open-ingress";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = NoOpenIngress;
const VPC_RANGE = "10.10.0.0/16";
const groupId = tfRef("aws_security_group", "database_security-group_BF0DE645", "id");

function ingressRule(overrides: Record<string, unknown>) {
  return resource("aws_vpc_security_group_ingress_rule", "database_ingress_7032D185", {
    description: "PostgreSQL",
    from_port: 5432,
    to_port: 5432,
    ip_protocol: "tcp",
    security_group_id: groupId,
    ...overrides,
  });
}

/** An inline ingress/egress entry as cdktf synthesizes it (every field present). */
function entry(overrides: Record<string, unknown>) {
  return {
    cidr_blocks: [],
    ipv6_cidr_blocks: [],
    prefix_list_ids: [],
    security_groups: [],
    self: false,
    description: "",
    from_port: 443,
    to_port: 443,
    protocol: "tcp",
    ...overrides,
  };
}

function group(config: Record<string, unknown>, type = "aws_security_group") {
  return resource(type, "group", { name: "acme-us-east-1-web", vpc_id: "${aws_vpc.vpc.id}", ...config });
}

function sgRule(type: "ingress" | "egress", overrides: Record<string, unknown>) {
  return resource("aws_security_group_rule", "rule", { type, from_port: 443, to_port: 443, protocol: "tcp", security_group_id: groupId, ...overrides });
}

describe("DR-EC2-1 no open ingress", () => {
  describeRuleBasics(rule, "DR-EC2-1");

  describe("compliant", () => {
    it("a site load balancer's HTTPS or HTTP rule from anywhere, tagged as such (SiteLoadBalancer)", () => {
      for (const port of [443, 80]) {
        const tags = { "dr-platform:internet-facing": "site-load-balancer" };
        expect(judge(rule, ingressRule({ cidr_ipv4: "0.0.0.0/0", from_port: port, to_port: port, tags }))).toBe("compliant");
      }
    });

    it("an ingress rule from the VPC range (what the database and broker use)", () => {
      expect(judge(rule, ingressRule({ cidr_ipv4: VPC_RANGE }))).toBe("compliant");
    });

    it("an ingress rule from a source security group or an IPv6 range", () => {
      expect(judge(rule, ingressRule({ referenced_security_group_id: "${aws_security_group.nodes.id}" }))).toBe("compliant");
      expect(judge(rule, ingressRule({ cidr_ipv6: "2600:1f18:1234:5600::/56" }))).toBe("compliant");
    });

    it("a security group with inline ingress from the VPC range, open egress", () => {
      expect(
        judge(rule, group({ ingress: [entry({ cidr_blocks: [VPC_RANGE] })], egress: [entry({ cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: ["::/0"] })] })),
      ).toBe("compliant");
    });

    it("security groups without ingress (the locked-down default group)", () => {
      expect(judge(rule, group({}))).toBe("compliant");
      expect(judge(rule, group({ tags: { Name: "acme-us-east-1-default-deny" } }, "aws_default_security_group"))).toBe("compliant");
    });

    it("a legacy ingress rule from the VPC range", () => {
      expect(judge(rule, sgRule("ingress", { cidr_blocks: [VPC_RANGE] }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("an open rule with the site tag but another port, a port range, another protocol or a wrong tag value", () => {
      const tags = { "dr-platform:internet-facing": "site-load-balancer" };
      for (const overrides of [
        { from_port: 22, to_port: 22, tags },
        { from_port: 80, to_port: 443, tags },
        { from_port: 443, to_port: 443, ip_protocol: "udp", tags },
        { from_port: 443, to_port: 443, ip_protocol: "-1", tags },
        { from_port: 443, to_port: 443, tags: { "dr-platform:internet-facing": "yes" } },
        { from_port: 443, to_port: 443 },
      ]) {
        expect({ overrides, verdict: judge(rule, ingressRule({ cidr_ipv4: "0.0.0.0/0", ...overrides })) }).toEqual({ overrides, verdict: "non-compliant" });
      }
    });

    it("an ingress rule with cidr_ipv4 0.0.0.0/0", () => {
      expect(judge(rule, ingressRule({ cidr_ipv4: "0.0.0.0/0" }))).toBe("non-compliant");
    });

    it("an ingress rule with cidr_ipv6 ::/0", () => {
      expect(judge(rule, ingressRule({ cidr_ipv6: "::/0" }))).toBe("non-compliant");
    });

    it("an aws_security_group ingress block with 0.0.0.0/0", () => {
      expect(judge(rule, group({ ingress: [entry({ cidr_blocks: [VPC_RANGE] }), entry({ cidr_blocks: ["0.0.0.0/0"] })] }))).toBe("non-compliant");
    });

    it("an aws_security_group ingress block with ::/0, given as one object", () => {
      expect(judge(rule, group({ ingress: entry({ ipv6_cidr_blocks: ["::/0"] }) }))).toBe("non-compliant");
    });

    it("the default security group with an open ingress", () => {
      expect(judge(rule, group({ ingress: [entry({ cidr_blocks: ["0.0.0.0/0"] })] }, "aws_default_security_group"))).toBe("non-compliant");
    });

    it("a legacy ingress rule with 0.0.0.0/0 or ::/0", () => {
      expect(judge(rule, sgRule("ingress", { cidr_blocks: [VPC_RANGE, "0.0.0.0/0"] }))).toBe("non-compliant");
      expect(judge(rule, sgRule("ingress", { ipv6_cidr_blocks: ["::/0"] }))).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("egress, open or not", () => {
      expect(judge(rule, sgRule("egress", { cidr_blocks: ["0.0.0.0/0"] }))).toBe("not-applicable");
      expect(
        judge(rule, resource("aws_vpc_security_group_egress_rule", "egress", { cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1", security_group_id: groupId })),
      ).toBe("not-applicable");
    });

    it("network ACLs", () => {
      expect(judge(rule, resource("aws_network_acl_rule", "acl", { cidr_block: "0.0.0.0/0", egress: false, rule_action: "allow" }))).toBe("not-applicable");
    });
  });
});
