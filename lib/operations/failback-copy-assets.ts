import type { _Object, S3Client } from "@aws-sdk/client-s3";
import type { PrimaryEnvironment } from "../environment";
import { environmentNames } from "../naming";
import { copyAsset } from "./actions/copy-asset";
import { missingAssets, planAssetCopy, type AssetCopyAction, type AssetCopyItem } from "./checks/asset-copy";
import { probeAssetObjects } from "./probes/assets-objects";

/**
 * `failback-copy-assets <from> <to>`: carries the assets written in the recovery during the outage
 * back to the primary's bucket, with a completion check by listing (key, size, ETag).
 */

export interface AssetCopyResult {
  readonly sourceBucket: string;
  readonly targetBucket: string;
  readonly apply: boolean;
  readonly items: readonly AssetCopyItem[];
  readonly copied: number;
  /** Keys of the source not (or not identically) in the target after the run. */
  readonly missing: readonly string[];
  readonly complete: boolean;
}

/** Every object of an assets bucket by key; a failed listing throws (nothing can be compared). */
async function listing(s3: S3Client, bucket: string, region: string): Promise<Map<string, _Object>> {
  const read = await probeAssetObjects(s3, bucket, region);
  if (!read.ok) throw new Error(`${read.failure.call} in ${region} failed: ${read.failure.description}`);
  return new Map(read.value.objects.map((o) => [o.Key!, o]));
}

/**
 * Copies the objects of the recovery's assets bucket (the primary's replica) that the primary's
 * bucket lacks, or holds an older different version of, into the primary's bucket; then lists the
 * target again and reports every source object not there identically. A target version newer
 * than the source's is a conflict: kept, listed, never overwritten (both stay in version history).
 * `clients.source` is bound to the recovery region (`primary.drRegion`), `clients.target` to the primary's.
 */
export async function copyAssetsBack(
  primary: PrimaryEnvironment,
  clients: { readonly source: S3Client; readonly target: S3Client },
  options: { readonly apply?: boolean; readonly since?: Date } = {},
): Promise<AssetCopyResult> {
  const names = environmentNames(primary);
  const sourceBucket = names.drAssetsBucket;
  const targetBucket = names.assetsBucket;
  const apply = options.apply ?? false;
  const source = [...(await listing(clients.source, sourceBucket, primary.drRegion)).values()].filter(
    (o) => !options.since || (o.LastModified && o.LastModified >= options.since),
  );
  const before = await listing(clients.target, targetBucket, primary.region);
  const items = planAssetCopy(source, before, { source: sourceBucket, target: targetBucket, sourceRegion: primary.drRegion, targetRegion: primary.region });
  let copied = 0;
  if (apply) {
    for (const item of items.filter((i) => i.action === "copy")) {
      await copyAsset(clients.target, { sourceBucket, targetBucket, key: item.key, owner: primary.accountId });
      copied++;
    }
  }
  const after = apply ? await listing(clients.target, targetBucket, primary.region) : before;
  const missing = missingAssets(source, after);
  return { sourceBucket, targetBucket, apply, items, copied, missing, complete: missing.length === 0 };
}

export function formatAssetCopy(result: AssetCopyResult): string {
  const count = (action: AssetCopyAction) => result.items.filter((i) => i.action === action).length;
  const lines = [
    `Assets ${result.sourceBucket} -> ${result.targetBucket}${result.apply ? "" : " (dry run: nothing is copied; --apply copies)"}`,
    `${result.items.length} objects in the source: ${count("present")} already there, ${count("copy")} ${result.apply ? "copied" : "to copy"}, ${count("conflict")} conflicts, ${count("too large")} too large for one copy`,
  ];
  for (const item of result.items.filter((i) => i.action !== "present")) {
    lines.push(`  ${item.action.toUpperCase()} ${item.key} (${item.size} bytes)${item.detail ? `: ${item.detail}` : ""}`);
  }
  lines.push(
    result.complete
      ? `COMPLETE: every object of ${result.sourceBucket} is in ${result.targetBucket} (key, size, ETag)`
      : `INCOMPLETE: ${result.missing.length} objects of ${result.sourceBucket} are not in ${result.targetBucket}: ${result.missing.slice(0, 20).join(", ")}${result.missing.length > 20 ? ", ..." : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
