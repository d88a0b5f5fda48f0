import type { Environment } from "../../../environment";
import { fenceRecordKey, FENCE_RECORD_FORMAT } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { FenceAction, FenceRecord } from "../../probes/fence-record";
import type { Workload } from "../../probes/workloads";
import { failedAction, type FenceDecision } from "./action";

function title(environment: Environment): string {
  return `Record what was done in s3://${environment.state.bucket}/${fenceRecordKey(environment.region)}`;
}

/**
 * The record is written only when an action changed something, so a second run leaves the state
 * bucket (and the replica counts recorded by the first) untouched.
 */
export function recordDecision(environment: Environment, actions: readonly FenceAction[]): FenceDecision<true> {
  if (actions.some((a) => a.status === "done")) return { act: true };
  const nothing = actions.some((a) => a.status === "would do") ? "would do" : "already done";
  return {
    action: {
      id: "record",
      title: title(environment),
      status: nothing,
      detail: nothing === "would do" ? "after --apply" : "nothing changed: the record is left as it is",
    },
  };
}

/** The new record: the first fencing time kept, the replica counts of earlier runs kept unless scaled again. */
export function nextRecord(
  environment: Environment,
  previous: FenceRecord | undefined,
  actions: readonly FenceAction[],
  scaled: readonly Workload[],
  now: Date,
): FenceRecord {
  const kept = (previous?.scaledWorkloads ?? []).filter((w) => !scaled.some((s) => s.namespace === w.namespace && s.kind === w.kind && s.name === w.name));
  return {
    format: FENCE_RECORD_FORMAT,
    region: environment.region,
    fencedAt: previous?.fencedAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    actions,
    scaledWorkloads: [...kept, ...scaled],
  };
}

/** The record matters less than the fence: a failed write says so, and the record is printed for the operator to keep. */
export function recordOutcome(environment: Environment, record: FenceRecord, written: Reading<void>): FenceAction {
  if (!written.ok) {
    const failed = failedAction("record", title(environment), written.failure);
    return { ...failed, detail: `${failed.detail}; the record is printed below` };
  }
  return { id: "record", title: title(environment), status: "done", detail: `fenced at ${record.fencedAt}` };
}
