import type { AwsFailure } from "../../aws/errors";
import type { FenceAction, FenceActionId } from "../../probes/fence-record";

/**
 * What the fence does about one thing, decided from what was read: either the action as it will be
 * reported (already done, would do, not reachable, failed), or `act` when it must change something
 * now; the command then acts and reports the outcome through the check's `outcome`.
 */
export type FenceDecision<Act> = { readonly action: FenceAction } | { readonly act: Act };

/** An action whose call failed: not reachable when no usable answer came back, failed otherwise. */
export function failedAction(id: FenceActionId, title: string, failure: AwsFailure): FenceAction {
  return { id, title, status: failure.kind === "unreachable" ? "not reachable" : "failed", detail: failure.description };
}
