import { PutBucketReplicationCommand, type S3Client } from "@aws-sdk/client-s3";
import { REPLICATION_RULE_ID } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import type { ReplicationRules } from "../probes/replication-rule";

/** Rewrites the bucket's replication configuration with the DR rule Disabled (kept: lifting the fence is enabling it). */
export function disableReplicationRule(s3: S3Client, found: ReplicationRules, region: string): Promise<Reading<void>> {
  return reading(`S3 PutBucketReplication of ${found.bucket}`, region, async () => {
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: found.bucket,
        ReplicationConfiguration: { Role: found.role, Rules: found.rules.map((r) => (r.ID === REPLICATION_RULE_ID ? { ...r, Status: "Disabled" } : r)) },
      }),
    );
  });
}
