import { planGateVerdict, type PlanGateVerdict } from "./checks/plan/stateful-replacement";
import { probePlannedChanges } from "./probes/planned-changes";
import { terraformProcessEnv } from "../tooling/terraform-cli";

/**
 * Plans `stack` (its synthesized folder `stackDir`) and judges the plan: the failback's gate before
 * the fences are lifted. Terraform runs with `env` (default: this process's, with the provider
 * mirror's CLI config when TF_PLUGIN_MIRROR is set).
 */
export async function runPlanGate(stack: string, stackDir: string, env: NodeJS.ProcessEnv = terraformProcessEnv(process.env)): Promise<PlanGateVerdict> {
  return planGateVerdict(stack, await probePlannedChanges(stackDir, env));
}

/** The verdict as `plan-gate` prints it. */
export function formatPlanGate(verdict: PlanGateVerdict): string {
  const lines = [`Plan gate: ${verdict.status.toUpperCase()}: ${verdict.detail}`];
  if (verdict.refused.length > 0) lines.push("Refused (stateful):", ...verdict.refused.map((r) => `  ${r}`));
  if (verdict.changes.length > 0) lines.push("Changes:", ...verdict.changes.map((c) => `  ${c}`));
  if (verdict.status === "refused")
    lines.push(
      "fix: make the adopted resource match the stack (the key, the username, the engine), or the stack match it; never lift prevent_destroy to get past this",
    );
  return `${lines.join("\n")}\n`;
}

/** 0 when the plan passes; 1 when it is refused or could not be made. */
export const planGateExitCode = (verdict: PlanGateVerdict): number => (verdict.status === "pass" ? 0 : 1);
