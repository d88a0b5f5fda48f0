import { PolicyRule, reference } from "../../rule";
import { isApplicationLoadBalancer } from "../elb/load-balancer-access-logged";

export const LoadBalancerProtected: PolicyRule = {
  id: "DR-WAF-1",
  description: "Every internet-facing application load balancer is associated with an AWS WAF web ACL (an aws_wafv2_web_acl_association of it in its stack).",
  fix: "Protect the load balancer with a SiteWebAcl (loadBalancerArn: its arn), or add an aws_wafv2_web_acl_association whose resource_arn is the load balancer's arn.",
  counterparts: { cdkNag: "NIST.800.53.R5-ALBWAFEnabled", checkov: "CKV2_AWS_28" },
  evaluate(resource, stack) {
    if (!isApplicationLoadBalancer(resource) || resource.config.internal === true) return "not-applicable";
    const arn = reference(resource, "arn");
    return stack.resources.some(
      (r) =>
        r.type === "aws_wafv2_web_acl_association" && r.config.resource_arn === arn && typeof r.config.web_acl_arn === "string" && r.config.web_acl_arn !== "",
    )
      ? "compliant"
      : "non-compliant";
  },
};
