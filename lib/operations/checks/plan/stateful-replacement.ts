import { STATEFUL_TYPES } from "../../../policy/rules/stateful/prevent-destroy";
import type { PlannedChange, PlannedChanges } from "../../probes/planned-changes";

/** Whether a stack's plan may be applied without losing a stateful resource. */
export interface PlanGateVerdict {
  /** `pass`: nothing stateful is deleted or replaced; `refused`: something is; `unknown`: there is no plan to judge. */
  readonly status: "pass" | "refused" | "unknown";
  /** Each stateful resource the plan deletes or replaces, with what forces it. */
  readonly refused: readonly string[];
  /** Every change of the plan, refused ones included, one line each (`+ create`, `~ update`, `-/+ replace`, `- delete`). */
  readonly changes: readonly string[];
  readonly detail: string;
}

const SYMBOL: Record<string, string> = { create: "+", update: "~", delete: "-", replace: "-/+", read: "<=" };

function kind(actions: readonly string[]): string {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  return actions.find((a) => a !== "no-op") ?? "no-op";
}

const line = (c: PlannedChange) => {
  const k = kind(c.actions);
  return `${SYMBOL[k] ?? k} ${c.address} (${k}${c.replacedBecause.length > 0 ? `: ${c.replacedBecause.join(", ")} forces it` : ""})`;
};

/**
 * The plan gate: refuses a plan that deletes or replaces a stateful resource (the types
 * DR-STATE-1 protects with prevent_destroy: buckets, databases, brokers, KMS keys, hosted zones).
 * A failback adopts a restored database into the primary's stack; a plan that would replace it
 * (its kms_key_id, its username) must stop the procedure before the fences are lifted. Changes in
 * place and changes of other resources pass, listed.
 */
export function planGateVerdict(stack: string, planned: PlannedChanges): PlanGateVerdict {
  if (!planned.ok) return { status: "unknown", refused: [], changes: [], detail: `could not plan ${stack}: ${planned.detail}` };
  const changed = planned.changes.filter((c) => kind(c.actions) !== "no-op");
  const refused = changed.filter((c) => STATEFUL_TYPES.includes(c.type) && c.actions.includes("delete")).map(line);
  const changes = changed.map(line);
  if (refused.length > 0)
    return {
      status: "refused",
      refused,
      changes,
      detail: `${stack}'s plan deletes or replaces ${refused.length} stateful resource${refused.length === 1 ? "" : "s"}: stop here; nothing was applied`,
    };
  return {
    status: "pass",
    refused,
    changes,
    detail:
      changed.length === 0
        ? `${stack}'s plan changes nothing`
        : `${stack}'s plan keeps every stateful resource (${changed.length} change${changed.length === 1 ? "" : "s"})`,
  };
}
