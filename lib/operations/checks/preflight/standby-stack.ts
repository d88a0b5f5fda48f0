import type { RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, stackId, stateKey } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { StateObject } from "../../probes/state-objects";
import { failedRead, type PreflightCheck } from "./check";

/** The standby stack was applied in peacetime: its state object is in the state bucket. */
export function standbyStackCheck(recovery: RecoveryEnvironment, state: Reading<StateObject>): PreflightCheck {
  const stack = stackId("standby", recovery.region);
  const id = "standby-stack";
  const title = `Standby stack ${stack} applied`;
  const object = `s3://${recovery.state.bucket}/${stateKey(stack)}`;
  if (!state.ok) return failedRead(id, title, state.failure);
  if (!state.value.exists) {
    return {
      id,
      title,
      status: "fail",
      detail: `no state object ${object} in ${recovery.state.region}: ${stack} was never applied (or the state bucket does not exist)`,
      fix: `${deployStackCommand(stack)}   # in peacetime: it creates the IAM roles, hosted zone and registry replication the recovery needs`,
    };
  }
  return {
    id,
    title,
    status: "pass",
    detail: `${object} (${recovery.state.region}), last written ${state.value.lastModified?.toISOString() ?? "at an unknown time"}`,
    fix: "",
  };
}
