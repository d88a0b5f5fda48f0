import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import type { Reading } from "../../aws/errors";
import type { SopsKey } from "../../probes/sops-key";
import { sopsKeyCheck } from "../preflight/sops-key";
import { gapFor, notServed, type StatusRow, type StatusTarget } from "./row";

/** The SOPS key's replica in the recovery region is enabled: preflight's judgement, as a status row. */
export function sopsKeyRow(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, found: Reading<SopsKey>, target: StatusTarget): StatusRow {
  const row = { id: "sops-key", store: "SOPS replica key", target: "enabled replica" };
  const check = sopsKeyCheck(recovery, primary, found);
  if (check.status === "pass") return { ...row, state: "enabled", verdict: "met", detail: check.detail, fix: "" };
  if (found.ok && found.value.key === undefined) {
    const gap = gapFor(target, "aws_kms_replica_key");
    if (gap) return notServed(row, target, gap, check.detail);
    return { ...row, state: "missing", verdict: "missed", detail: check.detail, fix: check.fix };
  }
  if (check.status === "unreachable")
    return { ...row, state: `unknown (${recovery.region} did not answer)`, verdict: "unknown", detail: check.detail, fix: check.fix };
  // A key in a bad state, or a refused call: preflight's detail says which.
  const answered = found.ok && found.value.key?.arn !== undefined;
  return { ...row, state: answered ? "not usable" : "unknown (refused)", verdict: answered ? "missed" : "unknown", detail: check.detail, fix: check.fix };
}
