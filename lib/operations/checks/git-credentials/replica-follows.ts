import { deployStackCommand, drCommand, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { GitCredentials, ReplicaStatus } from "../../probes/git-credentials";

/** Whether a replica carries the version just put: `pending` may still become `pass` (replication takes seconds). */
export interface ReplicaVerdict {
  readonly region: string;
  readonly status: "pass" | "pending" | "fail";
  readonly detail: string;
  readonly fix: string;
}

/**
 * A replica of the Git credentials secret follows a new value when its AWSCURRENT is the version
 * put in the primary region and the primary reports it InSync. `Failed` is final (the primary's
 * status message says why); anything else is still pending.
 */
export function replicaFollows(versionId: string, replica: Reading<GitCredentials>, status: ReplicaStatus | undefined, name: string): ReplicaVerdict {
  const region = status?.region ?? (replica.ok ? replica.value.region : replica.failure.region);
  const recheck = drCommand("preflight", region);
  if (status === undefined) {
    return {
      region,
      status: "fail",
      detail: `${name} has no replica in ${region}: the new value does not reach it`,
      fix: `${deployStackCommand(stackId("standby", region))}   # makes the replica; then run this command again`,
    };
  }
  if (status.status === "Failed") {
    return {
      region,
      status: "fail",
      detail: `replication to ${region} failed: ${status.message ?? "no message"}`,
      fix: `${recheck}   # after fixing the cause`,
    };
  }
  if (!replica.ok) return { region, status: "pending", detail: `${replica.failure.call}: ${replica.failure.description}`, fix: recheck };
  const found = replica.value;
  if (!found.exists) return { region, status: "pending", detail: `no ${name} readable in ${region} yet (replication ${status.status})`, fix: recheck };
  if (found.versionId === versionId && status.status === "InSync") {
    return { region, status: "pass", detail: `the replica in ${region} is AWSCURRENT version ${versionId} (InSync)`, fix: "" };
  }
  return {
    region,
    status: "pending",
    detail: `the replica in ${region} is at version ${found.versionId ?? "none"}, replication ${status.status} (waiting for ${versionId})`,
    fix: recheck,
  };
}
