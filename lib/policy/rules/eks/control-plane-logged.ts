import { PolicyRule } from "../../rule";

const REQUIRED = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const ControlPlaneLogged: PolicyRule = {
  id: "DR-EKS-2",
  description: "The control plane logs all five log types: api, audit, authenticator, controllerManager and scheduler.",
  fix: "Leave kubernetes.controlPlaneLogTypes at its default (all five), or set enabled_cluster_log_types to list all five.",
  counterparts: { cdkNag: "AwsSolutions-EKS2", checkov: "CKV_AWS_37" },
  evaluate(resource) {
    if (resource.type !== "aws_eks_cluster") return "not-applicable";
    const types: string[] = resource.config.enabled_cluster_log_types ?? [];
    return REQUIRED.every((t) => types.includes(t)) ? "compliant" : "non-compliant";
  },
};
