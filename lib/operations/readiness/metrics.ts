import { READINESS_FAILURES_METRIC } from "../../naming";
import type { CheckStatus } from "../checks/preflight/check";
import type { PreflightResult } from "../preflight";

/** One CloudWatch data point, as PutMetricData takes it. */
export interface ReadinessDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: "Count";
}

/** The metric every run publishes besides one per check: how many checks failed (the alarm watches it). */
export const FAILURES_METRIC = READINESS_FAILURES_METRIC;

/** A check that proves nothing or proves a problem counts as failed; advisory and not served do not. */
export function isFailure(status: CheckStatus): boolean {
  return status === "fail" || status === "unreachable";
}

/**
 * The data points of one scheduled preflight: one metric per check (1 when it did not fail, 0 when
 * it failed or got no answer), named after the check's id, and `Failures`, the number of failed
 * checks; each with the recovery region as its `Region` dimension.
 */
export function readinessMetrics(result: PreflightResult, now: Date): ReadinessDatum[] {
  const dimensions = [{ Name: "Region", Value: result.recoveryRegion }];
  const datum = (name: string, value: number): ReadinessDatum => ({ MetricName: name, Dimensions: dimensions, Timestamp: now, Value: value, Unit: "Count" });
  return [
    ...result.checks.map((check) => datum(check.id, isFailure(check.status) ? 0 : 1)),
    datum(FAILURES_METRIC, result.checks.filter((c) => isFailure(c.status)).length),
  ];
}
