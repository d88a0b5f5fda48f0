import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { S3Client } from "@aws-sdk/client-s3";
import { compareArchive, compareTables, type Difference } from "./checks/archive-tables";
import { connection, restore, restoredTables, userRelations } from "./postgres";
import { downloadObject } from "./probes/archive-file";
import { probeNewestArchive, readArchive, type Archive, type ArchiveFound, type ArchiveManifest } from "./probes/newest-archive";

/**
 * `verify-backup <region> --target <url>`: downloads an archive written by backup/archive-database.sh
 * (the newest, by its manifest, unless one is named), checks it against its manifest, restores it
 * into an empty PostgreSQL and compares every table.
 */

export interface VerifyArchiveOptions {
  /** Bucket holding the archives: the primary's hosting-services bucket. */
  readonly bucket: string;
  /**
   * The region of the bucket (the S3 client's), named in errors.
   * @default - the S3 client's region
   */
  readonly region?: string;
  /**
   * Key of an archive's folder, its archive.dump or its manifest.json.
   * @default - the newest archive (greatest stamp among folders holding a manifest.json)
   */
  readonly archiveKey?: string;
  /**
   * Consider only this database's archives when looking for the newest.
   * @default - archives of any database
   */
  readonly database?: string;
  /** `postgresql://user[:password]@host[:port]/database[?sslmode=...]` of an EMPTY database to restore into. */
  readonly targetUrl: string;
  /**
   * Folder holding pg_restore and psql (the major version of the archive's server or newer).
   * @default - found on PATH
   */
  readonly pgBinDir?: string;
  /**
   * Folder the archive is downloaded into.
   * @default - a new temporary folder, removed afterwards
   */
  readonly workDir?: string;
  /** @default - the current time */
  readonly now?: Date;
}

export interface VerifyArchiveResult {
  readonly passed: boolean;
  readonly bucket: string;
  readonly archiveKey: string;
  readonly manifestKey: string;
  readonly manifest: ArchiveManifest;
  /** The archive's snapshot time: a recovery from this archive loses every write after it. */
  readonly recoveryPoint: Date;
  readonly archiveAgeSeconds: number;
  /** pg_restore's wall-clock time; undefined when the archive was not restored. */
  readonly restoreSeconds?: number;
  readonly differences: readonly Difference[];
  /** What an operator reads: archive, age, restore time, every difference, the verdict. */
  readonly lines: readonly string[];
}

/** The archive to verify, or the reason there is none to verify (thrown). */
async function archiveToVerify(options: VerifyArchiveOptions, s3: S3Client): Promise<Archive> {
  const region = options.region ?? (await s3.config.region());
  let found: ArchiveFound;
  if (options.archiveKey) {
    found = await readArchive(s3, options.bucket, region, options.archiveKey);
  } else {
    const newest = await probeNewestArchive(s3, options.bucket, region, { database: options.database });
    if (!newest.ok) throw new Error(`verify-backup: ${newest.failure.call} in ${region} failed: ${newest.failure.description}`);
    found = newest.value;
  }
  switch (found.found) {
    case "archive":
      return found.archive;
    case "unreadable":
      throw new Error(found.cause === "invalid" ? found.problem : `verify-backup: cannot read s3://${options.bucket}/${found.manifestKey}: ${found.problem}`);
    case "none":
      throw new Error(`verify-backup: no archive with a manifest.json under s3://${options.bucket}/${found.prefix}: check the database archive job`);
    case "no-bucket":
      throw new Error(`verify-backup: no bucket ${options.bucket} in ${region}`);
  }
}

/**
 * Verifies one archive end to end. Throws (with the reason) when nothing can be verified: no
 * archive, an unreadable manifest, a target that is not empty or cannot be reached. Returns a
 * failed result, naming every difference, when the archive does not match its manifest.
 */
export async function verifyArchive(options: VerifyArchiveOptions, clients: { s3: S3Client }): Promise<VerifyArchiveResult> {
  const now = options.now ?? new Date();
  const target = connection(options.targetUrl);
  const tools = (name: string) => (options.pgBinDir ? path.join(options.pgBinDir, name) : name);
  const { manifest, manifestKey, archiveKey } = await archiveToVerify(options, clients.s3);

  // Refuse before downloading: a restore into a used database would mix old and restored rows.
  const relations = userRelations(tools("psql"), target);
  if (relations.length > 0) {
    const shown = relations.slice(0, 3).join(", ") + (relations.length > 3 ? ", ..." : "");
    throw new Error(
      `verify-backup: the target database ${target.display} is not empty (${relations.length} relations: ${shown}); restore only into an empty database`,
    );
  }

  const ownDir = options.workDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "verify-backup-"));
  const dir = options.workDir ?? ownDir!;
  try {
    const file = path.join(dir, "archive.dump");
    const region = options.region ?? (await clients.s3.config.region());
    const downloaded = await downloadObject(clients.s3, options.bucket, archiveKey, region, file);
    if (!downloaded.ok) throw new Error(`verify-backup: cannot read s3://${options.bucket}/${archiveKey}: ${downloaded.failure.description}`);
    const differences = compareArchive(manifest.archive, downloaded.value);
    let restoreSeconds: number | undefined;
    // A corrupted archive is not restored: what it would restore proves nothing.
    if (differences.length === 0) {
      const restored = restore(tools("pg_restore"), target, file);
      restoreSeconds = restored.seconds;
      if (restored.status !== 0) {
        differences.push({
          subject: "restore",
          field: "pg_restore",
          expected: "exit 0",
          got: `exit ${restored.status}: ${restored.stderr.trim().split("\n").pop()}`,
        });
      } else {
        differences.push(...compareTables(manifest.tables, restoredTables(tools("psql"), target)));
      }
    }

    const recoveryPoint = new Date(manifest.snapshotAt);
    const archiveAgeSeconds = Math.round((now.getTime() - recoveryPoint.getTime()) / 1000);
    const passed = differences.length === 0;
    const lines = [
      `archive:        s3://${options.bucket}/${archiveKey} (${manifest.archive.bytes} bytes, database ${manifest.database}, PostgreSQL ${manifest.serverVersion})`,
      `recovery point: ${manifest.snapshotAt} (archive age ${formatDuration(archiveAgeSeconds)}: writes after it are not in this archive)`,
      `restore:        ${restoreSeconds === undefined ? "not attempted" : `${restoreSeconds.toFixed(1)} s`} into ${target.display}`,
      `tables:         ${manifest.tables.length} in the manifest`,
      ...differences.map((d) => `DIFFERENT ${d.subject} ${d.field}: expected ${d.expected}, got ${d.got}`),
      passed ? "PASS: every table's row count and checksum match the manifest" : `FAIL: ${differences.length} difference${differences.length === 1 ? "" : "s"}`,
    ];
    return { passed, bucket: options.bucket, archiveKey, manifestKey, manifest, recoveryPoint, archiveAgeSeconds, restoreSeconds, differences, lines };
  } finally {
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
  }
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
