import { INTERNET_FACING_TAG } from "../../../naming";
import { asList, PolicyRule } from "../../rule";

const OPEN = ["0.0.0.0/0", "::/0"];

/** Web ports a site load balancer serves to the internet. */
const WEB_PORTS = [80, 443];

/**
 * The one open ingress allowed: one web port over TCP, on a rule tagged as a site load balancer's.
 * An internet-facing load balancer has to admit everyone; a wider port range or another
 * protocol, or the same rule without the tag, stays non-compliant.
 */
function isSiteLoadBalancerIngress(config: Record<string, any>): boolean {
  return (
    config.ip_protocol === "tcp" &&
    WEB_PORTS.includes(config.from_port) &&
    config.to_port === config.from_port &&
    config.tags?.[INTERNET_FACING_TAG.key] === INTERNET_FACING_TAG.value
  );
}

export const NoOpenIngress: PolicyRule = {
  id: "DR-EC2-1",
  description:
    "No security group admits traffic from anywhere (0.0.0.0/0 or ::/0), except a site load balancer's TCP 80 or 443 rule tagged dr-platform:internet-facing.",
  fix: "Admit the VPC range or a named source security group instead.",
  counterparts: { cdkNag: "AwsSolutions-EC23", checkov: "CKV_AWS_24 / CKV_AWS_25 / CKV_AWS_260 / CKV_AWS_277" },
  evaluate(resource) {
    if (resource.type === "aws_vpc_security_group_ingress_rule") {
      if (!OPEN.includes(resource.config.cidr_ipv4) && !OPEN.includes(resource.config.cidr_ipv6)) return "compliant";
      return isSiteLoadBalancerIngress(resource.config) ? "compliant" : "non-compliant";
    }
    if (resource.type === "aws_security_group_rule") {
      if (resource.config.type !== "ingress") return "not-applicable";
      return [...asList(resource.config.cidr_blocks), ...asList(resource.config.ipv6_cidr_blocks)].some((c) => OPEN.includes(c))
        ? "non-compliant"
        : "compliant";
    }
    if (resource.type === "aws_security_group" || resource.type === "aws_default_security_group") {
      const ingress = asList<any>(resource.config.ingress);
      return ingress.some((i) => [...asList(i.cidr_blocks), ...asList(i.ipv6_cidr_blocks)].some((c) => OPEN.includes(c))) ? "non-compliant" : "compliant";
    }
    return "not-applicable";
  },
};
