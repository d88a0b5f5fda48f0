import type { _Object } from "@aws-sdk/client-s3";

/** What happens to one object of the recovery's assets bucket. */
export type AssetCopyAction = "copy" | "present" | "conflict" | "too large";

export interface AssetCopyItem {
  readonly key: string;
  readonly size: number;
  readonly action: AssetCopyAction;
  readonly detail?: string;
}

/** CopyObject copies at most 5 GiB in one request. */
export const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;

/** Same content as far as a listing tells: size, and the ETag unless one of them is a multipart ETag (which a copy changes). */
export function sameObject(a: _Object, b: _Object): boolean {
  if (a.Size !== b.Size) return false;
  const multipart = (etag?: string) => etag?.includes("-") ?? false;
  return multipart(a.ETag) || multipart(b.ETag) || a.ETag === b.ETag;
}

/**
 * What to do with each source object given the target's listing: present (identical), a conflict
 * (the target holds a newer different version: kept, never overwritten), too large for one copy
 * (with the command that copies it), or copy.
 */
export function planAssetCopy(
  source: readonly _Object[],
  target: ReadonlyMap<string, _Object>,
  buckets: { readonly source: string; readonly target: string; readonly sourceRegion: string; readonly targetRegion: string },
): AssetCopyItem[] {
  return source.map((o) => {
    const existing = target.get(o.Key!);
    const size = o.Size ?? 0;
    if (existing && sameObject(o, existing)) return { key: o.Key!, size, action: "present" };
    if (existing && existing.LastModified && o.LastModified && existing.LastModified > o.LastModified) {
      return {
        key: o.Key!,
        size,
        action: "conflict",
        detail: `${buckets.target} holds a newer, different version (${existing.LastModified.toISOString()}); decide by hand`,
      };
    }
    if (size > COPY_OBJECT_LIMIT) {
      return {
        key: o.Key!,
        size,
        action: "too large",
        detail: `aws s3 cp s3://${buckets.source}/${o.Key} s3://${buckets.target}/${o.Key} --source-region ${buckets.sourceRegion} --region ${buckets.targetRegion}`,
      };
    }
    return { key: o.Key!, size, action: "copy" };
  });
}

/** Keys of the source not (or not identically) in the target: the completion check. */
export function missingAssets(source: readonly _Object[], target: ReadonlyMap<string, _Object>): string[] {
  return source.filter((o) => !target.has(o.Key!) || !sameObject(o, target.get(o.Key!)!)).map((o) => o.Key!);
}
