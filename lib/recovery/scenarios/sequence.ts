import type { PlanStep } from "../plan";

/** A step as a scenario declares it: each runs after the one declared before it unless it says otherwise. */
export type SequencedStep = Omit<PlanStep, "phase" | "after"> & Partial<Pick<PlanStep, "phase" | "after">>;

/**
 * The steps of a scenario that runs one step after another (the database and cluster scenarios):
 * `step` appends one, in the serving phase, after the step declared before it, unless the step
 * names its own phase or predecessors.
 */
export function stepSequence(): { readonly steps: PlanStep[]; step(declared: SequencedStep): PlanStep } {
  const steps: PlanStep[] = [];
  return {
    steps,
    step(declared) {
      const made: PlanStep = { phase: "serve", after: steps.length > 0 ? [steps[steps.length - 1].id] : [], ...declared };
      steps.push(made);
      return made;
    },
  };
}
