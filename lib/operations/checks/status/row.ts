import { servingClusterName, type PrimaryEnvironment } from "../../../environment";
import { BACKUP_JOB_SERVICE_ACCOUNT, kubeconfigCommand } from "../../../naming";
import type { TargetGap } from "../../../targets";
import type { AwsFailure } from "../../aws/errors";

export type StatusVerdict = "met" | "missed" | "unknown";

/** One data store's row of `status`: its recovery point against the primary's target. */
export interface StatusRow {
  /** Stable id for scripts (`database-backups`, ...; other rows may add their own). */
  readonly id: string;
  /** What the operator reads in the table. */
  readonly store: string;
  /** The store's recovery point: writes after it would be lost. Undefined when not a time or unknown. */
  readonly recoveryPoint?: Date;
  /** The table's "recovery point / state" cell. */
  readonly state: string;
  /** The table's "target" cell. */
  readonly target: string;
  readonly verdict: StatusVerdict;
  /** What was found; never a secret. */
  readonly detail: string;
  /** The command or change that makes the row meet its target; empty when met. */
  readonly fix: string;
  /** The deployment target's gap that explains an `unknown` (the target cannot serve the store). */
  readonly gap?: string;
}

/** The part of a deployment target status needs: what it cannot serve, and what to call it. */
export interface StatusTarget {
  readonly description: string;
  readonly shortName?: string;
  readonly gaps: readonly TargetGap[];
}

/** A real AWS account: it serves every store. */
export const REAL_ACCOUNT: StatusTarget = { description: "AWS account", gaps: [] };

/** The row's name and target, before a verdict. */
export type RowHead = Pick<StatusRow, "id" | "store" | "target">;

/** A row whose read failed in a way the row does not handle: nothing is known. */
export function failedRead(row: RowHead, failure: AwsFailure): StatusRow {
  const { call, region, description } = failure;
  if (failure.kind === "no-credentials") {
    return {
      ...row,
      state: "unknown (no AWS credentials)",
      verdict: "unknown",
      detail: `${call}: no AWS credentials`,
      fix: "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the environment's account and run again",
    };
  }
  if (failure.kind === "unreachable") {
    return {
      ...row,
      state: `unknown (${region} did not answer)`,
      verdict: "unknown",
      detail: `${call} in ${region} got no answer: ${description}`,
      fix: `check the network path and AWS's health for ${region}, then run again`,
    };
  }
  return {
    ...row,
    state: "unknown (refused)",
    verdict: "unknown",
    detail: `${call} in ${region} failed: ${description}`,
    fix: `allow the caller ${call} in ${region} (read-only) and run again`,
  };
}

/** The target's gap that concerns a resource type: `aws_x` matches `aws_x` and `aws_x (...)`. */
export function gapFor(target: StatusTarget, resourceType: string): TargetGap | undefined {
  return target.gaps.find((gap) => gap.resourceTypes.some((t) => t === resourceType || t.startsWith(`${resourceType} `)));
}

/** The row of a store the target cannot serve. */
export function notServed(row: RowHead, target: StatusTarget, gap: TargetGap, found: string): StatusRow {
  return {
    ...row,
    state: `unknown (not served by ${target.shortName ?? target.description})`,
    verdict: "unknown",
    detail: `${found}; ${gap.reason}`,
    fix: `nothing to fix in ${target.shortName ?? target.description}; a real account serves it`,
    gap: gap.id,
  };
}

/** Where to look when a job stopped producing copies: its CronJob in the primary's cluster. */
export function jobFix(primary: PrimaryEnvironment, what: string): string {
  const cluster = servingClusterName(primary);
  return [
    `${kubeconfigCommand(primary.region, cluster)} && kubectl -n ${BACKUP_JOB_SERVICE_ACCOUNT.namespace} get cronjobs,jobs   # is the ${what} job scheduled and succeeding?`,
    `kubectl -n ${BACKUP_JOB_SERVICE_ACCOUNT.namespace} logs job/<the newest failed job>   # then fix what it names and run the CronJob once: kubectl create job --from=cronjob/<name> <name>-manual`,
  ].join("\n");
}
