import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { startArchiveBucket, type ArchiveBucket } from "../support/archive-bucket";
import { awsClients } from "../support/aws";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { tempDir } from "../support/temp";
import { REPO } from "../support/run";
import { RESTORE_TEST_METRIC_NAMESPACE } from "../../lib/naming";
import { restoreTestStatements } from "../../lib/constructs/restore-test-job";

/**
 * backup/restore-test.sh, which RestoreTestJob runs on a schedule: real archives (written by
 * backup/archive-database.sh into the emulator's S3, IAM enforced) restored into a real PostgreSQL
 * as the restore tester, whose policy allows reading the archives and writing the reports only.
 */
jest.setTimeout(180_000);

const NAMESPACE = RESTORE_TEST_METRIC_NAMESPACE;
const TESTER = "acme-restore-test";
const METRICS_READER = "metrics-reader";
/** The alarms' region (the cluster's): not the archives' (us-east-1 here). */
const ALARM_REGION = "us-west-2";

let primary: PostgresServer;
let recovery: PostgresServer;
let s3: ArchiveBucket & { users: Record<string, { accessKeyId: string; secretAccessKey: string }> };
let good: string;
let older: string;
let targets = 0;

/**
 * The restore tester's permissions: RestoreTestJob's own statements for this bucket and key, and
 * each CloudWatch statement again under moto's name for the action (moto names it after the
 * endpoint, monitoring:, not the IAM prefix).
 */
function testerPolicy(keyArn: string): string {
  const bucket = "acme-hosting-services-us-east-1";
  const statements = restoreTestStatements({ bucketName: bucket, bucketArn: `arn:aws:s3:::${bucket}`, kmsKeyArn: keyArn, region: "us-east-1" });
  const moto = statements
    .filter((st) => st.Action === "cloudwatch:PutMetricData")
    .map((st) => ({ ...st, Sid: `${st.Sid}Moto`, Action: "monitoring:PutMetricData" }));
  return JSON.stringify({ Version: "2012-10-17", Statement: [...statements, ...moto] });
}

const uploader = () => awsClients(s3.emulator, s3.region, s3.uploader).s3;
const reader = () => awsClients(s3.emulator, s3.region, s3.reader).s3;

function archiveNow(): string {
  const dir = tempDir("archive-");
  const result = spawnSync("sh", [path.join(REPO, "backup/archive-database.sh"), "all"], {
    env: { ...primary.env("shop"), ARCHIVE_DIR: dir, ARCHIVE_BUCKET: s3.bucket, ...s3.cliEnv(s3.uploader) },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return /uploaded s3:\/\/[^/]+\/(\S+)archive\.dump/.exec(result.stdout)![1];
}

async function getText(key: string): Promise<string> {
  const object = await reader().send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return object.Body!.transformToString("utf8");
}

async function putText(key: string, body: string | Uint8Array): Promise<void> {
  await uploader().send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
}

async function reportsUnder(folder: string): Promise<string[]> {
  // A prefix with a slash upsets moto's signature check: list the archives' root and filter.
  const listed = await reader().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "postgres" }));
  return (listed.Contents ?? []).map((o) => o.Key!).filter((key) => key.startsWith(folder) && /\/restore-test-\d{8}T\d{6}Z\.json$/.test(key));
}

/** The whole test (pick, restore, report; or only `step`) as the restore tester, into a new empty database. */
function restoreTest(env: NodeJS.ProcessEnv, step = "all") {
  const name = `restored${++targets}`;
  recovery.createDatabase(name);
  const dir = tempDir("restore-test-");
  return spawnSync("sh", [path.join(REPO, "backup/restore-test.sh"), step], {
    env: {
      ...process.env,
      PATH: recovery.env().PATH,
      ...s3.cliEnv(s3.users[TESTER]),
      ARCHIVE_DIR: dir,
      ARCHIVE_BUCKET: s3.bucket,
      TARGET_URL: recovery.url(name),
      RESTORE_SECONDS_TARGET: "1800",
      RESTORE_TEST_NAMESPACE: NAMESPACE,
      RESTORE_TEST_ENVIRONMENT: "acme-us-east-1",
      METRICS_REGION: ALARM_REGION,
      RESTORE_TEST_SEED: "1",
      ...env,
    },
    encoding: "utf8",
  });
}

/** RESTORE_TEST_NOW for `stamp`'s time plus `days`. */
const daysAfter = (folder: string, days: number): string => {
  const m = /(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(folder)!;
  return String(Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 + days * 86400));
};

