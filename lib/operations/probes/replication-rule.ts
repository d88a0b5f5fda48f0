import { GetBucketReplicationCommand, type ReplicationRule, type S3Client } from "@aws-sdk/client-s3";
import { REPLICATION_RULE_ID } from "../../naming";
import { reading, type Reading } from "../aws/errors";

/** An assets bucket's replication configuration, and the DR rule in it. */
export interface ReplicationRules {
  readonly bucket: string;
  /** False when the bucket has no replication configuration at all. */
  readonly configured: boolean;
  /** The role S3 replicates as (kept when a rule is rewritten). */
  readonly role?: string;
  readonly rules: readonly ReplicationRule[];
  /** The rule with id REPLICATION_RULE_ID, if any. */
  readonly drRule?: ReplicationRule;
}

/** S3 GetBucketReplication; "no configuration" is a fact, not a failure. */
export async function probeReplicationRule(s3: S3Client, bucket: string, region: string): Promise<Reading<ReplicationRules>> {
  const read = await reading(`S3 GetBucketReplication of ${bucket}`, region, () => s3.send(new GetBucketReplicationCommand({ Bucket: bucket })));
  if (!read.ok) {
    if (read.failure.name !== "ReplicationConfigurationNotFoundError") return read;
    return { ok: true, value: { bucket, configured: false, rules: [] } };
  }
  const config = read.value.ReplicationConfiguration;
  const rules = config?.Rules ?? [];
  return { ok: true, value: { bucket, configured: true, role: config?.Role, rules, drRule: rules.find((r) => r.ID === REPLICATION_RULE_ID) } };
}
