import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { drCommand } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { SopsCheckout } from "../../probes/sops-files";
import type { SopsKey } from "../../probes/sops-key";
import type { PreflightCheck } from "./check";

/** Whether `file` (relative, `/`) lies under the repository folder `path`. */
function under(file: string, path: string): boolean {
  const folder = path.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  return file === folder || file.startsWith(`${folder}/`);
}

/**
 * Every SOPS file the recovery region decrypts (all but the primary's cluster folder) lists the
 * replica key first: SOPS tries the keys in file order, and with the primary's first every
 * decryption in the recovery region waits for the dark region's KMS to time out.
 */
export function sopsOrderCheck(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  platformRepo: string,
  key: Reading<SopsKey>,
  checkout: SopsCheckout,
): PreflightCheck {
  const id = "sops-order";
  const title = `SOPS files decrypted in ${recovery.region} list its key first`;
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
  if (!checkout.folder)
    return {
      id,
      title,
      status: "fail",
      detail: `${platformRepo} is not a folder`,
      fix: "pass --platform-repo <path to a checkout of the platform-k8s repository>",
    };
  // Files only the primary's cluster decrypts keep its key first; files without the replica are sops-files' row.
  const decryptedHere = checkout.files.filter((f) => !under(f.file, primary.flux.path) && f.kmsArns.includes(replicaArn));
  const late = decryptedHere.filter((f) => f.kmsArns[0] !== replicaArn).map((f) => f.file);
  if (late.length === 0)
    return { id, title, status: "pass", detail: `${decryptedHere.length} SOPS files decrypted in ${recovery.region} list ${replicaArn} first`, fix: "" };
  return {
    id,
    title,
    status: "fail",
    detail: `${late.length} of ${decryptedHere.length} SOPS files decrypted in ${recovery.region} list ${replicaArn} after the ${primary.region} key:\n${late.map((f) => `  ${f}`).join("\n")}`,
    fix: [
      `${drCommand("sops-config", recovery.region)} > ${platformRepo}/.sops.yaml`,
      `# then, in ${platformRepo}, while ${primary.region} is up: re-encrypt each file, which writes its keys in the order of its creation rule`,
      `# (updatekeys keeps an unchanged set of keys in its old order); the plaintext is on disk between the two commands: a trusted machine`,
      ...late.map((f) => `sops --decrypt --in-place ${f} && sops --encrypt --in-place ${f}`),
    ].join("\n"),
  };
}
