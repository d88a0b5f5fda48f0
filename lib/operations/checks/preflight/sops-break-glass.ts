import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { drCommand } from "../../../naming";
import type { SopsCheckout } from "../../probes/sops-files";
import type { PreflightCheck } from "./check";

/**
 * Every SOPS file of the platform-k8s checkout is also encrypted for each break-glass age key of
 * the primary's `flux.breakGlassAgeRecipients`: without it, the file dies with the account's KMS
 * keys. Only when the primary names such keys (no row otherwise).
 */
export function sopsBreakGlassCheck(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  platformRepo: string,
  checkout: SopsCheckout,
): PreflightCheck | undefined {
  const recipients = primary.flux.breakGlassAgeRecipients;
  if (recipients.length === 0) return undefined;
  const id = "sops-break-glass";
  const title = `SOPS files in ${platformRepo} are also encrypted for the break-glass age key${recipients.length > 1 ? "s" : ""}`;
  // A checkout that is not a folder, or holds no SOPS file, is sops-files' failure: said there.
  if (!checkout.folder || checkout.files.length === 0) {
    return { id, title, status: "fail", detail: "no SOPS file to check (see sops-files)", fix: "fix sops-files first, then run again" };
  }
  const missing = checkout.files
    .map((f) => ({ file: f.file, lacks: recipients.filter((r) => !f.ageRecipients.includes(r)) }))
    .filter((f) => f.lacks.length > 0);
  if (missing.length === 0) {
    return { id, title, status: "pass", detail: `all ${checkout.files.length} SOPS files list ${recipients.join(", ")}`, fix: "" };
  }
  return {
    id,
    title,
    status: "fail",
    detail: `${missing.length} of ${checkout.files.length} SOPS files would die with the account's KMS keys:\n${missing
      .map((f) => `  ${f.file} (lacks ${f.lacks.join(", ")})`)
      .join("\n")}`,
    fix: [
      `${drCommand("sops-config", recovery.region)} > ${platformRepo}/.sops.yaml`,
      `# then, in ${platformRepo}, while ${primary.region} is up (sops decrypts each data key with the ${primary.region} key):`,
      ...missing.map((f) => `sops updatekeys -y ${f.file}`),
    ].join("\n"),
  };
}
