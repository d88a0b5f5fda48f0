import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, regionalNames, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { SopsKey } from "../../probes/sops-key";
import { failedRead, type PreflightCheck } from "./check";

/** Fix when the replica is missing: it is created with the primary's key, in peacetime. */
export function sopsReplicaFix(primary: PrimaryEnvironment, recovery: RecoveryEnvironment): string {
  return `${deployStackCommand(stackId("application", primary.region))}   # in peacetime: creates the replica of the SOPS key and its alias in ${recovery.region}`;
}

/** The SOPS key's alias in the recovery region names an enabled replica of the primary's key (also status's SOPS row). */
export function sopsKeyCheck(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, found: Reading<SopsKey>): PreflightCheck {
  const id = "sops-key";
  const alias = regionalNames(primary.project, primary.region).sopsKeyAlias;
  const title = `SOPS replica key ${alias} enabled in ${recovery.region}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const key = found.value.key;
  const fail = (detail: string, fix: string): PreflightCheck => ({ id, title, status: "fail", detail, fix });
  if (!key) return fail(`no KMS key with alias ${alias} in ${recovery.region}`, sopsReplicaFix(primary, recovery));
  const arn = key.arn ?? "(no ARN)";
  if (key.multiRegionType !== "REPLICA") {
    return fail(
      `${alias} in ${recovery.region} names ${arn}, a ${key.multiRegionType === "PRIMARY" ? "multi-Region primary" : "single-Region"} key, not the replica of the SOPS key of ${primary.region}`,
      `aws kms update-alias --region ${recovery.region} --alias-name ${alias} --target-key-id <the replica's key id: the mrk-... id of the ${primary.region} key>   # or, if there is no replica: ${sopsReplicaFix(primary, recovery)}`,
    );
  }
  if (key.primaryKeyRegion !== primary.region) {
    return fail(
      `${arn} is a replica of ${key.primaryKeyArn ?? "an unknown key"}, not of the SOPS key of ${primary.region}`,
      `aws kms update-alias --region ${recovery.region} --alias-name ${alias} --target-key-id <the mrk-... id of the ${primary.region} SOPS key>`,
    );
  }
  switch (key.state) {
    case "Enabled":
      return { id, title, status: "pass", detail: `${arn} (replica of ${key.primaryKeyArn})`, fix: "" };
    case "Disabled":
      return fail(`${arn} is disabled`, `aws kms enable-key --region ${recovery.region} --key-id ${arn}`);
    case "PendingDeletion":
    case "PendingReplicaDeletion":
      return fail(
        `${arn} is scheduled for deletion (${key.state})`,
        `aws kms cancel-key-deletion --region ${recovery.region} --key-id ${arn} && aws kms enable-key --region ${recovery.region} --key-id ${arn}`,
      );
    case "Creating":
    case "Updating":
      return fail(`${arn} is still being replicated (${key.state})`, "wait a few minutes and run the preflight again");
    default:
      return fail(`${arn} cannot be used (KeyState ${key.state ?? "unknown"})`, sopsReplicaFix(primary, recovery));
  }
}
