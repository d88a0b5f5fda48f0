import type { S3Client } from "@aws-sdk/client-s3";
import { DEFINITIONS_PREFIX, parseDefinitionsKey, stampTime } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { listObjects } from "../aws/s3-objects";

/** The newest RabbitMQ definitions export (backup/broker-definitions.sh: `rabbitmq/<stamp>/definitions.json`). */
export type DefinitionsFound =
  | { readonly found: "export"; readonly key: string; readonly exportedAt: Date; readonly bytes: number }
  | { readonly found: "none"; readonly prefix: string }
  | { readonly found: "no-bucket" };

/** One listing under the definitions prefix (every page); the greatest stamp is the newest. */
export async function probeNewestDefinitions(s3: S3Client, bucket: string, region: string): Promise<Reading<DefinitionsFound>> {
  const listed = await reading(`S3 ListObjectsV2 of ${bucket}`, region, () => listObjects(s3, bucket, { prefix: DEFINITIONS_PREFIX }));
  if (!listed.ok) return listed.failure.kind === "not-found" ? { ok: true, value: { found: "no-bucket" } } : listed;
  let newest: { key: string; stamp: string; bytes: number } | undefined;
  for (const object of listed.value.objects) {
    const parsed = object.Key ? parseDefinitionsKey(object.Key) : undefined;
    if (parsed && (!newest || parsed.stamp > newest.stamp)) newest = { key: object.Key!, stamp: parsed.stamp, bytes: object.Size ?? 0 };
  }
  if (!newest) return { ok: true, value: { found: "none", prefix: `${DEFINITIONS_PREFIX}/` } };
  return { ok: true, value: { found: "export", key: newest.key, exportedAt: stampTime(newest.stamp), bytes: newest.bytes } };
}
