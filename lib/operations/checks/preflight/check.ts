import type { AwsFailure } from "../../aws/errors";

/**
 * A preflight row: `unreachable` when the service gave no answer (nothing is proved either way);
 * `advisory` for a read of a global control plane hosted in the lost region during an outage (it
 * informs, it never stops a recovery); `not served` when the deployment target cannot serve what
 * the row checks (the emulator's gaps; a real account serves it).
 */
export type CheckStatus = "pass" | "fail" | "unreachable" | "advisory" | "not served";

export type CheckId =
  | "standby-stack"
  | "day-stacks"
  | "git-credentials"
  | "sops-key"
  | "database-backups"
  | "database-replica"
  | "kubernetes-version"
  | "kubernetes-addons"
  | "database-engine"
  | "broker-engine"
  | "capacity-quotas"
  | "registry-images"
  | "registry-rule"
  | "registry-cache"
  | "image-digests"
  | "cluster-access"
  | "sops-files"
  | "sops-order"
  | "sops-break-glass"
  | "health-checks"
  | "site-region";

export interface PreflightCheck {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found; never a secret value. */
  readonly detail: string;
  /** The exact command or file change; empty when the check passed. */
  readonly fix: string;
}

/** The row of a check whose read failed in a way the check does not handle itself. */
export function failedRead(id: CheckId, title: string, failure: AwsFailure): PreflightCheck {
  const { call, region, description } = failure;
  if (failure.kind === "unreachable") {
    return {
      id,
      title,
      status: "unreachable",
      detail: `${call} in ${region} got no answer: ${description}`,
      fix: `check the network path and AWS's health for ${region}, then run the preflight again; a region that cannot be reached cannot be recovered into`,
    };
  }
  if (failure.kind === "no-credentials") {
    return {
      id,
      title,
      status: "fail",
      detail: `${call}: no AWS credentials`,
      fix: "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the environment's account and run again",
    };
  }
  return {
    id,
    title,
    status: "fail",
    detail: `${call} in ${region} failed: ${description}`,
    fix: `allow the caller ${call} in ${region} (the error above names what was refused) and run again`,
  };
}
