import type { S3Client } from "@aws-sdk/client-s3";
import { ARCHIVE_DUMP_FILE, ARCHIVE_MANIFEST_FILE, ARCHIVE_MANIFEST_FORMAT, ARCHIVE_PREFIX, parseArchiveKey } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { getObjectText, listObjects } from "../aws/s3-objects";

/**
 * The newest database archive of a bucket, found by its manifest: backup/archive-database.sh writes
 * `<ARCHIVE_PREFIX>/<database>/<stamp>/archive.dump`, then `manifest.json` last, so the newest
 * archive is the folder with the greatest stamp that holds a manifest (a folder without one is an
 * upload in progress or a failed one), never the newest object of the bucket (which is a manifest).
 */

export interface TableChecksum {
  readonly schema: string;
  readonly table: string;
  readonly rows: number;
  /** Sum of the first 60 bits of md5(row text), decimal (see backup/table-checksums.sql). */
  readonly checksum: string;
}

/** manifest.json as backup/archive-database.sh writes it. */
export interface ArchiveManifest {
  readonly format: typeof ARCHIVE_MANIFEST_FORMAT;
  readonly keyPrefix: string;
  readonly database: string;
  readonly serverVersion: string;
  /** UTC ISO 8601: the dump step started. */
  readonly startedAt: string;
  /** UTC ISO 8601: the snapshot the archive holds; the recovery point of the archive path. */
  readonly snapshotAt: string;
  readonly finishedAt: string;
  readonly archive: { readonly file: string; readonly format: "custom"; readonly bytes: number; readonly sha256: string };
  readonly tables: readonly TableChecksum[];
}

/** One archive: its folder, its two keys and what its manifest says. */
export interface Archive {
  readonly bucket: string;
  /** `postgres/<database>/<stamp>/`. */
  readonly folder: string;
  readonly manifestKey: string;
  /** The dump the manifest names (`archive.dump`). */
  readonly archiveKey: string;
  readonly manifest: ArchiveManifest;
}

export type ArchiveFound =
  | { readonly found: "archive"; readonly archive: Archive }
  /** No folder with a manifest under `prefix` (`postgres/` or `postgres/<database>/`). */
  | { readonly found: "none"; readonly prefix: string }
  | { readonly found: "no-bucket" }
  /** The manifest cannot be read (`read`: the call's failure) or is not an archive manifest (`invalid`); `problem` says why. */
  | { readonly found: "unreadable"; readonly manifestKey: string; readonly cause: "read" | "invalid"; readonly problem: string };

/**
 * The newest archive in `bucket` (of `database` only, when given): one listing under the archive
 * prefix (every page), the greatest stamp among folders holding a manifest (then the greatest key),
 * and its manifest read and checked.
 */
export async function probeNewestArchive(
  s3: S3Client,
  bucket: string,
  region: string,
  options: { readonly database?: string } = {},
): Promise<Reading<ArchiveFound>> {
  const listed = await reading(`S3 ListObjectsV2 of ${bucket}`, region, () => listObjects(s3, bucket, { prefix: ARCHIVE_PREFIX }));
  // A listing finds nothing but the bucket itself missing.
  if (!listed.ok) return listed.failure.kind === "not-found" ? { ok: true, value: { found: "no-bucket" } } : listed;
  let newest: { key: string; stamp: string } | undefined;
  for (const object of listed.value.objects) {
    const parsed = object.Key ? parseArchiveKey(object.Key) : undefined;
    if (!parsed || parsed.file !== ARCHIVE_MANIFEST_FILE || (options.database !== undefined && parsed.database !== options.database)) continue;
    if (!newest || parsed.stamp > newest.stamp || (parsed.stamp === newest.stamp && object.Key! > newest.key))
      newest = { key: object.Key!, stamp: parsed.stamp };
  }
  if (!newest) return { ok: true, value: { found: "none", prefix: `${ARCHIVE_PREFIX}/${options.database ? `${options.database}/` : ""}` } };
  return { ok: true, value: await readArchive(s3, bucket, region, newest.key) };
}

