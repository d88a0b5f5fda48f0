import type { TargetGap } from "../../../targets";
import type { CheckId, PreflightCheck } from "./check";

/** The resource type whose behaviour each row proves, as the deployment target's gaps name them. */
const SERVED_BY: Partial<Record<CheckId, string>> = {
  "sops-key": "aws_kms_replica_key",
  "database-backups": "aws_db_instance_automated_backups_replication",
  "registry-images": "aws_ecr_replication_configuration",
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
  const type = SERVED_BY[check.id];
  if (check.status === "pass" || type === undefined) return check;
  const gap = target.gaps.find((g) => g.resourceTypes.some((t) => t === type || t.startsWith(`${type} `)));
  if (!gap) return check;
  const name = target.shortName ?? target.description;
  return { ...check, status: "not served", detail: `${check.detail}\n${gap.reason}`, fix: `nothing to fix in ${name}; a real account serves it` };
}
