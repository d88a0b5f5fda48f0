import type { RecoveryEnvironment } from "../../../environment";
import type { Reading } from "../../aws/errors";
import type { EksClusterVersion } from "../../probes/eks-cluster-version";
import { failedRead, type PreflightCheck } from "./check";

const day = (date: Date | undefined) => (date ? date.toISOString().slice(0, 10) : "unknown");

/** EKS in the recovery region still creates clusters of the pinned Kubernetes version. */
export function kubernetesVersionCheck(recovery: RecoveryEnvironment, found: Reading<EksClusterVersion | undefined>, now: Date): PreflightCheck {
  const version = recovery.kubernetes.version;
  const id = "kubernetes-version";
  const title = `Kubernetes ${version} creatable by EKS in ${recovery.region}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const fix = `in environments/${recovery.region}.ts and environments/${recovery.recoveryOf}.ts set kubernetes.version to a version EKS lists (aws eks describe-cluster-versions --region ${recovery.region}) and kubernetes.addons to its builds; docs/versions.md`;
  const offered = found.value;
  if (!offered) return { id, title, status: "fail", detail: `EKS in ${recovery.region} does not list Kubernetes ${version}: CreateCluster refuses it`, fix };
  const ended = offered.endOfExtendedSupport !== undefined && offered.endOfExtendedSupport.getTime() < now.getTime();
  if (offered.status === "unsupported" || ended) {
    return {
      id,
      title,
      status: "fail",
      detail: `EKS in ${recovery.region} lists Kubernetes ${version} as ${offered.status ?? "unsupported"} (extended support ended ${day(offered.endOfExtendedSupport)}): CreateCluster refuses it`,
      fix,
    };
  }
  return {
    id,
    title,
    status: "pass",
    detail: `${offered.status ?? "supported"}: standard support until ${day(offered.endOfStandardSupport)}, extended support until ${day(offered.endOfExtendedSupport)}`,
    fix: "",
  };
}
