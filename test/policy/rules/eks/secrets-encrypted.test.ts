import { SecretsEncrypted } from "../../../../lib/policy/rules/eks/secrets-encrypted";
import { describeRuleBasics, eksCluster, judge, resource, tfRef } from "../../../support/policy";

const rule = SecretsEncrypted;
const keyArn = tfRef("aws_kms_key", "cluster_secrets-key_1ED7DE39", "arn");

describe("DR-EKS-1 secrets encrypted", () => {
  describeRuleBasics(rule, "DR-EKS-1");

  describe("compliant", () => {
    it("secrets envelope-encrypted with a KMS key (what EksCluster sets)", () => {
      expect(judge(rule, eksCluster())).toBe("compliant");
    });

    it("encryption_config and provider as lists", () => {
      expect(judge(rule, eksCluster({ encryption_config: [{ resources: ["secrets"], provider: [{ key_arn: keyArn }] }] }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no encryption_config", () => {
      expect(judge(rule, eksCluster({ encryption_config: undefined }))).toBe("non-compliant");
    });

    it("resources without secrets", () => {
      expect(judge(rule, eksCluster({ encryption_config: { resources: [], provider: { key_arn: keyArn } } }))).toBe("non-compliant");
      expect(judge(rule, eksCluster({ encryption_config: { provider: { key_arn: keyArn } } }))).toBe("non-compliant");
    });

    it("no key", () => {
      expect(judge(rule, eksCluster({ encryption_config: { resources: ["secrets"] } }))).toBe("non-compliant");
      expect(judge(rule, eksCluster({ encryption_config: { resources: ["secrets"], provider: {} } }))).toBe("non-compliant");
    });
  });

  it("not applicable: node groups and add-ons", () => {
    expect(judge(rule, resource("aws_eks_node_group", "general", { cluster_name: "${aws_eks_cluster.c.name}" }))).toBe("not-applicable");
    expect(judge(rule, resource("aws_eks_addon", "vpc-cni", { addon_name: "vpc-cni" }))).toBe("not-applicable");
  });
});
