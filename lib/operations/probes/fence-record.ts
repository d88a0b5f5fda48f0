import type { S3Client } from "@aws-sdk/client-s3";
import type { Environment } from "../../environment";
import { fenceRecordKey, FENCE_RECORD_FORMAT } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { getObjectText } from "../aws/s3-objects";
import type { Workload } from "./workloads";

export type FenceStatus = "done" | "already done" | "would do" | "not reachable" | "failed";

export type FenceActionId = "flux" | "workloads" | "cronjobs" | "switch" | "replication" | "database" | "record";

/** One action of the fence as reported (and recorded). */
export interface FenceAction {
  readonly id: FenceActionId;
  readonly title: string;
  readonly status: FenceStatus;
  /** What was found or done; never a secret. */
  readonly detail: string;
}

/** What `fence` keeps in the state bucket (outside both regions, versioned, readable by every operator). */
export interface FenceRecord {
  readonly format: typeof FENCE_RECORD_FORMAT;
  readonly region: string;
  /** The first run that changed something. */
  readonly fencedAt: string;
  /** The last run that changed something. */
  readonly updatedAt: string;
  readonly actions: readonly FenceAction[];
  /** The workloads the fence scaled to zero, with the replicas they had (lifting restores them, or Flux does). */
  readonly scaledWorkloads: readonly Workload[];
}

/** The region's fence record; undefined when there is none yet. */
export async function probeFenceRecord(stateS3: S3Client, environment: Environment): Promise<Reading<FenceRecord | undefined>> {
  const key = fenceRecordKey(environment.region);
  const read = await reading(
    `S3 GetObject of s3://${environment.state.bucket}/${key}`,
    environment.state.region,
    async () => JSON.parse(await getObjectText(stateS3, environment.state.bucket, key)) as FenceRecord,
  );
  if (!read.ok && read.failure.name === "NoSuchKey") return { ok: true, value: undefined };
  return read;
}
