import type { Environment } from "../../../environment";
import { environmentNames, REPLICATION_RULE_ID } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { FenceAction } from "../../probes/fence-record";
import type { ReplicationRules } from "../../probes/replication-rule";
import { failedAction, type FenceDecision } from "./action";

/** The returning primary's assets must not replicate its stale objects over the live ones. */
export function replicationTitle(environment: Environment): string {
  return `Disable the replication rule "${REPLICATION_RULE_ID}" of ${environmentNames(environment).assetsBucket} (the rule is kept)`;
}

export function replicationDecision(environment: Environment, found: Reading<ReplicationRules>, apply: boolean): FenceDecision<ReplicationRules> {
  const title = replicationTitle(environment);
  if (!found.ok) return { action: failedAction("replication", title, found.failure) };
  const { bucket, configured, drRule } = found.value;
  const done = (detail: string): FenceDecision<ReplicationRules> => ({ action: { id: "replication", title, status: "already done", detail } });
  if (!configured) return done(`${bucket} has no replication configuration`);
  if (!drRule) return done(`${bucket} has no rule "${REPLICATION_RULE_ID}"`);
  if (drRule.Status === "Disabled") return done(`rule "${REPLICATION_RULE_ID}" is Disabled`);
  if (!apply)
    return {
      action: {
        id: "replication",
        title,
        status: "would do",
        detail: `S3 PutBucketReplication on ${bucket}: rule "${REPLICATION_RULE_ID}" Enabled -> Disabled`,
      },
    };
  return { act: found.value };
}

export function replicationOutcome(environment: Environment, written: Reading<void>): FenceAction {
  const title = replicationTitle(environment);
  if (!written.ok) return failedAction("replication", title, written.failure);
  return { id: "replication", title, status: "done", detail: `rule "${REPLICATION_RULE_ID}" Enabled -> Disabled` };
}
