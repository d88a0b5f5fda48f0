import type { PrimaryEnvironment } from "../../../environment";
import { bucketArn, deployStackCommand, drCommand, REPLICATION_RULE_ID, stackId } from "../../../naming";
import type { AssetsReplication, ReplicationState, SampledObject } from "../../probes/assets-replication";
import { formatMinutes, formatTime, judgeRecoveryPoint } from "../recovery-point";
import { failedRead, gapFor, notServed, type StatusRow, type StatusTarget } from "./row";

/**
 * The assets' recovery point: the rule replicates into the replica, the sampled source objects are
 * replicated (the oldest pending one is the recovery point), and for small buckets every key is in
 * the replica.
 */
export function assetsRow(primary: PrimaryEnvironment, found: AssetsReplication, target: StatusTarget, now: Date, smallBucketObjects: number): StatusRow {
  const { sourceBucket: source, replicaBucket: replica } = found;
  const minutes = primary.recoveryObjectives.assetsMinutes;
  const row = { id: "assets", store: "assets", target: formatMinutes(minutes) };
  const deploy = deployStackCommand(stackId("application", primary.region));
  const deployFix = `${deploy}   # the rule "${REPLICATION_RULE_ID}" on ${source} replicates into ${replica}`;
  const batchFix = `${drCommand("replicate-existing", primary.region)}   # S3 Batch Replication copies objects written before the rule and those whose replication failed`;

  // The replica side first: it is in the recovery region and answers even when the primary is dark.
  if (!found.replica.ok) {
    if (found.replica.failure.kind === "not-found")
      return { ...row, state: "no replica", verdict: "missed", detail: `no bucket ${replica} in ${found.replicaRegion}`, fix: deployFix };
    return failedRead(row, found.replica.failure);
  }
  const replicaObjects = found.replica.value.objects;
  const replicaCount = `${replicaObjects.length}${found.replica.value.truncated ? "+" : ""}`;
  if (!found.source.ok) {
    const failed = failedRead(row, found.source.failure);
    const newest = replicaObjects.reduce<Date | undefined>((t, o) => (o.LastModified && (!t || o.LastModified > t) ? o.LastModified : t), undefined);
    return {
      ...failed,
      detail: `${failed.detail}\nthe replica ${replica} holds ${replicaCount} objects${newest ? `, the newest replicated ${formatTime(newest)}` : ""}: a recovery has those`,
    };
  }

  const rule = found.source.value.rules.drRule;
  const rtc = rule?.Destination?.ReplicationTime?.Status === "Enabled";
  const ruleText = !rule
    ? `no rule "${REPLICATION_RULE_ID}" on ${source}`
    : `rule "${REPLICATION_RULE_ID}" ${rule.Status === "Enabled" ? "enabled" : "DISABLED"} into ${rule.Destination?.Bucket ?? "(no destination)"}, Replication Time Control ${rtc ? "on (15 min)" : "off (no replication time promised)"}`;
  if (!rule || rule.Status !== "Enabled" || rule.Destination?.Bucket !== bucketArn(replica)) {
    return { ...row, state: "not replicating", verdict: "missed", detail: ruleText, fix: deployFix };
  }

  const { objects, truncated } = found.source.value.objects;
  if (objects.length === 0)
    return { ...row, state: "current (the bucket is empty)", recoveryPoint: now, verdict: "met", detail: `${ruleText}\n${source} holds no object`, fix: "" };
  if (!found.sample.ok) return failedRead(row, found.sample.failure);
  const sample = found.sample.value;
  const of = (state: ReplicationState) => sample.filter((s) => s.state === state);
  const tally = (["COMPLETED", "PENDING", "FAILED", "NONE", "OTHER"] as const)
    .filter((s) => of(s).length > 0)
    .map((s) => `${of(s).length} ${s === "NONE" ? "without a status" : s}`)
    .join(", ");
  const small = !truncated && !found.replica.value.truncated;
  const replicaKeys = new Set(replicaObjects.map((o) => o.Key));
  const absent = small ? objects.filter((o) => !replicaKeys.has(o.Key)) : [];
  const detail = [
    ruleText,
    `newest ${sample.length} of ${objects.length}${truncated ? "+" : ""} source objects: ${tally}`,
    small
      ? `source ${objects.length} keys, replica ${replicaObjects.length} keys${absent.length ? `; not in the replica: ${listed(absent.map((o) => o.Key!))}` : ""}`
      : `source ${objects.length}${truncated ? "+" : ""} keys, replica ${replicaCount} keys (more than ${smallBucketObjects}: keys not compared)`,
  ].join("\n");

  const gap = gapFor(target, "aws_s3_bucket_replication_configuration");
  if (gap && of("COMPLETED").length === 0 && of("PENDING").length === 0 && of("FAILED").length === 0) return notServed(row, target, gap, detail);

  const never = [...of("FAILED"), ...of("NONE"), ...of("OTHER")];
  if (never.length > 0) {
    const oldest = oldestOf(never, now);
    return {
      ...row,
      recoveryPoint: oldest,
      state: `${never.length} of ${sample.length} sampled never replicated (oldest ${formatTime(oldest)})`,
      verdict: "missed",
      detail,
      fix: batchFix,
    };
  }
  const pending = of("PENDING");
  if (pending.length > 0) {
    const oldest = oldestOf(pending, now);
    const judged = judgeRecoveryPoint(oldest, minutes, now);
    return {
      ...row,
      recoveryPoint: oldest,
      ...judged,
      state: `${judged.state}, oldest of ${pending.length} pending`,
      detail,
      fix:
        judged.verdict === "met"
          ? ""
          : `${rtc ? "" : `turn Replication Time Control on (assets.replicationTimeControl in environments/${primary.region}.ts, then ${deploy}); `}check the rule's metrics: aws cloudwatch get-metric-statistics --namespace AWS/S3 --metric-name OperationsPendingReplication --dimensions Name=SourceBucket,Value=${source} Name=DestinationBucket,Value=${replica} Name=RuleId,Value="${REPLICATION_RULE_ID}" --region ${primary.region} ...`,
    };
  }
  if (absent.length > 0) return { ...row, state: `${absent.length} keys missing in the replica`, verdict: "missed", detail, fix: batchFix };
  return { ...row, recoveryPoint: now, state: `current (${sample.length} sampled replicated)`, verdict: "met", detail, fix: "" };
}

function oldestOf(objects: readonly SampledObject[], now: Date): Date {
  return objects.reduce((t, o) => (o.lastModified && o.lastModified < t ? o.lastModified : t), now);
}

/** Up to five keys, and how many more. */
function listed(keys: readonly string[]): string {
  return `${keys.slice(0, 5).join(", ")}${keys.length > 5 ? `, and ${keys.length - 5} more` : ""}`;
}
