import type { S3Client } from "@aws-sdk/client-s3";
import { reading, type Reading } from "../aws/errors";
import { headObject } from "../aws/s3-objects";
import type { ReplicationState } from "./assets-replication";

/** One source object's replication as S3 reports it on the source (HeadObject). */
export interface ObjectReplication {
  readonly key: string;
  readonly lastModified?: Date;
  readonly state: ReplicationState;
  /** The ReplicationStatus header as S3 sent it (undefined when it sent none). */
  readonly status?: string;
}

/**
 * S3 HeadObject of each key, in order: its ReplicationStatus on the source, which S3 sets when a
 * rule applied to the write (COMPLETED once every destination has it, FAILED when any refused it).
 */
export async function probeObjectReplication(s3: S3Client, bucket: string, keys: readonly string[], region: string): Promise<Reading<ObjectReplication[]>> {
  return reading(`S3 HeadObject in ${bucket}`, region, () =>
    Promise.all(
      keys.map(async (key) => {
        const head = await headObject(s3, bucket, key);
        const status = head.ReplicationStatus as string | undefined;
        return { key, lastModified: head.LastModified, state: replicationState(status), status };
      }),
    ),
  );
}

/** S3's ReplicationStatus as a state (`COMPLETE` is what some endpoints send for COMPLETED). */
export function replicationState(status: string | undefined): ReplicationState {
  if (status === undefined) return "NONE";
  if (status === "COMPLETE" || status === "COMPLETED") return "COMPLETED";
  return status === "PENDING" || status === "FAILED" ? status : "OTHER";
}
