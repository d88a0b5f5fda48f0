import type { ReplicationRule } from "@aws-sdk/client-ecr";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import { failedRead, type PreflightCheck } from "./check";

/** (Peacetime) a rule of the primary's registry replicates every `registry.replicatedPrefixes` entry into the recovery. */
export function registryRuleCheck(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, found: Reading<readonly ReplicationRule[]>): PreflightCheck {
  const id = "registry-rule";
  const title = `ECR replication rule in ${primary.region} into ${recovery.region} (peacetime)`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const rules = found.value;
  const toRecovery = rules.filter((rule) => (rule.destinations ?? []).some((d) => d.region === recovery.region && d.registryId === recovery.accountId));
  // A rule without filters replicates every repository.
  const covered = (prefix: string) =>
    toRecovery.some(
      (rule) =>
        (rule.repositoryFilters ?? []).length === 0 ||
        (rule.repositoryFilters ?? []).some((f) => f.filterType === "PREFIX_MATCH" && f.filter !== undefined && prefix.startsWith(f.filter)),
    );
  const missing = recovery.registry.replicatedPrefixes.filter((p) => !covered(p));
  if (missing.length === 0) {
    return {
      id,
      title,
      status: "pass",
      detail: `replicates ${recovery.registry.replicatedPrefixes.map((p) => `${p}*`).join(", ")} into ${recovery.accountId} ${recovery.region}`,
      fix: "",
    };
  }
  return {
    id,
    title,
    status: "fail",
    detail: `no rule of the ${primary.region} registry replicates ${missing.map((p) => `${p}*`).join(", ")} into ${recovery.accountId} ${recovery.region} (${rules.length} rule${rules.length === 1 ? "" : "s"} in all)`,
    fix: `${deployStackCommand(stackId("standby", recovery.region))}   # its ECR replication configuration in ${primary.region}`,
  };
}