beforeAll(async () => {
  [primary, recovery, s3] = await Promise.all([
    startPostgres(),
    startPostgres(),
    startArchiveBucket(6100, {
      users: {
        [TESTER]: testerPolicy,
        // moto names CloudWatch's actions after its endpoint (monitoring:).
        [METRICS_READER]: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "monitoring:ListMetrics", Resource: "*" }] }),
      },
    }),
  ]);
  primary.createDatabase("shop");
  primary.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, note text, price numeric(10,2));
     INSERT INTO orders SELECT i, 'order ' || i, i * 1.5 FROM generate_series(1, 300) AS i;
     CREATE TABLE customers (name text);
     INSERT INTO customers VALUES ('ada'), ('grace');`,
    "shop",
  );
  older = archiveNow();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  primary.psql("INSERT INTO orders VALUES (301, 'after the first archive', 1)", "shop");
  good = archiveNow();
});

afterAll(async () => {
  s3?.stop();
  await Promise.all([primary?.stop(), recovery?.stop()]);
});

it("restores an archive from the window, passes, writes its report next to it and publishes success", async () => {
  // A window of one day from just after the newer archive holds both archives: the seed picks one.
  const result = restoreTest({ RESTORE_TEST_NOW: daysAfter(good, 0.001) });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const picked = /restore-test: picked s3:\/\/[^/]+\/(\S+) \(seed 1, window 7 days since \d{8}T\d{6}Z\)/.exec(result.stdout)![1];
  expect([older, good]).toContain(picked);
  expect(result.stdout).toContain("PASS: every table's row count and checksum match the manifest");
  expect(result.stdout).toMatch(/restore-test: PASS in \d+\.\d s \(target 1800 s\)/);
  expect(result.stdout).toContain(`restore-test: published RestoreTestSuccess=1 to ${NAMESPACE} in ${ALARM_REGION}`);
  // Where the alarms can see them, not in the archives' region.
  const metrics = async (region: string) =>
    ((await awsClients(s3.emulator, region, s3.users[METRICS_READER]).cloudwatch.send(new ListMetricsCommand({ Namespace: NAMESPACE }))).Metrics ?? []).map(
      (m) => `${m.MetricName} ${JSON.stringify(m.Dimensions)}`,
    );
  expect((await metrics(ALARM_REGION)).sort()).toEqual([
    'RestoreSeconds [{"Name":"Environment","Value":"acme-us-east-1"}]',
    'RestoreTestSuccess [{"Name":"Environment","Value":"acme-us-east-1"}]',
  ]);
  expect(await metrics(s3.region)).toEqual([]);
  const [key] = await reportsUnder(picked);
  const report = JSON.parse(await getText(key));
  expect(report).toEqual({
    format: "dr-platform/restore-test/1",
    archiveKey: `${picked}archive.dump`,
    testedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    passed: true,
    restoreSeconds: expect.any(Number),
    restoreSecondsTarget: 1800,
    failure: null,
  });
  expect(key).toBe(`${picked}restore-test-${report.testedAt.replace(/[-:]/g, "")}.json`);
});

it("picks only archives inside the window, and the same one for the same seed", () => {
  // Two days after the newer archive with a one-day window: nothing qualifies.
  const none = restoreTest({ RESTORE_TEST_NOW: daysAfter(good, 2), RESTORE_TEST_WINDOW_DAYS: "1" });
  expect(none.status).toBe(1);
  expect(none.stdout).toMatch(
    /restore-test: FAIL: no archive with a manifest\.json under s3:\/\/acme-hosting-services-us-east-1\/postgres\/ since \d{8}T\d{6}Z \(window 1 days\)/,
  );
  expect(none.stdout).toContain(`restore-test: published RestoreTestSuccess=0 to ${NAMESPACE} in ${ALARM_REGION}`);
  const picks = (seed: string) =>
    /picked s3:\/\/[^/]+\/(\S+)/.exec(restoreTest({ RESTORE_TEST_NOW: daysAfter(good, 0.001), RESTORE_TEST_SEED: seed }, "pick").stdout)![1];
  expect(picks("7")).toBe(picks("7"));
  expect(new Set(["1", "2", "3", "4", "5", "6", "7", "8"].map(picks))).toEqual(new Set([older, good]));
  // The window's end is the clock: an archive stamped after it is not picked.
  expect(restoreTest({ RESTORE_TEST_NOW: daysAfter(older, 0) }, "pick").stdout).toContain(`picked s3://${s3.bucket}/${older} `);
});

