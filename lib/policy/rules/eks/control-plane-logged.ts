import { PolicyRule } from "../../rule";

const REQUIRED = ["api", "audit", "authenticator"];

export const ControlPlaneLogged: PolicyRule = {
  id: "DR-EKS-2",
  description: "The control plane logs api, audit and authenticator events.",
  fix: "Set enabled_cluster_log_types to include api, audit and authenticator (EksCluster does).",
  counterparts: { cdkNag: "AwsSolutions-EKS2", checkov: "CKV_AWS_37" },
  evaluate(resource) {
    if (resource.type !== "aws_eks_cluster") return "not-applicable";
    const types: string[] = resource.config.enabled_cluster_log_types ?? [];
    return REQUIRED.every((t) => types.includes(t)) ? "compliant" : "non-compliant";
  },
};
