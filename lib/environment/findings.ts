import { problem } from "./problems";
import type { Environment } from "./schema";
import { kubernetesCalendarFinding } from "./sections/kubernetes-calendar";

/**
 * What the schema cannot say: rules that depend on the day they run (a valid file becomes invalid
 * without being edited when AWS retires what it pins) and warnings that must not stop a synth.
 * The loader runs them on every parsed environment with its clock (`LoadEnvironmentsOptions.now`),
 * after the schema; a problem stops the synth, a warning is printed and the synth goes on.
 */
export interface Findings {
  /** Lines in the loader's problem format; each stops the synth. */
  readonly problems: readonly string[];
  /** Lines in the same format; printed, the synth goes on. */
  readonly warnings: readonly string[];
}

/** The findings of one environment file on `now`. */
export function environmentFindings(file: string, environment: Environment, now: Date): Findings {
  const problems: string[] = [];
  const warnings: string[] = [];
  const version = environment.kubernetes.version;
  const calendar = kubernetesCalendarFinding(version, now);
  if (calendar) (calendar.level === "error" ? problems : warnings).push(problem(file, ["kubernetes", "version"], calendar.message, version));
  if (environment.role === "recovery" && environment.standby.alarmTopicArn === undefined) {
    warnings.push(
      problem(
        file,
        ["standby", "alarmTopicArn"],
        "is not set: the scheduled readiness check's alarm notifies nobody (its state shows in CloudWatch only); name the SNS topic of your on-call in this region",
        undefined,
      ),
    );
  }
  return { problems, warnings };
}
