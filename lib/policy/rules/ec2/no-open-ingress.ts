import { asList, PolicyRule } from "../../rule";

const OPEN = ["0.0.0.0/0", "::/0"];

export const NoOpenIngress: PolicyRule = {
  id: "DR-EC2-1",
  description: "No security group admits traffic from anywhere (0.0.0.0/0 or ::/0).",
  fix: "Admit the VPC range or a named source security group instead.",
  counterparts: { cdkNag: "AwsSolutions-EC23", checkov: "CKV_AWS_24 / CKV_AWS_25 / CKV_AWS_260" },
  evaluate(resource) {
    if (resource.type === "aws_vpc_security_group_ingress_rule") {
      return OPEN.includes(resource.config.cidr_ipv4) || OPEN.includes(resource.config.cidr_ipv6) ? "non-compliant" : "compliant";
    }
    if (resource.type === "aws_security_group_rule") {
      if (resource.config.type !== "ingress") return "not-applicable";
      return [...asList(resource.config.cidr_blocks), ...asList(resource.config.ipv6_cidr_blocks)].some((c) => OPEN.includes(c)) ? "non-compliant" : "compliant";
    }
    if (resource.type === "aws_security_group" || resource.type === "aws_default_security_group") {
      const ingress = asList<any>(resource.config.ingress);
      return ingress.some((i) => [...asList(i.cidr_blocks), ...asList(i.ipv6_cidr_blocks)].some((c) => OPEN.includes(c))) ? "non-compliant" : "compliant";
    }
    return "not-applicable";
  },
};
