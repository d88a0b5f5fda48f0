import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Readable } from "stream";
import { pipeline } from "stream/promises";
import { DescribeDBInstanceAutomatedBackupsCommand, type RDSClient } from "@aws-sdk/client-rds";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { Environment } from "../environment";
import { globalNames, kubeconfigCommand, regionalNames, siteHost } from "../naming";

/** The newest production backups a verification restores from. */
export interface LatestBackups {
  readonly archiveBucket: string;
  /** Newest database archive uploaded by the backup user, if any. */
  readonly archive?: { readonly key: string; readonly size: number; readonly lastModified: Date };
  /** Latest restorable time of the primary's automated backups replicated into this region. */
  readonly replicatedBackup?: { readonly arn: string; readonly latestRestorableTime?: Date };
  /** Why the replicated backup could not be read, when it could not. */
  readonly replicatedBackupProblem?: string;
}

/**
 * Finds the newest archive in the primary's hosting-services bucket (which lives in this
 * recovery region) and the primary's automated backups replicated here.
 */
export async function findLatestBackups(recovery: Environment, primary: Environment, clients: { s3: S3Client; rds: RDSClient }): Promise<LatestBackups> {
  const archiveBucket = globalNames(primary.project, primary.region).hostingServicesBucket;
  let archive: LatestBackups["archive"];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: archiveBucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (!object.Key || !object.LastModified || object.Key.endsWith("/")) continue;
      if (!archive || object.LastModified > archive.lastModified) archive = { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const source = regionalNames(primary.project, primary.region).database;
  try {
    const backups = await clients.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: source }));
    const replicated = (backups.DBInstanceAutomatedBackups ?? []).find((b) => b.Region === primary.region || b.DBInstanceIdentifier === source);
    if (!replicated?.DBInstanceAutomatedBackupsArn)
      return { archiveBucket, archive, replicatedBackupProblem: `no automated backups of ${source} in ${recovery.region}` };
    return {
      archiveBucket,
      archive,
      replicatedBackup: { arn: replicated.DBInstanceAutomatedBackupsArn, latestRestorableTime: replicated.RestoreWindow?.LatestTime },
    };
  } catch (error) {
    return { archiveBucket, archive, replicatedBackupProblem: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/**
 * The second seed's backup-verification workflow for a dedicated recovery environment, with the
 * values found: download the newest archive, restore it into the recovery database, deploy the
 * production image, smoke-test, and scale to zero at the end.
 */
export function verificationSteps(recovery: Environment, latest: LatestBackups, namespace: string): string[] {
  const names = regionalNames(recovery.project, recovery.region);
  const file = latest.archive ? latest.archive.key.split("/").pop()! : "<archive>";
  const site = siteHost(recovery.dns);
  return [
    latest.archive
      ? `aws s3 cp s3://${latest.archiveBucket}/${latest.archive.key} ./${file} --region ${recovery.region}`
      : `# no archive in s3://${latest.archiveBucket}/: check the backup job before verifying`,
    `DB_HOST=$(aws rds describe-db-instances --region ${recovery.region} --db-instance-identifier ${names.database} --query 'DBInstances[0].Endpoint.Address' --output text)`,
    `pg_restore --clean --if-exists --no-owner -h "$DB_HOST" -U ${recovery.database.username} -d ${recovery.database.databaseName} ./${file}   # from a host inside the VPC; password: the RDS-managed secret`,
    `kubectl --context <production> -n ${namespace} get deployments -o wide   # the image tag in production`,
    `${kubeconfigCommand(recovery.region, names.cluster)} && kubectl -n ${namespace} set image deployment --all '*=<image>:<tag>'`,
    `curl -fsS -o /dev/null -w '%{http_code}\\n' https://${site}/   # then log in, create a page, upload an image`,
    `kubectl -n ${namespace} scale deployments --replicas=0 --all   # when done: the recovery environment costs nothing idle`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Restoring verification: download an archive written by backup/archive-database.sh, check it
// against its manifest, restore it into an empty PostgreSQL and compare every table.
// ---------------------------------------------------------------------------------------------

/** First key segment of every database archive (backup/archive-database.sh's ARCHIVE_PREFIX default). */
export const ARCHIVE_PREFIX = "postgres";

/** backup/table-checksums.sql: the one definition of a table's checksum, shared with the archive script. */
export const TABLE_CHECKSUMS_SQL = path.resolve(__dirname, "../../backup/table-checksums.sql");

export interface TableChecksum {
  readonly schema: string;
  readonly table: string;
  readonly rows: number;
  /** Sum of the first 60 bits of md5(row text), decimal (see backup/table-checksums.sql). */
  readonly checksum: string;
}

/** manifest.json as backup/archive-database.sh writes it. */
export interface ArchiveManifest {
  readonly format: "dr-platform/database-archive/1";
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

export interface VerifyArchiveOptions {
  /** Bucket holding the archives: the primary's hosting-services bucket. */
  readonly bucket: string;
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

/** One way the restored data differs from what the manifest promises. */
export interface Difference {
  /** `archive`, `restore`, or the table as `schema.table`. */
  readonly subject: string;
  /** `sha256`, `bytes`, `pg_restore`, `table`, `rows` or `checksum`. */
  readonly field: string;
  readonly expected: string;
  readonly got: string;
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

/**
 * Verifies one archive end to end. Throws (with the reason) when nothing can be verified: no
 * archive, an unreadable manifest, a target that is not empty or cannot be reached. Returns a
 * failed result, naming every difference, when the archive does not match its manifest.
 */
export async function verifyArchive(options: VerifyArchiveOptions, clients: { s3: S3Client }): Promise<VerifyArchiveResult> {
  const now = options.now ?? new Date();
  const target = connection(options.targetUrl);
  const tools = (name: string) => (options.pgBinDir ? path.join(options.pgBinDir, name) : name);
  const manifestKey = options.archiveKey
    ? folderOf(options.archiveKey) + "manifest.json"
    : await newestManifestKey(clients.s3, options.bucket, options.database);
  const manifest = parseManifest(await readText(clients.s3, options.bucket, manifestKey), manifestKey);
  const archiveKey = folderOf(manifestKey) + manifest.archive.file;

  // Refuse before downloading: a restore into a used database would mix old and restored rows.
  const relations = runPsql(tools("psql"), target, [
    "-c",
    "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' ORDER BY 1",
  ]);
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
    const { sha256, bytes } = await download(clients.s3, options.bucket, archiveKey, file);
    const differences: Difference[] = [];
    if (sha256 !== manifest.archive.sha256) differences.push({ subject: "archive", field: "sha256", expected: manifest.archive.sha256, got: sha256 });
    if (bytes !== manifest.archive.bytes)
      differences.push({ subject: "archive", field: "bytes", expected: String(manifest.archive.bytes), got: String(bytes) });

    let restoreSeconds: number | undefined;
    // A corrupted archive is not restored: what it would restore proves nothing.
    if (differences.length === 0) {
      const started = process.hrtime.bigint();
      const restore = spawnSync(tools("pg_restore"), ["--no-owner", "--no-acl", "--exit-on-error", "--dbname", target.url, file], {
        env: target.env,
        encoding: "utf8",
      });
      restoreSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (restore.error) throw new Error(`verify-backup: cannot run pg_restore: ${restore.error.message}`);
      if (restore.status !== 0) {
        differences.push({
          subject: "restore",
          field: "pg_restore",
          expected: "exit 0",
          got: `exit ${restore.status}: ${restore.stderr.trim().split("\n").pop()}`,
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

/** Table by table: missing, unexpected, row count, checksum. */
export function compareTables(expected: readonly TableChecksum[], got: readonly TableChecksum[]): Difference[] {
  const name = (t: TableChecksum) => `${t.schema}.${t.table}`;
  const restored = new Map(got.map((t) => [name(t), t]));
  const differences: Difference[] = [];
  for (const table of expected) {
    const found = restored.get(name(table));
    restored.delete(name(table));
    if (!found) {
      differences.push({ subject: name(table), field: "table", expected: `${table.rows} rows`, got: "no such table" });
      continue;
    }
    if (found.rows !== table.rows) differences.push({ subject: name(table), field: "rows", expected: String(table.rows), got: String(found.rows) });
    if (found.checksum !== table.checksum) differences.push({ subject: name(table), field: "checksum", expected: table.checksum, got: found.checksum });
  }
  for (const extra of restored.values()) differences.push({ subject: name(extra), field: "table", expected: "not in the manifest", got: `${extra.rows} rows` });
  return differences;
}

/** The folder (with trailing "/") of an archive key, its manifest key or the folder itself. */
function folderOf(key: string): string {
  const folder = key.replace(/(archive\.dump|manifest\.json)$/, "");
  return folder.endsWith("/") ? folder : `${folder}/`;
}

async function newestManifestKey(s3: S3Client, bucket: string, database?: string): Promise<string> {
  const pattern = new RegExp(`^${ARCHIVE_PREFIX}/([^/]+)/(\\d{8}T\\d{6}Z)/manifest\\.json$`);
  let newest: { key: string; stamp: string } | undefined;
  let token: string | undefined;
  do {
    // The prefix carries no "/": moto 5.2.1 rejects the signature of such a listing when IAM is
    // enforced. The few extra keys of other databases are filtered here.
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: ARCHIVE_PREFIX, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const match = object.Key ? pattern.exec(object.Key) : null;
      if (!match || (database !== undefined && match[1] !== database)) continue;
      if (!newest || match[2] > newest.stamp || (match[2] === newest.stamp && object.Key! > newest.key)) newest = { key: object.Key!, stamp: match[2] };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!newest) {
    const where = `s3://${bucket}/${ARCHIVE_PREFIX}/${database ? `${database}/` : ""}`;
    throw new Error(`verify-backup: no archive with a manifest.json under ${where}: check the database archive job`);
  }
  return newest.key;
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body!.transformToString("utf8");
  } catch (error) {
    throw new Error(`verify-backup: cannot read s3://${bucket}/${key}: ${(error as Error).name}: ${(error as Error).message}`);
  }
}

export function parseManifest(text: string, key: string): ArchiveManifest {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`verify-backup: s3 object ${key} is not JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (value?.format !== "dr-platform/database-archive/1")
    problems.push(`format must be "dr-platform/database-archive/1" (got ${JSON.stringify(value?.format)})`);
  if (typeof value?.archive?.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(value.archive.sha256))
    problems.push(`archive.sha256 must be 64 hex digits (got ${JSON.stringify(value?.archive?.sha256)})`);
  if (typeof value?.archive?.file !== "string" || value.archive.file.includes("/"))
    problems.push(`archive.file must be a file name (got ${JSON.stringify(value?.archive?.file)})`);
  if (Number.isNaN(Date.parse(value?.snapshotAt))) problems.push(`snapshotAt must be an ISO 8601 time (got ${JSON.stringify(value?.snapshotAt)})`);
  if (!Array.isArray(value?.tables)) problems.push(`tables must be a list (got ${JSON.stringify(value?.tables)})`);
  if (problems.length > 0) throw new Error(`verify-backup: manifest ${key} is not an archive manifest:\n  ${problems.join("\n  ")}`);
  return value as ArchiveManifest;
}

async function download(s3: S3Client, bucket: string, key: string, file: string): Promise<{ sha256: string; bytes: number }> {
  let object;
  try {
    object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    throw new Error(`verify-backup: cannot read s3://${bucket}/${key}: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const hash = crypto.createHash("sha256");
  let bytes = 0;
  const body = object.Body as Readable;
  body.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  await pipeline(body, fs.createWriteStream(file));
  return { sha256: hash.digest("hex"), bytes };
}

interface Target {
  /** The URL without its password (libpq reads that from PGPASSWORD): safe in argv and logs. */
  readonly url: string;
  readonly display: string;
  readonly env: NodeJS.ProcessEnv;
}

function connection(targetUrl: string): Target {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    throw new Error("verify-backup: the target must be a postgresql:// URL (got something that is not a URL)");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:")
    throw new Error(`verify-backup: the target must be a postgresql:// URL (got ${url.protocol}//...)`);
  if (url.pathname.length <= 1) throw new Error(`verify-backup: the target URL must name a database (postgresql://host/<database>)`);
  const password = decodeURIComponent(url.password);
  url.password = "";
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PGPASSWORD;
  if (password) env.PGPASSWORD = password;
  return { url: url.toString(), display: `${url.host}${url.pathname}`, env };
}

function runPsql(psql: string, target: Target, args: string[]): string[] {
  const result = spawnSync(psql, ["-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-A", "-t", "--dbname", target.url, ...args], {
    env: target.env,
    encoding: "utf8",
  });
  if (result.error) throw new Error(`verify-backup: cannot run psql: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`verify-backup: psql against ${target.display} failed: ${result.stderr.trim()}`);
  return result.stdout.split("\n").filter((line) => line !== "");
}

function restoredTables(psql: string, target: Target): TableChecksum[] {
  return runPsql(psql, target, ["-f", TABLE_CHECKSUMS_SQL]).map((line) => JSON.parse(line) as TableChecksum);
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
