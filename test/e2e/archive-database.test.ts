import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { awsClients } from "../support/aws";
import { startArchiveBucket, type ArchiveBucket } from "../support/archive-bucket";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { independentChecksum } from "../support/table-checksums";
import { tempDir } from "../support/temp";
import { REPO } from "../support/run";

/**
 * backup/archive-database.sh against a real PostgreSQL and the emulator's S3 with IAM enforced:
 * the uploader holds exactly the BackupUser's policy (list the bucket, put objects).
 */
jest.setTimeout(120_000);

const SCRIPT = path.join(REPO, "backup/archive-database.sh");
let pg: PostgresServer;
let s3: ArchiveBucket;

beforeAll(async () => {
  [pg, s3] = await Promise.all([startPostgres(), startArchiveBucket(5500)]);
  pg.createDatabase("shop");
  pg.psql(
    `CREATE SCHEMA billing;
     CREATE TABLE public.orders (id int PRIMARY KEY, placed timestamptz, note text, price float8, payload bytea, tags text[]);
     INSERT INTO public.orders VALUES
       (1, '2026-11-20 10:00:00+02', 'a "quoted" | note, with a
newline', 0.1, '\\x00ff', '{a,b}'),
       (2, NULL, NULL, 1e300, NULL, NULL),
       (3, '2026-11-21 00:00:00Z', 'three', -0.0, '\\x', '{}');
     CREATE TABLE billing."Log Lines" (line text);
     INSERT INTO billing."Log Lines" VALUES ('same'), ('same'), ('other');
     CREATE TABLE public.empty (id int);`,
    "shop",
  );
  pg.createDatabase("nothing");
});

afterAll(async () => {
  s3?.stop();
  await pg?.stop();
});

function archive(step: string, env: NodeJS.ProcessEnv) {
  return spawnSync("sh", [SCRIPT, step], { env, encoding: "utf8", timeout: 60_000 });
}

/** Database connection with the password in a file (a mounted secret), not in the environment. */
function databaseEnv(database: string, dir: string): NodeJS.ProcessEnv {
  const { PGPASSWORD, ...env } = pg.env(database);
  const passwordFile = path.join(dir, "password");
  fs.writeFileSync(passwordFile, PGPASSWORD!, { mode: 0o600 });
  return { ...env, PGPASSWORD_FILE: passwordFile, ARCHIVE_DIR: path.join(dir, "work"), ARCHIVE_BUCKET: s3.bucket };
}