/** The archive whose folder, dump or manifest `key` names (`--archive <key>`). */
export async function readArchive(s3: S3Client, bucket: string, region: string, key: string): Promise<ArchiveFound> {
  const folder = archiveFolderOf(key);
  const manifestKey = `${folder}${ARCHIVE_MANIFEST_FILE}`;
  const text = await reading(`S3 GetObject of s3://${bucket}/${manifestKey}`, region, () => getObjectText(s3, bucket, manifestKey));
  if (!text.ok) return { found: "unreadable", manifestKey, cause: "read", problem: text.failure.description };
  try {
    const manifest = parseManifest(text.value, manifestKey);
    return { found: "archive", archive: { bucket, folder, manifestKey, archiveKey: `${folder}${manifest.archive.file}`, manifest } };
  } catch (error) {
    return { found: "unreadable", manifestKey, cause: "invalid", problem: (error as Error).message };
  }
}

/** The folder (with a trailing "/") of an archive key, its manifest key or the folder itself. */
export function archiveFolderOf(key: string): string {
  const last = key.slice(key.lastIndexOf("/") + 1);
  const folder = last === ARCHIVE_MANIFEST_FILE || last === ARCHIVE_DUMP_FILE ? key.slice(0, key.length - last.length) : key;
  return folder.endsWith("/") ? folder : `${folder}/`;
}

/** The folder of the archive `key` names (its dump, its manifest or its folder); undefined when it names no archive. */
export function archiveFolderNamed(key: string): string | undefined {
  const folder = archiveFolderOf(key);
  return parseArchiveKey(`${folder}${ARCHIVE_MANIFEST_FILE}`) ? folder : undefined;
}

/** Every object of an archive's folder with its size, the manifest last: the order a copy writes them in (a folder with a manifest is whole). */
export async function probeArchiveObjects(s3: S3Client, archive: Archive, region: string): Promise<Reading<{ key: string; bytes: number }[]>> {
  return reading(`S3 ListObjectsV2 of ${archive.bucket}`, region, async () =>
    (await listObjects(s3, archive.bucket, { prefix: ARCHIVE_PREFIX })).objects
      .filter((o) => o.Key?.startsWith(archive.folder))
      .map((o) => ({ key: o.Key!, bytes: o.Size ?? 0 }))
      .sort((a, b) => Number(a.key === archive.manifestKey) - Number(b.key === archive.manifestKey) || a.key.localeCompare(b.key)),
  );
}

/** The manifest's text checked for what a verification relies on; throws naming every problem. */
export function parseManifest(text: string, key: string): ArchiveManifest {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`verify-backup: s3 object ${key} is not JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (value?.format !== ARCHIVE_MANIFEST_FORMAT) problems.push(`format must be "${ARCHIVE_MANIFEST_FORMAT}" (got ${JSON.stringify(value?.format)})`);
  if (typeof value?.archive?.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(value.archive.sha256))
    problems.push(`archive.sha256 must be 64 hex digits (got ${JSON.stringify(value?.archive?.sha256)})`);
  if (typeof value?.archive?.file !== "string" || value.archive.file.includes("/"))
    problems.push(`archive.file must be a file name (got ${JSON.stringify(value?.archive?.file)})`);
  if (Number.isNaN(Date.parse(value?.snapshotAt))) problems.push(`snapshotAt must be an ISO 8601 time (got ${JSON.stringify(value?.snapshotAt)})`);
  if (!Array.isArray(value?.tables)) problems.push(`tables must be a list (got ${JSON.stringify(value?.tables)})`);
  if (problems.length > 0) throw new Error(`verify-backup: manifest ${key} is not an archive manifest:\n  ${problems.join("\n  ")}`);
  return value as ArchiveManifest;
}
