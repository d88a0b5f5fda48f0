import type { TargetGap } from "../../../targets";
import type { CheckId, PreflightCheck } from "./check";

/** The deployment target's gap (by id) that keeps each row from being proved there. */
const SERVED_BY: Partial<Record<CheckId, string>> = {
  "sops-key": "kms-replica-key",
  "database-backups": "rds-backup-replication",
  "registry-images": "ecr-replication",
  "kubernetes-version": "eks-cluster-versions",
  "kubernetes-addons": "eks-addons",
  "database-engine": "rds-engine-catalogue",
  "broker-engine": "mq-engine-catalogue",
  "capacity-quotas": "service-quotas",
  "registry-cache": "ecr-pull-through-cache",
  "image-digests": "ecr-pull-through-cache",
};

/**
 * A row that did not pass because the deployment target cannot serve what it checks (the
 * emulator's gaps) is `not served`, with the gap's reason: nothing to fix there, a real account
 * serves it. Any other row is unchanged.
 */
export function unlessNotServed(
  check: PreflightCheck,
  target: { readonly shortName?: string; readonly description: string; readonly gaps: readonly TargetGap[] },
): PreflightCheck {
  const gapId = SERVED_BY[check.id];
  if (check.status === "pass" || gapId === undefined) return check;
  const gap = target.gaps.find((g) => g.id === gapId);
  if (!gap) return check;
  const name = target.shortName ?? target.description;
  return { ...check, status: "not served", detail: `${check.detail}\n${gap.reason}`, fix: `nothing to fix in ${name}; a real account serves it` };
}
