import { firstBlock, PolicyRule, type SynthesizedResource } from "../../rule";

/** An `aws_lb` (or its alias `aws_alb`) of type application: the type defaults to application. */
export function isApplicationLoadBalancer(resource: SynthesizedResource): boolean {
  if (resource.type !== "aws_lb" && resource.type !== "aws_alb") return false;
  const type = resource.config.load_balancer_type;
  return type === undefined || type === "application";
}

export const LoadBalancerAccessLogged: PolicyRule = {
  id: "DR-ELB-1",
  description: "Every application load balancer writes access logs into an S3 bucket (access_logs enabled, with a bucket).",
  fix: "Give SiteLoadBalancer its accessLogs (SiteLogsBucket.target: a bucket of the load balancer's region whose policy admits ELB), or set access_logs { enabled = true, bucket = <bucket> }.",
  counterparts: { cdkNag: "AwsSolutions-ELB2", checkov: "CKV_AWS_91" },
  evaluate(resource) {
    if (!isApplicationLoadBalancer(resource)) return "not-applicable";
    const logs = firstBlock(resource.config.access_logs);
    return logs?.enabled === true && typeof logs.bucket === "string" && logs.bucket !== "" ? "compliant" : "non-compliant";
  },
};
