import { Aspects, TerraformStack } from "cdktf";
import { SANDBOX_GAPS, sandboxOf } from "../sandbox";
import { PolicyAspect } from "./aspect";
import { DR_POLICY_PACK } from "./pack";
import { suppressRule } from "./suppress";

export { PolicyAspect } from "./aspect";
export { DR_POLICY_PACK } from "./pack";
export type { PolicyPack, Severity } from "./pack";
export type { PolicyRule, RuleOutcome, SynthesizedResource, SynthesizedStack } from "./rule";
export { findSuppression, suppressRule } from "./suppress";

/**
 * Attaches the DR policy pack to a stack. In sandbox mode the rules that the emulator's gaps
 * break are suppressed, each with the gap's reason (visible in the synth output).
 */
export function applyPolicy(stack: TerraformStack): void {
  Aspects.of(stack).add(new PolicyAspect(DR_POLICY_PACK));
  if (sandboxOf(stack)) {
    for (const gap of SANDBOX_GAPS) {
      for (const ruleId of gap.violates ?? []) suppressRule(stack, ruleId, `sandbox mode: ${gap.reason}`);
    }
  }
}
