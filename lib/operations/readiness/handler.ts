import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../environment";
import { putReadinessMetrics } from "../actions/readiness-metrics";
import { awsClient } from "../aws/clients";
import { route53IsLost } from "../checks/preflight/outage";
import { preflightClients, runPreflight, type PreflightClients, type PreflightResult } from "../preflight";
import { isFailure, readinessMetrics } from "./metrics";

/**
 * The scheduled readiness check: the preflight of a recovery region, run there every
 * `standby.readinessCheckMinutes` by a Lambda function of its standby layer (ReadinessCheck), its
 * verdicts published as CloudWatch metrics that an alarm watches. It calls only the recovery
 * region and the state bucket's region, never the primary's: Route 53's rows are left out when
 * Route 53's control plane is in the primary's region (us-east-1), and the registry's replication
 * rule (in the primary's region) is not read.
 */

/** What EventBridge Scheduler passes (the schedule's input): the pair, as the synth resolved it. */
export interface ReadinessEvent {
  readonly recovery: RecoveryEnvironment;
  readonly primary: PrimaryEnvironment;
}

/** What a run returns (Lambda logs it): the counts and each failed check. */
export interface ReadinessSummary {
  readonly region: string;
  readonly checks: number;
  readonly failed: readonly { readonly id: string; readonly status: string; readonly detail: string; readonly fix: string }[];
}

/** Refuses an event that is not the pair the schedule was made with (a manual test invoke with the wrong input). */
export function readinessEventProblems(event: unknown): string[] {
  const e = event as Partial<ReadinessEvent> | undefined;
  const problems: string[] = [];
  if (e?.recovery?.role !== "recovery") problems.push("event.recovery must be a recovery environment");
  if (e?.primary?.role !== "primary") problems.push("event.primary must be a primary environment");
  if (problems.length === 0 && e!.recovery!.recoveryOf !== e!.primary!.region)
    problems.push(`event.recovery recovers ${e!.recovery!.recoveryOf}, not ${e!.primary!.region}`);
  return problems;
}

/** The clients of a scheduled run: the preflight's, without Route 53 when it lives in the primary's region. */
export function readinessClients(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  settings: Parameters<typeof preflightClients>[2] = {},
): PreflightClients {
  const { route53, ...clients } = preflightClients(recovery, primary, settings);
  return route53IsLost(primary.region) ? clients : { ...clients, route53 };
}

/** One run: the preflight, its metrics published, its summary returned. */
export async function runReadiness(event: ReadinessEvent, clients: PreflightClients, cloudwatch: CloudWatchClient, now: Date): Promise<ReadinessSummary> {
  const result: PreflightResult = await runPreflight(event.recovery, event.primary, clients, { now });
  await putReadinessMetrics(cloudwatch, readinessMetrics(result, now));
  return {
    region: result.recoveryRegion,
    checks: result.checks.length,
    failed: result.checks.filter((c) => isFailure(c.status)).map(({ id, status, detail, fix }) => ({ id, status, detail, fix })),
  };
}

/** The Lambda function's entry point (the bundle's `handler`). */
export async function handler(event: unknown): Promise<ReadinessSummary> {
  const problems = readinessEventProblems(event);
  if (problems.length > 0) throw new Error(`readiness: ${problems.join("; ")}`);
  const { recovery, primary } = event as ReadinessEvent;
  const summary = await runReadiness({ recovery, primary }, readinessClients(recovery, primary), awsClient(CloudWatchClient, recovery.region), new Date());
  console.log(JSON.stringify(summary));
  return summary;
}
