import { kubernetesVersionCheck } from "../../../../lib/operations/checks/preflight/kubernetes-version";
import { failed, NOW, read, recovery } from "../../../support/facts";

const TITLE = "Kubernetes 1.35 creatable by EKS in us-east-2";
const FIX =
  "in environments/us-east-2.ts and environments/us-east-1.ts set kubernetes.version to a version EKS lists (aws eks describe-cluster-versions --region us-east-2) and kubernetes.addons to its builds; docs/versions.md";
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("kubernetesVersionCheck", () => {
  it("passes a version EKS lists in standard or extended support, with its dates", () => {
    const offered = { version: "1.35", status: "standard-support", endOfStandardSupport: day("2027-03-27"), endOfExtendedSupport: day("2028-03-27") };
    expect(kubernetesVersionCheck(recovery, read(offered), NOW)).toEqual({
      id: "kubernetes-version",
      title: TITLE,
      status: "pass",
      detail: "standard-support: standard support until 2027-03-27, extended support until 2028-03-27",
      fix: "",
    });
    expect(kubernetesVersionCheck(recovery, read({ version: "1.35" }), NOW).detail).toBe(
      "supported: standard support until unknown, extended support until unknown",
    );
  });

  it("fails a version EKS does not list there", () => {
    expect(kubernetesVersionCheck(recovery, read(undefined), NOW)).toEqual({
      id: "kubernetes-version",
      title: TITLE,
      status: "fail",
      detail: "EKS in us-east-2 does not list Kubernetes 1.35: CreateCluster refuses it",
      fix: FIX,
    });
  });

  it("fails a version EKS lists as unsupported, or whose extended support has ended", () => {
    expect(kubernetesVersionCheck(recovery, read({ version: "1.35", status: "unsupported", endOfExtendedSupport: day("2026-11-26") }), NOW)).toEqual({
      id: "kubernetes-version",
      title: TITLE,
      status: "fail",
      detail: "EKS in us-east-2 lists Kubernetes 1.35 as unsupported (extended support ended 2026-11-26): CreateCluster refuses it",
      fix: FIX,
    });
    expect(kubernetesVersionCheck(recovery, read({ version: "1.35", status: "extended-support", endOfExtendedSupport: day("2026-11-20") }), NOW).detail).toBe(
      "EKS in us-east-2 lists Kubernetes 1.35 as extended-support (extended support ended 2026-11-20): CreateCluster refuses it",
    );
  });

  it("reports a failed read as such", () => {
    expect(
      kubernetesVersionCheck(recovery, failed("unreachable", "EKS DescribeClusterVersions of 1.35", "us-east-2", "TimeoutError: timed out"), NOW),
    ).toMatchObject({
      status: "unreachable",
      detail: "EKS DescribeClusterVersions of 1.35 in us-east-2 got no answer: TimeoutError: timed out",
    });
  });
});
