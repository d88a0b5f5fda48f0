import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { drCommand } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { SopsCheckout } from "../../probes/sops-files";
import type { SopsKey } from "../../probes/sops-key";
import type { PreflightCheck } from "./check";

/** Every SOPS file of the platform-k8s checkout lists the replica key's ARN (else Flux cannot decrypt it in the recovery). */
export function sopsFilesCheck(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  platformRepo: string,
  key: Reading<SopsKey>,
  checkout: SopsCheckout,
): PreflightCheck {
  const id = "sops-files";
  const title = `SOPS files in ${platformRepo} list the replica key`;
  // The ARN the alias names, whenever KMS answered with a key (even one that fails sops-key).
  const replicaArn = key.ok ? key.value.key?.arn : undefined;
  if (!replicaArn) {
    const unreachable = !key.ok && key.failure.kind === "unreachable";
    return {
      id,
      title,
      status: unreachable ? "unreachable" : "fail",
      detail: `needs the replica key's ARN, which KMS in ${recovery.region} did not give (see sops-key)`,
      fix: unreachable ? "fix sops-key's reachability and run again" : "fix sops-key first, then run again",
    };
  }
  if (!checkout.folder) {
    return {
      id,
      title,
      status: "fail",
      detail: `${platformRepo} is not a folder`,
      fix: "pass --platform-repo <path to a checkout of the platform-k8s repository>",
    };
  }
  const files = checkout.files;
  if (files.length === 0) {
    return {
      id,
      title,
      status: "fail",
      detail: `no SOPS-encrypted YAML or JSON file (a top-level sops map with a kms list) under ${platformRepo}`,
      fix: "pass --platform-repo <path to a checkout of the platform-k8s repository>",
    };
  }
  const missing = files.filter((f) => !f.kmsArns.includes(replicaArn)).map((f) => f.file);
  if (missing.length === 0) return { id, title, status: "pass", detail: `all ${files.length} SOPS files list ${replicaArn}`, fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: `${missing.length} of ${files.length} SOPS files do not list ${replicaArn}:\n${missing.map((f) => `  ${f}`).join("\n")}`,
    fix: [
      `${drCommand("sops-config", recovery.region)} > ${platformRepo}/.sops.yaml`,
      `# then, in ${platformRepo}, while ${primary.region} is up (sops decrypts each data key with the ${primary.region} key):`,
      ...missing.map((f) => `sops updatekeys -y ${f}`),
    ].join("\n"),
  };
}
