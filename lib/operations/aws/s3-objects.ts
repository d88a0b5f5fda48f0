import type { Readable } from "stream";
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type _Object,
  type CopyObjectCommandInput,
  type HeadObjectCommandOutput,
  type PutObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { paginate } from "./paginate";

/**
 * The S3 object calls every fact and action shares (archives, exports, state objects, assets),
 * each made here only: a listing, a read, a head, a write and a copy.
 */

export interface ObjectListing {
  readonly objects: readonly _Object[];
  /** True when the bucket holds more than `maxKeys` objects under the prefix. */
  readonly truncated: boolean;
}

/**
 * The objects of a bucket under `prefix`: every page, or with `maxKeys` the first page only. A
 * prefix should carry no "/": moto 5.2.1 rejects the signature of such a listing when IAM is
 * enforced (docs/backups.md); callers filter the few extra keys.
 */
export async function listObjects(s3: S3Client, bucket: string, options: { readonly prefix?: string; readonly maxKeys?: number } = {}): Promise<ObjectListing> {
  const request = (token: string | undefined) =>
    s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: options.prefix, MaxKeys: options.maxKeys, ContinuationToken: token }));
  if (options.maxKeys !== undefined) {
    const page = await request(undefined);
    return { objects: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
  }
  const objects = await paginate(
    request,
    (page) => page.Contents,
    (page) => (page.IsTruncated ? page.NextContinuationToken : undefined),
  );
  return { objects, truncated: false };
}

/** An object's body as text. */
export async function getObjectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString("utf8");
}

/** An object's body as a stream (a large archive). */
export async function getObjectStream(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  return (await getObject(s3, bucket, key)).body;
}

/** An object as a stream with what a copy of it needs: its length, content type and version. */
export async function getObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ readonly body: Readable; readonly contentLength?: number; readonly contentType?: string; readonly versionId?: string }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    body: object.Body as Readable,
    ...(object.ContentLength !== undefined ? { contentLength: object.ContentLength } : {}),
    ...(object.ContentType ? { contentType: object.ContentType } : {}),
    ...(object.VersionId ? { versionId: object.VersionId } : {}),
  };
}

/** An object's metadata (HeadObject). */
export function headObject(s3: S3Client, bucket: string, key: string): Promise<HeadObjectCommandOutput> {
  return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

/** Writes an object. */
export async function putObject(s3: S3Client, input: PutObjectCommandInput): Promise<void> {
  await s3.send(new PutObjectCommand(input));
}

/** Copies an object server-side (at most 5 GiB). */
export async function copyObject(s3: S3Client, input: CopyObjectCommandInput): Promise<void> {
  await s3.send(new CopyObjectCommand(input));
}
