import type { RecoveryPlan } from "../../lib/recovery/plan";

/** A plan's steps in one line each, `<kind> <id> <- <after,...>` and `(after serving)`: what the plan tests compare. */
export function planSummary(plan: RecoveryPlan): string[] {
  return plan.steps.map((s) => `${s.kind} ${s.id} <- ${s.after.join(",") || "-"}${s.phase === "after-serving" ? " (after serving)" : ""}`);
}
