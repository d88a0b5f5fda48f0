import type { RecoveryEnvironment } from "../../../environment";
import { ROLE_STACK_KINDS, stackId, stateKey } from "../../../naming";
import type { Reading } from "../../aws/errors";
import { isPeacetimeLayer } from "../../day-stacks";
import type { StateObject } from "../../probes/state-objects";
import { failedRead, type PreflightCheck } from "./check";

/** The stacks a recovery deploys on the day (its peacetime layers excluded), by id, in deploy order. */
export function recoveryDayStacks(recovery: RecoveryEnvironment): string[] {
  return ROLE_STACK_KINDS.recovery.filter((kind) => !isPeacetimeLayer(recovery, kind)).map((kind) => stackId(kind, recovery.region));
}

/**
 * No day stack of the recovery has state: a state object left by a rehearsal would be reused
 * silently by the recovery (its plan would start from whatever the rehearsal left). A warm
 * standby's stacks are peacetime layers (isPeacetimeLayer), so only what its day deploys is checked.
 */
export function dayStacksCheck(
  recovery: RecoveryEnvironment,
  states: readonly { readonly stack: string; readonly state: Reading<StateObject> }[],
): PreflightCheck {
  const id = "day-stacks";
  const title = `Day stacks of ${recovery.region} without state (a recovery starts them fresh)`;
  const failed = states.find((s) => !s.state.ok);
  if (failed && !failed.state.ok) return failedRead(id, title, failed.state.failure);
  const applied = states.flatMap((s) => (s.state.ok && s.state.value.exists ? [{ stack: s.stack, at: s.state.value.lastModified }] : []));
  const list = applied.map(
    (a) => `${a.stack} (s3://${recovery.state.bucket}/${stateKey(a.stack)}, last written ${a.at?.toISOString() ?? "at an unknown time"})`,
  );
  if (applied.length === 0) return { id, title, status: "pass", detail: `no state for ${states.map((s) => s.stack).join(", ")}`, fix: "" };
  // A warm standby's one day stack keeps its key (prevent_destroy) from an earlier promotion: the failback's re-arming destroyed its replication only.
  if (recovery.tier === "warm-standby") {
    return {
      id,
      title,
      status: "pass",
      detail: `kept from an earlier promotion (its key; the day deploys it again for the promoted instance): ${list.join("; ")}`,
      fix: "",
    };
  }
  return {
    id,
    title,
    status: "fail",
    detail: `${applied.length} day stack${applied.length === 1 ? " has" : "s have"} state, which a recovery would reuse as it is:\n${list.map((l) => `  ${l}`).join("\n")}`,
    fix: [
      "# a rehearsal's leftover: remove what it made and its state (docs/readiness.md, Leftover day stacks), then run the preflight again",
      `# a recovery kept applied on purpose: in environments/${recovery.region}.ts set tier: "warm-standby" (docs/tiers.md)`,
    ].join("\n"),
  };
}
