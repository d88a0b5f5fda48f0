import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as path from "path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { ArchiveManifest } from "../../lib/operations/probes/newest-archive";
import { verifyArchive } from "../../lib/operations/verify-backup";
import { findLatestBackups, verificationSteps } from "../../lib/operations/verify-backup-steps";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { awsClients } from "../support/aws";
import { startArchiveBucket, type ArchiveBucket } from "../support/archive-bucket";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { independentChecksum } from "../support/table-checksums";
import { tempDir } from "../support/temp";
import { REPO } from "../support/run";

/**
 * verify-backup restores real archives (written by backup/archive-database.sh into the emulator's
 * S3, IAM enforced) into a second PostgreSQL server and compares them with their manifests.
 */
jest.setTimeout(120_000);

let primary: PostgresServer;
let recovery: PostgresServer;
let s3: ArchiveBucket;
let older: string;
let newer: string;
let targets = 0;

const reader = () => ({ s3: awsClients(s3.emulator, s3.region, s3.reader).s3 });
const uploader = () => awsClients(s3.emulator, s3.region, s3.uploader).s3;

/** Runs the real archive script against the primary; returns the uploaded folder. */
function archiveNow(): string {
  const dir = tempDir("archive-");
  const result = spawnSync("sh", [path.join(REPO, "backup/archive-database.sh"), "all"], {
    env: { ...primary.env("shop"), ARCHIVE_DIR: dir, ARCHIVE_BUCKET: s3.bucket, ...s3.cliEnv(s3.uploader) },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return /uploaded s3:\/\/[^/]+\/(\S+)archive\.dump/.exec(result.stdout)![1];
}

/** A new empty database on the recovery server. */
function emptyTarget(): { name: string; url: string } {
  const name = `restored${++targets}`;
  recovery.createDatabase(name);
  return { name, url: recovery.url(name) };
}

async function getObject(key: string): Promise<Buffer> {
  const object = await reader().s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** Copies an uploaded archive to a new folder, letting `change` alter its bytes and its manifest. */
async function copyArchive(from: string, to: string, change: { archive?: (b: Buffer) => Buffer; manifest?: (m: ArchiveManifest) => ArchiveManifest }) {
  const archive = await getObject(`${from}archive.dump`);
  const manifest = JSON.parse((await getObject(`${from}manifest.json`)).toString("utf8"));
  await uploader().send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${to}archive.dump`, Body: change.archive ? change.archive(archive) : archive }));
  await uploader().send(
    new PutObjectCommand({ Bucket: s3.bucket, Key: `${to}manifest.json`, Body: JSON.stringify(change.manifest ? change.manifest(manifest) : manifest) }),
  );
}

beforeAll(async () => {
  [primary, recovery, s3] = await Promise.all([startPostgres(), startPostgres(), startArchiveBucket(5700)]);
  primary.createDatabase("shop");
  primary.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, placed timestamptz, note text, price numeric(10,2));
     INSERT INTO orders SELECT i, '2026-11-20 00:00:00Z'::timestamptz + i * interval '1 minute', 'order ' || i, i * 1.5 FROM generate_series(1, 500) AS i;
     CREATE TABLE customers (name text);
     INSERT INTO customers VALUES ('ada'), ('grace');`,
    "shop",
  );
  older = archiveNow();
  // Stamps have one-second resolution: the next archive must get a later folder.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  primary.psql("INSERT INTO orders VALUES (501, now(), 'written before the newer archive', 1)", "shop");
  newer = archiveNow();
});

afterAll(async () => {
  s3?.stop();
  await Promise.all([primary?.stop(), recovery?.stop()]);
});

it("restores the newest archive into an empty database and finds every table as the manifest says", async () => {
  const target = emptyTarget();
  const now = new Date();
  const result = await verifyArchive({ bucket: s3.bucket, targetUrl: target.url, pgBinDir: recovery.binDir, now }, reader());

  expect(result.differences).toEqual([]);
  expect(result.passed).toBe(true);
  expect(result.archiveKey).toBe(`${newer}archive.dump`);
  expect(result.manifestKey).toBe(`${newer}manifest.json`);
  expect(result.manifest.tables.map((t) => [t.table, t.rows])).toEqual([
    ["customers", 2],
    ["orders", 501],
  ]);
  // Restored, not just compared: the target's rows, recomputed in Node, are the primary's.
  expect([independentChecksum(recovery, target.name, "public", "customers"), independentChecksum(recovery, target.name, "public", "orders")]).toEqual([
    independentChecksum(primary, "shop", "public", "customers"),
    independentChecksum(primary, "shop", "public", "orders"),
  ]);
  expect(result.recoveryPoint).toEqual(new Date(result.manifest.snapshotAt));
  expect(result.archiveAgeSeconds).toBe(Math.round((now.getTime() - result.recoveryPoint.getTime()) / 1000));
  expect(result.restoreSeconds).toBeGreaterThan(0);
  expect(result.lines).toEqual([
    `archive:        s3://${s3.bucket}/${newer}archive.dump (${result.manifest.archive.bytes} bytes, database shop, PostgreSQL ${primary.psql("SHOW server_version")})`,
    `recovery point: ${result.manifest.snapshotAt} (archive age ${result.archiveAgeSeconds}s: writes after it are not in this archive)`,
    `restore:        ${result.restoreSeconds!.toFixed(1)} s into 127.0.0.1:${recovery.port}/${target.name}`,
    "tables:         2 in the manifest",
    "PASS: every table's row count and checksum match the manifest",
  ]);
  expect(result.lines.join("\n")).not.toContain(recovery.password);
});

it("prints steps that restore the newest archive's dump, not the manifest.json the job uploads last", async () => {
  const database = { engineVersion: "16", instanceClass: "db.t4g.medium", databaseName: "shop" };
  const primaryEnv = environment(primaryInput({ database })) as PrimaryEnvironment;
  const recoveryEnv = environment(recoveryInput({ database })) as RecoveryEnvironment;
  const clients = awsClients(s3.emulator, s3.region, s3.reader);
  const latest = await findLatestBackups(recoveryEnv, primaryEnv, { s3: clients.s3, rds: clients.rds });
  const steps = verificationSteps(recoveryEnv, latest, "app");
  expect(steps[0]).toBe(`aws s3 cp s3://${s3.bucket}/${newer}archive.dump ./archive.dump --region us-east-2`);
  expect(steps[2]).toMatch(/^pg_restore --clean --if-exists --no-owner -h "\$DB_HOST" -U dbadmin -d shop \.\/archive\.dump /);
});

it("verifies the archive it is given instead of the newest", async () => {
  const result = await verifyArchive(
    { bucket: s3.bucket, archiveKey: `${older}archive.dump`, targetUrl: emptyTarget().url, pgBinDir: recovery.binDir },
    reader(),
  );
  expect(result.passed).toBe(true);
  expect(result.archiveKey).toBe(`${older}archive.dump`);
  expect(result.manifest.tables.find((t) => t.table === "orders")!.rows).toBe(500);
});

it("fails on one corrupted byte, naming the archive's checksum, and restores nothing", async () => {
  const folder = "postgres/shop/20000101T000000Z/";
  await copyArchive(newer, folder, {
    archive: (bytes) => {
      const copy = Buffer.from(bytes);
      copy[Math.floor(copy.length / 2)] ^= 0xff;
      return copy;
    },
  });
  const target = emptyTarget();
  const result = await verifyArchive({ bucket: s3.bucket, archiveKey: folder, targetUrl: target.url, pgBinDir: recovery.binDir }, reader());
  const expected = result.manifest.archive.sha256;
  expect(result.passed).toBe(false);
  expect(result.differences).toEqual([{ subject: "archive", field: "sha256", expected, got: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  expect(result.differences[0].got).not.toBe(expected);
  expect(result.restoreSeconds).toBeUndefined();
  expect(result.lines).toContain(`DIFFERENT archive sha256: expected ${expected}, got ${result.differences[0].got}`);
  expect(result.lines[result.lines.length - 1]).toBe("FAIL: 1 difference");
  expect(recovery.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", target.name)).toBe("0");
});

it("fails when one row differs from the manifest, naming the table, expected and got", async () => {
  // The manifest describes the data with one row changed: the restored archive must disagree.
  const original = independentChecksum(primary, "shop", "public", "customers");
  primary.psql("UPDATE customers SET name = 'grace hopper' WHERE name = 'grace'", "shop");
  const changed = independentChecksum(primary, "shop", "public", "customers");
  primary.psql("UPDATE customers SET name = 'grace' WHERE name = 'grace hopper'", "shop");
  expect(changed.checksum).not.toBe(original.checksum);

  const folder = "postgres/shop/20000101T000001Z/";
  await copyArchive(newer, folder, { manifest: (m) => ({ ...m, tables: m.tables.map((t) => (t.table === "customers" ? changed : t)) }) });
  const result = await verifyArchive({ bucket: s3.bucket, archiveKey: folder, targetUrl: emptyTarget().url, pgBinDir: recovery.binDir }, reader());
  expect(result.passed).toBe(false);
  expect(result.differences).toEqual([{ subject: "public.customers", field: "checksum", expected: changed.checksum, got: original.checksum }]);
  expect(result.lines).toContain(`DIFFERENT public.customers checksum: expected ${changed.checksum}, got ${original.checksum}`);
});

it("refuses a target database that is not empty", async () => {
  const target = emptyTarget();
  recovery.psql("CREATE TABLE leftovers (id int)", target.name);
  await expect(verifyArchive({ bucket: s3.bucket, targetUrl: target.url, pgBinDir: recovery.binDir }, reader())).rejects.toThrow(
    `verify-backup: the target database 127.0.0.1:${recovery.port}/${target.name} is not empty (1 relations: public.leftovers); restore only into an empty database`,
  );
});

it("says where it looked when there is no archive", async () => {
  await expect(verifyArchive({ bucket: s3.bucket, database: "billing", targetUrl: emptyTarget().url, pgBinDir: recovery.binDir }, reader())).rejects.toThrow(
    `verify-backup: no archive with a manifest.json under s3://${s3.bucket}/postgres/billing/: check the database archive job`,
  );
});

describe("backup/verify-archive.sh, which the in-cluster Job runs", () => {
  const script = path.join(REPO, "backup/verify-archive.sh");

  /** fetch as the reader (aws CLI), then restore into a new empty database (psql, pg_restore). */
  function verifyInCluster(env: NodeJS.ProcessEnv = {}) {
    const dir = tempDir("verify-archive-");
    const target = emptyTarget();
    const common = { ...process.env, ARCHIVE_DIR: dir, ARCHIVE_BUCKET: s3.bucket, ...env };
    const fetch = spawnSync("sh", [script, "fetch"], { env: { ...common, ...s3.cliEnv(s3.reader) }, encoding: "utf8" });
    if (fetch.status !== 0) return { fetch, target };
    const restore = spawnSync("sh", [script, "restore"], { env: { ...common, PATH: recovery.env().PATH, TARGET_URL: target.url }, encoding: "utf8" });
    return { fetch, restore, target };
  }

  it("fetches the newest archive, restores it and passes", () => {
    const { fetch, restore } = verifyInCluster({ ARCHIVE_DATABASE: "shop" });
    expect(fetch.stdout).toBe(`verify-archive: fetched s3://${s3.bucket}/${newer}archive.dump\n`);
    expect(restore!.stderr).toBe("");
    expect(restore!.status).toBe(0);
    expect(restore!.stdout).toMatch(
      /^recovery point: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\nrestore: \d+ s\nPASS: every table's row count and checksum match the manifest\n$/,
    );
  });

  it("fails on one corrupted byte, naming the checksum", async () => {
    const folder = "postgres/shop/20000101T000002Z/";
    let corrupted = "";
    await copyArchive(newer, folder, {
      archive: (bytes) => {
        const copy = Buffer.from(bytes);
        copy[100] ^= 0x01;
        corrupted = crypto.createHash("sha256").update(copy).digest("hex");
        return copy;
      },
    });
    // copyArchive re-serializes the manifest; put the script's own text back.
    await uploader().send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${folder}manifest.json`, Body: await getObject(`${newer}manifest.json`) }));
    const expected = JSON.parse((await getObject(`${newer}manifest.json`)).toString("utf8")).archive.sha256;
    const { restore } = verifyInCluster({ ARCHIVE_KEY: folder });
    expect(restore!.status).toBe(1);
    expect(restore!.stdout).toBe(
      `DIFFERENT archive sha256: expected ${expected}, got ${corrupted}\nFAIL: the archive is not the one the manifest describes; nothing restored\n`,
    );
  });

  it("fails when one row differs from the manifest, printing the table's expected and restored line", async () => {
    const folder = "postgres/shop/20000101T000003Z/";
    const manifest = (await getObject(`${newer}manifest.json`)).toString("utf8");
    const line = manifest
      .split("\n")
      .find((l) => l.includes('"table" : "customers"'))!
      .trim()
      .replace(/,$/, "");
    const original = independentChecksum(primary, "shop", "public", "customers");
    const tampered = line.replace(`"checksum" : "${original.checksum}"`, '"checksum" : "1"');
    expect(tampered).not.toBe(line);
    await uploader().send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${folder}archive.dump`, Body: await getObject(`${newer}archive.dump`) }));
    await uploader().send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${folder}manifest.json`, Body: manifest.replace(line, tampered) }));
    const { restore } = verifyInCluster({ ARCHIVE_KEY: `${folder}manifest.json` });
    expect(restore!.status).toBe(1);
    expect(restore!.stdout.split("\n").slice(2)).toEqual([
      `DIFFERENT expected ${tampered}`,
      `DIFFERENT got      ${line}`,
      "FAIL: the restored tables differ from the manifest",
      "",
    ]);
  });

  it("refuses a target that is not empty", () => {
    const dir = tempDir("verify-archive-");
    const target = emptyTarget();
    recovery.psql("CREATE TABLE leftovers (id int)", target.name);
    const env = { ...process.env, ARCHIVE_DIR: dir, ARCHIVE_BUCKET: s3.bucket, ARCHIVE_DATABASE: "shop" };
    expect(spawnSync("sh", [script, "fetch"], { env: { ...env, ...s3.cliEnv(s3.reader) } }).status).toBe(0);
    const restore = spawnSync("sh", [script, "restore"], { env: { ...env, PATH: recovery.env().PATH, TARGET_URL: target.url }, encoding: "utf8" });
    expect(restore.status).toBe(1);
    expect(restore.stderr).toBe("verify-archive: the target database is not empty (1 relations); restore only into an empty database\n");
  });

  it("says where it looked when there is no archive", () => {
    const { fetch } = verifyInCluster({ ARCHIVE_DATABASE: "billing" });
    expect(fetch.status).toBe(1);
    expect(fetch.stderr).toBe(`verify-archive: no archive with a manifest.json under s3://${s3.bucket}/postgres/\n`);
  });
});
