import { kubernetesAddonsCheck, pinnedAddons } from "../../../../lib/operations/checks/preflight/kubernetes-addons";
import { failed, read, recovery } from "../../../support/facts";

const offered = (addon: string, versions: string[], defaultVersion?: string) => ({ addon, versions, defaultVersion });
const ALL = [
  offered("vpc-cni", ["v1.21.1-eksbuild.8", "v1.21.0-eksbuild.1"], "v1.21.1-eksbuild.8"),
  offered("coredns", ["v1.14.2-eksbuild.4"], "v1.14.2-eksbuild.4"),
  offered("kube-proxy", ["v1.35.3-eksbuild.2"], "v1.35.3-eksbuild.2"),
  offered("eks-pod-identity-agent", ["v1.3.10-eksbuild.3"], "v1.3.10-eksbuild.3"),
];

describe("kubernetesAddonsCheck", () => {
  it("asks for the add-ons the environment pins, in its order", () => {
    expect(pinnedAddons(recovery)).toEqual(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"]);
  });

  it("passes when EKS offers every pin for the Kubernetes version", () => {
    expect(kubernetesAddonsCheck(recovery, read(ALL))).toEqual({
      id: "kubernetes-addons",
      title: "Add-on versions of Kubernetes 1.35 offered by EKS in us-east-2",
      status: "pass",
      detail: "vpc-cni v1.21.1-eksbuild.8, coredns v1.14.2-eksbuild.4, kube-proxy v1.35.3-eksbuild.2, eks-pod-identity-agent v1.3.10-eksbuild.3",
      fix: "",
    });
  });

  it("fails each pin EKS does not offer, with the version to set (its default, else its first, else a placeholder)", () => {
    const answers = [
      offered("vpc-cni", ["v1.22.0-eksbuild.1", "v1.21.9-eksbuild.1", "v1.21.8-eksbuild.1", "v1.21.7-eksbuild.1"], "v1.21.9-eksbuild.1"),
      ALL[1],
      offered("kube-proxy", ["v1.35.4-eksbuild.1"]),
      offered("eks-pod-identity-agent", []),
    ];
    expect(kubernetesAddonsCheck(recovery, read(answers))).toEqual({
      id: "kubernetes-addons",
      title: "Add-on versions of Kubernetes 1.35 offered by EKS in us-east-2",
      status: "fail",
      detail: [
        "vpc-cni v1.21.1-eksbuild.8 is not offered for 1.35 (EKS offers v1.22.0-eksbuild.1, v1.21.9-eksbuild.1, v1.21.8-eksbuild.1, ...)",
        "kube-proxy v1.35.3-eksbuild.2 is not offered for 1.35 (EKS offers v1.35.4-eksbuild.1)",
        "eks-pod-identity-agent v1.3.10-eksbuild.3 is not offered for 1.35 (EKS offers none)",
      ].join("\n"),
      fix: [
        "in environments/us-east-2.ts and environments/us-east-1.ts set:",
        'kubernetes.addons["vpc-cni"]: "v1.21.9-eksbuild.1"   # aws eks describe-addon-versions --region us-east-2 --addon-name vpc-cni --kubernetes-version 1.35',
        'kubernetes.addons["kube-proxy"]: "v1.35.4-eksbuild.1"   # aws eks describe-addon-versions --region us-east-2 --addon-name kube-proxy --kubernetes-version 1.35',
        'kubernetes.addons["eks-pod-identity-agent"]: "<a version EKS lists>"   # aws eks describe-addon-versions --region us-east-2 --addon-name eks-pod-identity-agent --kubernetes-version 1.35',
      ].join("\n"),
    });
  });

  it("reports a failed read as such", () => {
    expect(
      kubernetesAddonsCheck(recovery, failed("not-found", "EKS DescribeAddonVersions for Kubernetes 1.35", "us-east-2", "NotFound (HTTP 404): nope")).detail,
    ).toBe("EKS DescribeAddonVersions for Kubernetes 1.35 in us-east-2 failed: NotFound (HTTP 404): nope");
  });
});
