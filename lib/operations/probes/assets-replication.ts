import type { _Object, S3Client } from "@aws-sdk/client-s3";
import type { PrimaryEnvironment } from "../../environment";
import { environmentNames } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { headObject } from "../aws/s3-objects";
import { probeAssetObjects, type AssetObjects } from "./assets-objects";
import { probeReplicationRule, type ReplicationRules } from "./replication-rule";

/** An object's ReplicationStatus as S3 reports it on the source: `NONE` when S3 set none (written before the rule). */
export type ReplicationState = "COMPLETED" | "PENDING" | "FAILED" | "NONE" | "OTHER";

export interface SampledObject {
  readonly key: string;
  readonly lastModified?: Date;
  readonly state: ReplicationState;
}

/** The source side, in the primary's region (dark during an outage). */
export interface AssetsSource {
  readonly rules: ReplicationRules;
  /** The source's objects, the first `smallBucketObjects` of them. */
  readonly objects: AssetObjects;
}

export interface AssetsReplication {
  readonly sourceBucket: string;
  readonly replicaBucket: string;
  readonly sourceRegion: string;
  readonly replicaRegion: string;
  /** The replica's objects (the first `smallBucketObjects`), read in the recovery region: it answers when the primary is dark. A `not-found` failure: no replica bucket. */
  readonly replica: Reading<AssetObjects>;
  /** The rule and the source's objects; one failure for both (the same region answers both). */
  readonly source: Reading<AssetsSource>;
  /** The newest `sampleSize` source objects' ReplicationStatus (HeadObject), newest first; empty without source objects. */
  readonly sample: Reading<readonly SampledObject[]>;
}

export interface AssetsReplicationOptions {
  /** Source objects whose ReplicationStatus is read. */
  readonly sampleSize: number;
  /**
   * The source's region is declared lost (a recovery under way): it is not called at all, and the
   * source reads as unreachable. A recovery calls only its own region.
   * @default false
   */
  readonly sourceLost?: boolean;
  /** Up to this many keys, source and replica are listed completely (and can be compared). */
  readonly smallBucketObjects: number;
}

/**
 * The assets bucket's DR replication: the rule, both listings and a sample of replication states.
 * `clients.s3` is bound to the recovery region (the replica's), `clients.primaryS3` to the primary's.
 */
export async function probeAssetsReplication(
  clients: { readonly s3: S3Client; readonly primaryS3: S3Client },
  primary: PrimaryEnvironment,
  recoveryRegion: string,
  options: AssetsReplicationOptions,
): Promise<AssetsReplication> {
  const names = environmentNames(primary);
  const sourceRegion = primary.region;
  const limit = { maxKeys: options.smallBucketObjects };
  const both = `S3 GetBucketReplication and ListObjectsV2 of ${names.assetsBucket}`;
  if (options.sourceLost) {
    const failure = {
      kind: "unreachable",
      name: "NotCalled",
      description: `not called: ${sourceRegion} is declared lost`,
      call: both,
      region: sourceRegion,
    } as const;
    const replica = await probeAssetObjects(clients.s3, names.drAssetsBucket, recoveryRegion, limit);
    return {
      sourceBucket: names.assetsBucket,
      replicaBucket: names.drAssetsBucket,
      sourceRegion,
      replicaRegion: recoveryRegion,
      replica,
      source: { ok: false, failure },
      sample: { ok: true, value: [] },
    };
  }
  const [replica, rules, objects] = await Promise.all([
    probeAssetObjects(clients.s3, names.drAssetsBucket, recoveryRegion, limit),
    probeReplicationRule(clients.primaryS3, names.assetsBucket, sourceRegion),
    probeAssetObjects(clients.primaryS3, names.assetsBucket, sourceRegion, limit),
  ]);
  let source: Reading<AssetsSource>;
  if (!rules.ok) source = { ok: false, failure: { ...rules.failure, call: both } };
  else if (!objects.ok) source = { ok: false, failure: { ...objects.failure, call: both } };
  else source = { ok: true, value: { rules: rules.value, objects: objects.value } };
  const sample = source.ok
    ? await sampleStates(clients.primaryS3, names.assetsBucket, sourceRegion, source.value.objects.objects, options.sampleSize)
    : { ok: true as const, value: [] };
  return { sourceBucket: names.assetsBucket, replicaBucket: names.drAssetsBucket, sourceRegion, replicaRegion: recoveryRegion, replica, source, sample };
}

/** HeadObject on the newest objects, ten at a time. */
function sampleStates(s3: S3Client, bucket: string, region: string, objects: readonly _Object[], size: number): Promise<Reading<SampledObject[]>> {
  const newest = [...objects].sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0)).slice(0, size);
  return reading(`S3 HeadObject in ${bucket}`, region, async () => {
    const sampled: SampledObject[] = [];
    for (let i = 0; i < newest.length; i += 10) {
      const batch = newest.slice(i, i + 10);
      const heads = await Promise.all(batch.map((o) => headObject(s3, bucket, o.Key!)));
      heads.forEach((head, j) => sampled.push({ key: batch[j].Key!, lastModified: batch[j].LastModified, state: stateOf(head.ReplicationStatus) }));
    }
    return sampled;
  });
}

function stateOf(status: string | undefined): ReplicationState {
  if (status === undefined) return "NONE";
  if (status === "COMPLETE" || status === "COMPLETED") return "COMPLETED";
  return status === "PENDING" || status === "FAILED" ? status : "OTHER";
}