async function readObject(key: string): Promise<Buffer> {
  const reader = awsClients(s3.emulator, s3.region, s3.reader).s3;
  const object = await reader.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

it("dumps in one snapshot, describes every table and uploads archive and manifest as the backup user", async () => {
  const dir = tempDir("archive-");
  const result = archive("all", { ...databaseEnv("shop", dir), ...s3.cliEnv(s3.uploader) });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);

  const reader = awsClients(s3.emulator, s3.region, s3.reader).s3;
  // No "/" in the prefix: moto 5.2.1 with IAM enforced rejects the signature of such a listing.
  const listed = await reader.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "postgres" }));
  const keys = (listed.Contents ?? [])
    .map((object) => object.Key!)
    .filter((key) => key.startsWith("postgres/shop/"))
    .sort();
  expect(keys).toHaveLength(2);
  const prefix = keys[0]!.replace(/archive\.dump$/, "");
  expect(prefix).toMatch(/^postgres\/shop\/\d{8}T\d{6}Z\/$/);
  expect(keys).toEqual([`${prefix}archive.dump`, `${prefix}manifest.json`]);
  expect(result.stdout).toMatch(new RegExp(`uploaded s3://${s3.bucket}/${prefix}archive\\.dump and s3://${s3.bucket}/${prefix}manifest\\.json\\n$`));

  // The bucket's default encryption: SSE-KMS with the archive key, which the uploader never names.
  for (const key of keys) {
    const head = await reader.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect([key, head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual([key, "aws:kms", s3.keyArn]);
  }

  const dump = await readObject(`${prefix}archive.dump`);
  const manifest = JSON.parse((await readObject(`${prefix}manifest.json`)).toString("utf8"));
  expect(dump.subarray(0, 5).toString("latin1")).toBe("PGDMP"); // pg_dump's custom format
  expect(manifest.archive).toEqual({
    file: "archive.dump",
    format: "custom",
    bytes: dump.length,
    sha256: crypto.createHash("sha256").update(dump).digest("hex"),
  });
  expect(manifest.format).toBe("dr-platform/database-archive/1");
  expect(manifest.keyPrefix).toBe(prefix);
  expect(manifest.database).toBe("shop");
  expect(manifest.serverVersion).toBe(pg.psql("SHOW server_version"));
  const stamp = prefix.split("/")[2];
  expect(manifest.startedAt).toBe(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
  expect(manifest.snapshotAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(manifest.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const started = Date.parse(manifest.startedAt);
  expect(Date.parse(manifest.snapshotAt)).toBeGreaterThanOrEqual(started);
  expect(Date.parse(manifest.finishedAt)).toBeGreaterThanOrEqual(Math.floor(Date.parse(manifest.snapshotAt) / 1000) * 1000);
  // Sorted by schema, then table, in byte order; checksums recomputed in Node from each row's text.
  expect(manifest.tables).toEqual([
    independentChecksum(pg, "shop", "billing", "Log Lines"),
    independentChecksum(pg, "shop", "public", "empty"),
    independentChecksum(pg, "shop", "public", "orders"),
  ]);
  expect(manifest.tables.map((t: { rows: number }) => t.rows)).toEqual([3, 0, 3]);
  expect(manifest.tables[1].checksum).toBe("0");
});

it("writes an empty table list for a database without tables", () => {
  const dir = tempDir("archive-");
  const env = databaseEnv("nothing", dir);
  const result = archive("dump", env);
  expect(result.status).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(env.ARCHIVE_DIR!, "manifest.json"), "utf8"));
  expect(manifest.database).toBe("nothing");
  expect(manifest.tables).toEqual([]);
});

it("fails the upload, naming the object, when the credentials may not put objects", () => {
  const dir = tempDir("archive-");
  const env = databaseEnv("shop", dir);
  expect(archive("dump", env).status).toBe(0);
  // The reader may list and get, but not put.
  const result = archive("upload", { ...env, ...s3.cliEnv(s3.reader) });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/AccessDenied/);
  expect(result.stdout).not.toMatch(/uploaded/);
});

it("uploads nothing when pg_dump cannot connect", () => {
  const dir = tempDir("archive-");
  const env = { ...databaseEnv("missing", dir), ...s3.cliEnv(s3.uploader) };
  const result = archive("all", env);
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/database "missing" does not exist/);
  expect(fs.existsSync(path.join(env.ARCHIVE_DIR!, "manifest.json"))).toBe(false);
});

it("refuses an upload without a finished dump", () => {
  const dir = tempDir("archive-");
  const result = archive("upload", { ...databaseEnv("shop", dir), ...s3.cliEnv(s3.uploader) });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(`archive-database: ${dir}/work/archive.dump is missing: run the dump step first\n`);
});

describe("settings", () => {
  const base = () => databaseEnv("shop", tempDir("archive-"));

  it.each(["ARCHIVE_DIR", "PGHOST", "PGDATABASE", "PGUSER"])("dump requires %s", (name) => {
    const result = archive("dump", { ...base(), [name]: "" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`archive-database: ${name} must be set\n`);
  });

  it.each(["DATABASE_SECRET_ID", "DATABASE_SECRET_FILE"])("password requires %s", (name) => {
    const result = archive("password", { ...base(), DATABASE_SECRET_ID: "rds!db-x", DATABASE_SECRET_FILE: "/tmp/x.json", [name]: "" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`archive-database: ${name} must be set\n`);
  });

  it.each(["ARCHIVE_DIR", "ARCHIVE_BUCKET"])("upload requires %s", (name) => {
    const result = archive("upload", { ...base(), [name]: "" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`archive-database: ${name} must be set\n`);
  });

  it("refuses a password file it cannot read", () => {
    const result = archive("dump", { ...base(), PGPASSWORD_FILE: "/nonexistent/password" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("archive-database: PGPASSWORD_FILE names a file that cannot be read: /nonexistent/password\n");
  });

  it.each(["a/b", ".hidden", "x y"])("refuses a database name that cannot be one key segment (%s)", (name) => {
    const result = archive("dump", { ...base(), PGDATABASE: name });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`archive-database: PGDATABASE must be letters, digits, '_', '.' or '-' (it is part of the object key); got: ${name}\n`);
  });

  it("names the steps when given none", () => {
    const result = archive("", base());
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("archive-database: usage: archive-database.sh password|dump|upload|all (got: nothing)\n");
  });
});
