import { firstBlock, PolicyRule } from "../../rule";

export const EndpointNotOpen: PolicyRule = {
  id: "DR-EKS-3",
  description: "The API endpoint is not open to the internet: private, or public only for listed CIDRs (never 0.0.0.0/0).",
  fix: "List your operators' networks in kubernetes.publicAccessCidrs, or leave it empty for a private endpoint.",
  counterparts: { cdkNag: "AwsSolutions-EKS1", checkov: "CKV_AWS_38 / CKV_AWS_39" },
  evaluate(resource) {
    if (resource.type !== "aws_eks_cluster") return "not-applicable";
    const vpc = firstBlock(resource.config.vpc_config) ?? {};
    if (vpc.endpoint_public_access === false) return "compliant";
    const cidrs: string[] = vpc.public_access_cidrs ?? [];
    return cidrs.length > 0 && !cidrs.includes("0.0.0.0/0") ? "compliant" : "non-compliant";
  },
};
