import type { RecoveryEnvironment } from "../../../environment";
import type { Reading } from "../../aws/errors";
import type { EksAddonVersions } from "../../probes/eks-addon-versions";
import { failedRead, type PreflightCheck } from "./check";

/** The add-on names the environment pins, in its order. */
export function pinnedAddons(recovery: RecoveryEnvironment): string[] {
  return Object.keys(recovery.kubernetes.addons);
}

/** Every pinned add-on version is one EKS in the recovery region offers for the pinned Kubernetes version. */
export function kubernetesAddonsCheck(recovery: RecoveryEnvironment, found: Reading<readonly EksAddonVersions[]>): PreflightCheck {
  const version = recovery.kubernetes.version;
  const id = "kubernetes-addons";
  const title = `Add-on versions of Kubernetes ${version} offered by EKS in ${recovery.region}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const pins = recovery.kubernetes.addons as Readonly<Record<string, string>>;
  const missing = found.value.filter((a) => !a.versions.includes(pins[a.addon]));
  if (missing.length === 0) return { id, title, status: "pass", detail: found.value.map((a) => `${a.addon} ${pins[a.addon]}`).join(", "), fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: missing
      .map(
        (a) =>
          `${a.addon} ${pins[a.addon]} is not offered for ${version} (EKS offers ${a.versions.length === 0 ? "none" : a.versions.slice(0, 3).join(", ")}${a.versions.length > 3 ? ", ..." : ""})`,
      )
      .join("\n"),
    fix: [
      `in environments/${recovery.region}.ts and environments/${recovery.recoveryOf}.ts set:`,
      ...missing.map(
        (a) =>
          `kubernetes.addons["${a.addon}"]: "${a.defaultVersion ?? a.versions[0] ?? "<a version EKS lists>"}"   # aws eks describe-addon-versions --region ${recovery.region} --addon-name ${a.addon} --kubernetes-version ${version}`,
      ),
    ].join("\n"),
  };
}
