import { Aspects, TerraformStack } from "cdktf";
import { PolicyAspect } from "./aspect";
import { DR_POLICY_PACK } from "./pack";

export { PolicyAspect } from "./aspect";
export { DR_POLICY_PACK } from "./pack";
export type { PolicyPack, Severity } from "./pack";
export type { PolicyRule, RuleOutcome, SynthesizedResource, SynthesizedStack } from "./rule";
export { findSuppression, suppressRule } from "./suppress";

/** Attaches the DR policy pack to a stack (cdktf runs aspects added to the App on no stack). */
export function applyPolicy(stack: TerraformStack): void {
  Aspects.of(stack).add(new PolicyAspect(DR_POLICY_PACK));
}
