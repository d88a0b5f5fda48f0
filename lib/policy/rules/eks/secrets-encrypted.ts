import { firstBlock, PolicyRule } from "../../rule";

export const SecretsEncrypted: PolicyRule = {
  id: "DR-EKS-1",
  description: "Kubernetes secrets are envelope-encrypted with a KMS key.",
  fix: 'Set encryption_config with resources ["secrets"] (EksCluster does).',
  counterparts: { cdkNag: "-", checkov: "CKV_AWS_58" },
  evaluate(resource) {
    if (resource.type !== "aws_eks_cluster") return "not-applicable";
    const config = firstBlock(resource.config.encryption_config);
    return config && (config.resources ?? []).includes("secrets") && firstBlock(config.provider)?.key_arn ? "compliant" : "non-compliant";
  },
};
