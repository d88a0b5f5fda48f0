import type { _Object, S3Client } from "@aws-sdk/client-s3";
import { REPLICATION_REPORT_PREFIX } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { listObjects } from "../aws/s3-objects";

/** The application's objects of an assets bucket (or of its replica). */
export interface AssetObjects {
  /** Objects with a key, batch replication reports left out (they belong to the replica, not to the application). */
  readonly objects: readonly _Object[];
  /** True when only the first `maxKeys` were listed and the bucket holds more. */
  readonly truncated: boolean;
}

/**
 * The objects of an assets bucket: all of them, or with `maxKeys` the first page. No prefix: moto
 * rejects the signature of a listing whose prefix holds "/" (docs/backups.md). A missing bucket is
 * a `not-found` failure.
 */
export async function probeAssetObjects(
  s3: S3Client,
  bucket: string,
  region: string,
  options: { readonly maxKeys?: number } = {},
): Promise<Reading<AssetObjects>> {
  const listed = await reading(`S3 ListObjectsV2 of ${bucket}`, region, () => listObjects(s3, bucket, { maxKeys: options.maxKeys }));
  if (!listed.ok) return listed;
  const objects = listed.value.objects.filter((o) => o.Key && !o.Key.startsWith(REPLICATION_REPORT_PREFIX));
  return { ok: true, value: { objects, truncated: listed.value.truncated } };
}
