import type { S3Client } from "@aws-sdk/client-s3";
import { stateKey } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { getObjectText, headObject } from "../aws/s3-objects";

/** A stack's state object in the state bucket: whether the stack was ever applied, and when last. */
export type StateObject = { readonly exists: false } | { readonly exists: true; readonly lastModified?: Date };

/** S3 HeadObject of a stack's state (a missing object or bucket: never applied). */
export async function probeStateObject(s3: S3Client, bucket: string, stack: string, region: string): Promise<Reading<StateObject>> {
  const key = stateKey(stack);
  const head = await reading(`S3 HeadObject of s3://${bucket}/${key}`, region, () => headObject(s3, bucket, key));
  if (!head.ok) return head.failure.kind === "not-found" ? { ok: true, value: { exists: false } } : head;
  return { ok: true, value: { exists: true, lastModified: head.value.LastModified } };
}

/** A stack's outputs as its state holds them; `applied: false` when there is no state object. */
export type StackOutputs = { readonly applied: false } | { readonly applied: true; readonly outputs: Readonly<Record<string, { readonly value: unknown }>> };

/** S3 GetObject of a stack's state, its outputs only. */
export async function probeStackOutputs(s3: S3Client, bucket: string, stack: string, region: string): Promise<Reading<StackOutputs>> {
  const read = await reading(`S3 GetObject of s3://${bucket}/${stateKey(stack)}`, region, async () => {
    const state = JSON.parse((await getObjectText(s3, bucket, stateKey(stack))) || "{}") as { outputs?: Record<string, { value: unknown }> };
    return state.outputs ?? {};
  });
  if (!read.ok) return read.failure.kind === "not-found" ? { ok: true, value: { applied: false } } : read;
  return { ok: true, value: { applied: true, outputs: read.value } };
}