it("fails on an archive whose data disagree with its manifest, naming the table, and reports it", async () => {
  // The newer dump (301 orders) under the older manifest (300), its sha256 made to match: the
  // archive is intact as a file and wrong as data, which only a restore finds.
  const folder = "postgres/shop/20300101T000000Z/";
  const dump = fs.readFileSync(await download(`${good}archive.dump`));
  const sha256 = /"sha256": "([0-9a-f]+)"/.exec(await getText(`${good}manifest.json`))![1];
  const manifest = (await getText(`${older}manifest.json`))
    .replace(/"sha256": "[0-9a-f]+"/, `"sha256": "${sha256}"`)
    .replace(/"bytes": \d+/, `"bytes": ${dump.length}`);
  await putText(`${folder}archive.dump`, dump);
  await putText(`${folder}manifest.json`, manifest);
  const result = restoreTest({ RESTORE_TEST_NOW: daysAfter(folder, 0.001), RESTORE_TEST_WINDOW_DAYS: "1" });
  expect(result.status).toBe(1);
  expect(result.stdout).toContain("restore-test: FAIL: tables differ from the manifest: public.orders");
  expect(result.stderr).toBe("restore-test: FAIL: tables differ from the manifest: public.orders\n");
  const [key] = await reportsUnder(folder);
  expect(JSON.parse(await getText(key))).toMatchObject({ passed: false, failure: "tables differ from the manifest: public.orders" });
});

it("fails when the restore takes longer than its target", async () => {
  const result = restoreTest({ RESTORE_TEST_NOW: daysAfter(good, 0.001), RESTORE_SECONDS_TARGET: "0" });
  expect(result.stdout).toContain("PASS: every table's row count and checksum match the manifest");
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^restore-test: FAIL: the restore and its checks took \d+\.\d s, over the target of 0 s\n$/);
  const picked = /picked s3:\/\/[^/]+\/(\S+)/.exec(result.stdout)![1];
  const reports = await Promise.all((await reportsUnder(picked)).map(async (key) => JSON.parse(await getText(key))));
  expect(reports.filter((r) => !r.passed)).toEqual([
    expect.objectContaining({ restoreSecondsTarget: 0, failure: expect.stringMatching(/over the target of 0 s$/) }),
  ]);
});

it("may not write anything but a report: the archive itself is refused", () => {
  const dir = tempDir("tester-");
  fs.writeFileSync(path.join(dir, "x"), "x");
  const put = spawnSync("aws", ["s3", "cp", path.join(dir, "x"), `s3://${s3.bucket}/${good}archive.dump`], {
    env: { ...process.env, ...s3.cliEnv(s3.users[TESTER]) },
    encoding: "utf8",
  });
  expect(put.status).not.toBe(0);
  expect(put.stderr).toMatch(/AccessDenied/);
});

it("starts a PostgreSQL of its own in RESTORE_DATA_DIR when no target is given, as the pod's restore step does", () => {
  const dir = tempDir("restore-test-");
  const env = { ...process.env, ...s3.cliEnv(s3.users[TESTER]), ARCHIVE_DIR: dir, ARCHIVE_BUCKET: s3.bucket, RESTORE_TEST_NOW: daysAfter(good, 0) };
  const pick = spawnSync("sh", [path.join(REPO, "backup/restore-test.sh"), "pick"], { env, encoding: "utf8" });
  expect(pick.status).toBe(0);
  // initdb refuses root: as root, the step runs as the postgres user, as the pod runs as the image's.
  const identity = process.getuid?.() === 0 ? { uid: Number(run("id", "-u", "postgres")), gid: Number(run("id", "-g", "postgres")) } : {};
  const data = path.join(dir, "restore");
  fs.mkdirSync(data);
  if (identity.uid !== undefined)
    for (const entry of [dir, data, ...fs.readdirSync(dir).map((f) => path.join(dir, f))]) fs.chownSync(entry, identity.uid, identity.gid!);
  const restore = spawnSync("sh", [path.join(REPO, "backup/restore-test.sh"), "restore"], {
    env: { PATH: recovery.env().PATH, ARCHIVE_DIR: dir, RESTORE_DATA_DIR: data, RESTORE_SECONDS_TARGET: "1800" },
    encoding: "utf8",
    ...identity,
  });
  expect(restore.stderr).toBe("");
  expect(restore.status).toBe(0);
  expect(restore.stdout).toMatch(new RegExp(`^restore-test: started PostgreSQL ${recovery.major}\\.\\d+ in ${data}/pgdata\n`));
  expect(restore.stdout).toContain("PASS: every table's row count and checksum match the manifest");
  // Stopped when the step ended: no server is left on its socket.
  expect(spawnSync(path.join(recovery.binDir, "pg_isready"), ["-h", path.join(data, "socket")]).status).not.toBe(0);
});

function run(command: string, ...args: string[]): string {
  return spawnSync(command, args, { encoding: "utf8" }).stdout.trim();
}

async function download(key: string): Promise<string> {
  const object = await reader().send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  const file = path.join(tempDir("download-"), "file");
  fs.writeFileSync(file, Buffer.from(await object.Body!.transformToByteArray()));
  return file;
}
