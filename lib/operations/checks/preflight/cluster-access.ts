import type { RecoveryEnvironment } from "../../../environment";
import type { PreflightCheck } from "./check";

/** The environment file declares a way to reach the cluster API (read from the file, not from AWS). */
export function clusterAccessCheck(recovery: RecoveryEnvironment): PreflightCheck {
  const { publicAccessCidrs, privateAccessCidrs } = recovery.kubernetes;
  const id = "cluster-access";
  const title = "Cluster API access declared";
  const ways = [
    ...(publicAccessCidrs.length ? [`public endpoint from ${publicAccessCidrs.join(", ")}`] : []),
    ...(privateAccessCidrs.length ? [`private endpoint from ${privateAccessCidrs.join(", ")} (apply the gitops stack from there)`] : []),
  ];
  if (ways.length > 0) return { id, title, status: "pass", detail: ways.join("; "), fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: `environments/${recovery.region}.ts declares no way to reach the cluster API: neither kubernetes.publicAccessCidrs nor kubernetes.privateAccessCidrs`,
    fix: `in environments/${recovery.region}.ts add kubernetes.publicAccessCidrs: ["<operators' network>/32"] (break-glass) or kubernetes.privateAccessCidrs: ["<in-VPC or peered runner network>"]`,
  };
}
