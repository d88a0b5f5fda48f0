import type { CommandResult } from "../../kubectl";
import { lastLine } from "../../kubectl";
import type { FenceAction } from "../../probes/fence-record";
import type { SwitchState } from "../../probes/failover-switch";
import type { FenceDecision } from "./action";

const title = (region: string) => `Set the failover switch in ${region} to the recovery: the site stays there when this region answers again`;

/**
 * The switch of one recovery: in ALARM the primary is already withdrawn. A state CloudWatch has not
 * reached yet (it evaluates each minute) is set again: publishing is idempotent.
 */
export function switchDecision(found: SwitchState, region: string, apply: boolean): FenceDecision<"withdraw"> {
  if (!found.read) return { action: { id: "switch", title: title(region), status: "not reachable", detail: found.problem } };
  if (found.state === "ALARM") return { action: { id: "switch", title: title(region), status: "already done", detail: "the switch's alarm is in ALARM" } };
  if (!apply) return { action: { id: "switch", title: title(region), status: "would do", detail: `publish 1 (the alarm is ${found.state || "unknown"})` } };
  return { act: "withdraw" };
}

export function switchOutcome(published: CommandResult, region: string): FenceAction {
  return published.status === 0
    ? { id: "switch", title: title(region), status: "done", detail: "published 1: Route 53 withdraws the primary within a minute or two" }
    : { id: "switch", title: title(region), status: published.status === null ? "not reachable" : "failed", detail: lastLine(published.stderr) };
}
