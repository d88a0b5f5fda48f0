import type { S3Client } from "@aws-sdk/client-s3";
import { copyObject } from "../aws/s3-objects";

/** The CopySource of an object: its key's segments URL-encoded (a key may hold spaces, "+", ...). */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** Copies one object server-side from `sourceBucket` into `targetBucket` (the client's region), same key. */
export function copyAsset(
  target: S3Client,
  copy: { readonly sourceBucket: string; readonly targetBucket: string; readonly key: string; readonly owner: string },
): Promise<void> {
  return copyObject(target, { Bucket: copy.targetBucket, Key: copy.key, CopySource: copySource(copy.sourceBucket, copy.key), ExpectedBucketOwner: copy.owner });
}
