import { spawnSync, type SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import {
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  type DBInstance,
} from "@aws-sdk/client-rds";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startArchiveBucket, type ArchiveBucket } from "../support/archive-bucket";
import { awsClients } from "../support/aws";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { tempDir } from "../support/temp";
import { REPO } from "../support/run";
import {
  POINT_IN_TIME_RESTORE_TEST_METRICS,
  POINT_IN_TIME_RESTORE_TEST_REPORT_FORMAT,
  RESTORE_TEST_METRIC_NAMESPACE,
  pointInTimeRestoreTestNames,
} from "../../lib/naming";
import { pointInTimeRestoreTestStatements, type IRestorableDatabase } from "../../lib/constructs/point-in-time-restore-test-job";
import type { PolicyStatement } from "../../lib/constructs/private/iam";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";

/**
 * backup/pitr-restore-test.sh, which PointInTimeRestoreTestJob runs monthly: a point-in-time
 * restore of the source instance's automated backups, in moto (IAM enforced), to the snapshot time
 * of a real archive (written by backup/archive-database.sh from a real PostgreSQL), as the tester
 * whose policy is the job's own statements; its tables checked against the archive's manifest;
 * every temporary instance deleted; a report next to the archive and two metrics.
 *
 * moto restores nothing: its restored instance is a record with a made-up endpoint. The test plays
 * that endpoint with a real point-in-time copy of the local source server, replayed from its WAL
 * archive to the archive's snapshotAt (startPostgres' restoreToTime: what RDS does with its own
 * backups), and stands in for RDS applying the master password start set (moto keeps it and no
 * server knows it) with ALTER ROLE on that copy.
 */
jest.setTimeout(120_000);

const REGION = "us-east-1";
const SOURCE = "acme-us-east-1";
const { instancePrefix: PREFIX } = pointInTimeRestoreTestNames("acme", REGION, SOURCE);
const MASTER = "master";
const TESTER = "acme-pitr-test";
const ADMIN = "acme-database-admin";
const NAMESPACE = RESTORE_TEST_METRIC_NAMESPACE;
const TAG = { Key: "dr-platform:restore-test", Value: SOURCE };

/** The source as the job's role sees it. The security groups are not in the statements: the env var gets the one made in moto. */
const DATABASE: IRestorableDatabase = {
  identifier: SOURCE,
  region: REGION,
  accountId: EMULATOR_ACCOUNT_ID,
  subnetGroupName: `${SOURCE}-database`,
  parameterGroupName: `${SOURCE}-postgres16`,
  securityGroupIds: [],
  // moto encrypts nothing: the key is only named in the policy's grant statement.
  kmsKeyArn: `arn:aws:kms:${REGION}:${EMULATOR_ACCOUNT_ID}:key/00000000-0000-0000-0000-000000database`,
};

type Credentials = { accessKeyId: string; secretAccessKey: string };
let s3: ArchiveBucket & { users: Record<string, Credentials> };
let primary: PostgresServer;
/** The point-in-time copy of the source at the archive's snapshotAt (what the restored instance holds). */
let standIn: PostgresServer;
let base: string;
let archive: string;
let snapshotAt: string;
let securityGroupId: string;
let realAws: string;

function statements(keyArn: string): PolicyStatement[] {
  return pointInTimeRestoreTestStatements({
    database: DATABASE,
    instancePrefix: PREFIX,
    bucket: { bucketName: s3Bucket(), bucketArn: `arn:aws:s3:::${s3Bucket()}`, kmsKeyArn: keyArn, region: REGION },
  });
}

const s3Bucket = () => "acme-hosting-services-us-east-1";

/**
 * The tester's permissions: PointInTimeRestoreTestJob's statements, and two kinds of copies moto
 * needs: each CloudWatch statement under moto's name for the action (monitoring:), and each RDS
 * statement on "*", since moto authorizes every RDS call against the resource "*", never against
 * the instance's ARN (moto enforces no resource-level RDS permissions: the ARNs are checked below
 * against the statements themselves).
 */
function testerPolicy(keyArn: string): string {
  const own = statements(keyArn);
  const actions = (st: PolicyStatement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);
  const moto = [
    ...own.filter((st) => st.Action === "cloudwatch:PutMetricData").map((st) => ({ ...st, Sid: `${st.Sid}Moto`, Action: "monitoring:PutMetricData" })),
    ...own.filter((st) => actions(st).every((a) => a.startsWith("rds:"))).map((st) => ({ ...st, Sid: `${st.Sid}Moto`, Resource: "*" })),
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement: [...own, ...moto] });
}

/** Whether IAM would allow `action` on `arn` by `statements` (Allow statements, no conditions: enough for the RDS ones). */
function allows(all: PolicyStatement[], action: string, arn: string): boolean {
  const match = (pattern: string, value: string) =>
    new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.?+^$()[\]{}|\\]/g, "\\$&"))
        .join(".*")}$`,
    ).test(value);
  const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  return all.some((st) => st.Effect === "Allow" && list(st.Action).some((a) => match(a, action)) && list(st.Resource).some((r) => match(r, arn)));
}

const admin = () => awsClients(s3.emulator, REGION, s3.users[ADMIN]);
const reader = () => awsClients(s3.emulator, REGION, s3.reader).s3;

function cloudwatch(): CloudWatchClient {
  const requestHandler = new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(s3.emulator.caFile) }) });
  return new CloudWatchClient({ endpoint: s3.emulator.endpoint, region: REGION, credentials: s3.users[ADMIN], maxAttempts: 2, requestHandler });
}

async function getText(key: string): Promise<string> {
  const object = await reader().send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return object.Body!.transformToString("utf8");
}

async function pitrReports(): Promise<string[]> {
  // A prefix with a slash upsets moto's signature check: list the archives' root and filter.
  const listed = await reader().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "postgres" }));
  return (listed.Contents ?? []).map((o) => o.Key!).filter((key) => /\/pitr-test-\d{8}T\d{6}Z\.json$/.test(key));
}

async function instances(): Promise<DBInstance[]> {
  return (await admin().rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
}

const underPrefix = async () => (await instances()).map((i) => i.DBInstanceIdentifier!).filter((id) => id.startsWith(`${PREFIX}-`));

/** The minimum, maximum and count of a metric's data points with Environment `environment`. */
async function metric(name: string, environment: string): Promise<{ min: number; max: number; count: number } | undefined> {
  const { Datapoints } = await cloudwatch().send(
    new GetMetricStatisticsCommand({
      Namespace: NAMESPACE,
      MetricName: name,
      Dimensions: [{ Name: "Environment", Value: environment }],
      StartTime: new Date(Date.now() - 3_600_000),
      EndTime: new Date(Date.now() + 3_600_000),
      Period: 7200,
      Statistics: ["Minimum", "Maximum", "SampleCount"],
    }),
  );
  if (!Datapoints?.length) return undefined;
  return {
    min: Math.min(...Datapoints.map((d) => d.Minimum!)),
    max: Math.max(...Datapoints.map((d) => d.Maximum!)),
    count: Datapoints.reduce((sum, d) => sum + d.SampleCount!, 0),
  };
}

function archiveNow(): string {
  const dir = tempDir("archive-");
  const result = spawnSync("sh", [path.join(REPO, "backup/archive-database.sh"), "all"], {
    env: { ...primary.env("shop"), ARCHIVE_DIR: dir, ARCHIVE_BUCKET: s3.bucket, ...s3.cliEnv(s3.uploader) },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return /uploaded s3:\/\/[^/]+\/(\S+)archive\.dump/.exec(result.stdout)![1];
}

/**
 * An aws on PATH that logs each call's arguments (one call a line) into $AWS_CALLS, then runs the
 * real one with --endpoint-url: the aws CLI v1 installed here sends RDS calls in us-east-1 to
 * rds.amazonaws.com whatever AWS_ENDPOINT_URL says (its SSL common-name customization); the job's
 * image has v2, which honours AWS_ENDPOINT_URL.
 */
function awsShim(): string {
  const dir = tempDir("aws-shim-");
  const script = `#!/bin/sh\nprintf '%s\\n' "$*" >>"$AWS_CALLS"\nexec "${realAws}" --endpoint-url "$AWS_ENDPOINT_URL" "$@"\n`;
  fs.writeFileSync(path.join(dir, "aws"), script, { mode: 0o755 });
  return dir;
}

interface Run {
  readonly dir: string;
  readonly secret: string;
  readonly calls: string;
  readonly steps: Record<"start" | "check" | "finish", SpawnSyncReturns<string>>;
  /** The temporary instance as moto described it between check and finish. */
  readonly restored?: DBInstance;
  /** The master password start generated, read from SECRET_DIR. */
  readonly password?: string;
  readonly reportKey?: string;
}

let shim: string;
const RUN_ENV = (dir: string, secret: string, calls: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${shim}${path.delimiter}${primary.env().PATH}`,
  ...s3.cliEnv(s3.users[TESTER]),
  AWS_CALLS: calls,
  ARCHIVE_BUCKET: s3.bucket,
  ARCHIVE_DIR: dir,
  SECRET_DIR: secret,
  AWS_REGION: REGION,
  SOURCE_DB_IDENTIFIER: SOURCE,
  RESTORE_DB_PREFIX: PREFIX,
  DB_INSTANCE_CLASS: "db.t4g.medium",
  DB_SUBNET_GROUP: DATABASE.subnetGroupName,
  DB_PARAMETER_GROUP: DATABASE.parameterGroupName,
  DB_SECURITY_GROUP_IDS: securityGroupId,
  RESTORE_SECONDS_TARGET: "600",
  RESTORE_POLL_SECONDS: "0",
  RESTORE_TEST_NAMESPACE: NAMESPACE,
  RESTORE_TEST_ENVIRONMENT: "acme-us-east-1",
  // The stand-in speaks no TLS; the job's check step has PGSSLMODE=require against RDS.
  PGSSLMODE: "disable",
  PGPASSWORD: "",
  ...env,
});

/** The three steps as the tester, the stand-in playing the restored instance's endpoint between start and check. */
async function pitrTest(env: NodeJS.ProcessEnv, server: PostgresServer = standIn): Promise<Run> {
  const dir = tempDir("pitr-work-");
  const secret = tempDir("pitr-secret-");
  const calls = path.join(tempDir("pitr-calls-"), "calls");
  const step = (name: string) =>
    spawnSync("sh", [path.join(REPO, "backup/pitr-restore-test.sh"), name], { env: RUN_ENV(dir, secret, calls, env), encoding: "utf8" });
  const start = step("start");
  let password: string | undefined;
  const target = path.join(dir, "target");
  if (fs.existsSync(target)) {
    // moto's endpoint is made up: point the target at the stand-in, keeping the user and the database.
    const fields = fs.readFileSync(target, "utf8");
    fs.writeFileSync(target, fields.replace(/^host=.*$/m, `host=${server.host}`).replace(/^port=.*$/m, `port=${server.port}`));
    // RDS applies the password ModifyDBInstance set; moto only keeps it: the stand-in gets it here.
    password = fs.readFileSync(path.join(secret, "password"), "utf8");
    server.psql(`ALTER ROLE ${MASTER} PASSWORD '${password}'`);
  }
  const check = step("check");
  const restored = (await instances()).find((i) => i.DBInstanceIdentifier!.startsWith(`${PREFIX}-`) && i.DBInstanceIdentifier !== LEFTOVER);
  const finish = step("finish");
  const reportKey = /wrote s3:\/\/[^/]+\/(\S+)/.exec(finish.stdout)?.[1];
  return { dir, secret, calls, steps: { start, check, finish }, restored, password, reportKey };
}

/** An instance a killed run left under the prefix. */
const LEFTOVER = `${PREFIX}-202611010500`;

/** RESTORE_TEST_NOW: the clock plus `days`. */
const inDays = (days: number) => String(Math.round(Date.now() / 1000 + days * 86400));

beforeAll(async () => {
  const adminPolicy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["rds:*", "ec2:*", "monitoring:*"], Resource: "*" }] });
  [primary, s3] = await Promise.all([
    startPostgres({ walArchive: true }),
    startArchiveBucket(6240, { users: { [TESTER]: testerPolicy, [ADMIN]: adminPolicy } }),
  ]);
  realAws = spawnSync("sh", ["-c", "command -v aws"], { encoding: "utf8" }).stdout.trim();
  shim = awsShim();

  // The source in moto, as PostgresDatabase makes it (its network, its parameter group), by an administrator.
  const { ec2, rds } = admin();
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }));
  const subnets = await Promise.all(
    ["a", "b"].map(
      async (zone, i) =>
        (await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: `${REGION}${zone}` }))).Subnet!.SubnetId!,
    ),
  );
  securityGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${SOURCE}-database`, Description: "database", VpcId: Vpc!.VpcId! }))).GroupId!;
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: DATABASE.subnetGroupName, DBSubnetGroupDescription: "database", SubnetIds: subnets }));
  await rds.send(
    new CreateDBParameterGroupCommand({ DBParameterGroupName: DATABASE.parameterGroupName, DBParameterGroupFamily: "postgres16", Description: "TLS enforced" }),
  );
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: SOURCE,
      Engine: "postgres",
      EngineVersion: "16.4",
      DBInstanceClass: "db.r6g.large",
      AllocatedStorage: 100,
      MasterUsername: MASTER,
      // As PostgresDatabase makes it: RDS keeps the password in Secrets Manager.
      ManageMasterUserPassword: true,
      DBName: "shop",
      BackupRetentionPeriod: 7,
      DBSubnetGroupName: DATABASE.subnetGroupName,
      DBParameterGroupName: DATABASE.parameterGroupName,
      VpcSecurityGroupIds: [securityGroupId],
      // moto's restore copies the source's settings and ignores false overrides (--no-deletion-protection):
      // with a protected source, its restored instance could not be deleted, as it can in RDS.
      DeletionProtection: false,
    }),
  );

  // The source's data: its master user reads every table, as RDS's does.
  primary.createDatabase("shop");
  primary.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, note text, price numeric(10,2));
     INSERT INTO orders SELECT i, 'order ' || i, i * 1.5 FROM generate_series(1, 300) AS i;
     CREATE TABLE customers (name text);
     INSERT INTO customers VALUES ('ada'), ('grace');`,
    "shop",
  );
  primary.psql(`CREATE ROLE ${MASTER} LOGIN; GRANT pg_read_all_data TO ${MASTER}`);
  base = primary.baseBackup();
  archive = archiveNow();
  // Written after the archive's snapshot: not in the point-in-time copy (and the commit recovery stops at).
  primary.psql("INSERT INTO orders VALUES (301, 'after the archive', 1)", "shop");
  await primary.archiveWal();
  const manifest = await getText(`${archive}manifest.json`);
  snapshotAt = /"snapshotAt": "([^"]+)"/.exec(manifest)![1];
  standIn = await primary.restoreToTime(base, snapshotAt);

  // Archives from before the source instance existed (inside the window and the retention): no restore point.
  const uploader = awsClients(s3.emulator, REGION, s3.uploader).s3;
  for (const hours of [1, 2, 3]) {
    const stamp = new Date(Date.now() - hours * 3_600_000)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z");
    await uploader.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `postgres/shop/${stamp}/manifest.json`, Body: manifest }));
  }
});

afterAll(async () => {
  s3?.stop();
  await Promise.all([standIn?.stop(), primary?.stop()]);
});

it("restores the source to the archive's snapshotAt, passes, deletes the instance, reports next to the archive and publishes success", async () => {
  // The archives' region is drRegion's in the pod. moto keeps one S3 for every region: here the
  // region shows only in the calls, checked below (S3 in ARCHIVE_REGION, RDS in AWS_REGION).
  const run = await pitrTest({ RESTORE_TEST_ENVIRONMENT: "acme-pass", ARCHIVE_REGION: "us-east-2" });
  const { start, check, finish } = run.steps;
  const calls = fs.readFileSync(run.calls, "utf8").trim().split("\n");
  expect(calls.filter((c) => /^s3(api)? /.test(c)).map((c) => `${c.split(" ").slice(0, 2).join(" ")} ${/--region (\S+)/.exec(c)?.[1]}`)).toEqual([
    "s3api list-objects-v2 us-east-2",
    "s3 cp us-east-2",
    "s3api put-object us-east-2",
  ]);
  expect(calls.filter((c) => c.startsWith("rds ") && c.includes("--region"))).toEqual([]);
  expect(start.stderr).toBe("");
  expect(start.status).toBe(0);
  // Never one of the archives from before the source existed.
  expect(start.stdout).toMatch(new RegExp(`^pitr-restore-test: picked s3://${s3.bucket}/${archive}manifest\\.json \\(seed \\d+, window 7 days since `, "m"));
  // The restorable window starts when the source was created (its retention reaches further back).
  const created = (await instances()).find((i) => i.DBInstanceIdentifier === SOURCE)!.InstanceCreateTime!;
  // Milliseconds as each side rounds moto's microseconds (the aws CLI and the SDK differ by one).
  const from = new Date(/; restorable from (\S+) to /.exec(start.stdout)![1]);
  expect(Math.abs(from.getTime() - created.getTime())).toBeLessThanOrEqual(1);
  const instance = /restoring \S+ to \S+ \(the archive's snapshotAt\) into (\S+)/.exec(start.stdout)![1];
  expect(instance).toMatch(new RegExp(`^${PREFIX}-\\d{12}$`));
  expect(fs.readFileSync(path.join(run.dir, "instance"), "utf8")).toBe(instance);

  // moto drops RestoreTime (it copies the source, records no restore point): the call the script
  // made is read from the aws shim's log instead.
  const restoreCall = fs
    .readFileSync(run.calls, "utf8")
    .split("\n")
    .find((line) => line.startsWith("rds restore-db-instance-to-point-in-time "));
  expect(restoreCall).toBe(
    `rds restore-db-instance-to-point-in-time --source-db-instance-identifier ${SOURCE} --target-db-instance-identifier ${instance} ` +
      `--restore-time ${snapshotAt} --db-instance-class db.t4g.medium --db-subnet-group-name ${DATABASE.subnetGroupName} ` +
      `--db-parameter-group-name ${DATABASE.parameterGroupName} --vpc-security-group-ids ${securityGroupId} --no-publicly-accessible --no-multi-az ` +
      `--no-deletion-protection --no-manage-master-user-password --tags Key=${TAG.Key},Value=${TAG.Value} --query DBInstance.DBInstanceIdentifier --output text`,
  );
  // What moto shows of the restored instance: beside the source, in its network, tagged.
  expect(run.restored).toMatchObject({
    DBInstanceIdentifier: instance,
    DBInstanceClass: "db.t4g.medium",
    Engine: "postgres",
    DBSubnetGroup: expect.objectContaining({ DBSubnetGroupName: DATABASE.subnetGroupName }),
    DBParameterGroups: [expect.objectContaining({ DBParameterGroupName: DATABASE.parameterGroupName })],
    VpcSecurityGroups: [expect.objectContaining({ VpcSecurityGroupId: securityGroupId })],
    MasterUsername: MASTER,
  });
  expect(run.restored!.TagList).toContainEqual(TAG);
  // moto gives the copy its source's Secrets Manager password despite the restore's
  // --no-manage-master-user-password; start turned it off when it set its own.
  expect((await instances()).find((i) => i.DBInstanceIdentifier === SOURCE)!.MasterUserSecret?.SecretArn).toMatch(/^arn:aws:secretsmanager:/);
  expect(run.restored!.MasterUserSecret).toBeUndefined();

  expect(check.stderr).toBe("");
  expect(check.status).toBe(0);
  expect(check.stdout).toContain(`pitr-restore-test: restore point ${snapshotAt}: 2 tables in the manifest, 2 present, 2 exact\n`);
  expect(check.stdout).toMatch(/pitr-restore-test: PASS in \d+\.\d s from the restore call \(target 600 s\)/);

  expect(finish.stderr).toBe("");
  expect(finish.status).toBe(0);
  expect(finish.stdout).toContain(`pitr-restore-test: deleting ${instance}\n`);
  expect(run.reportKey).toMatch(new RegExp(`^${archive}pitr-test-\\d{8}T\\d{6}Z\\.json$`));
  const report = JSON.parse(await getText(run.reportKey!));
  expect(report).toEqual({
    format: POINT_IN_TIME_RESTORE_TEST_REPORT_FORMAT,
    source: SOURCE,
    instance,
    restoreTime: snapshotAt,
    archiveFolder: archive,
    testedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    outcome: "pass",
    failure: null,
    restoreSeconds: expect.any(Number),
    targetSeconds: 600,
    tables: { expected: 2, present: 2, exact: 2 },
    deletedInstances: [instance],
  });
  expect(run.reportKey).toBe(`${archive}pitr-test-${report.testedAt.replace(/[-:]/g, "")}.json`);
  expect(await metric(POINT_IN_TIME_RESTORE_TEST_METRICS.success, "acme-pass")).toEqual({ min: 1, max: 1, count: 1 });
  expect(await metric(POINT_IN_TIME_RESTORE_TEST_METRICS.restoreSeconds, "acme-pass")).toEqual(expect.objectContaining({ count: 1 }));

  // Nothing left under the prefix; the source untouched.
  expect(await underPrefix()).toEqual([]);
  const source = (await instances()).find((i) => i.DBInstanceIdentifier === SOURCE);
  expect(source).toMatchObject({ DBInstanceStatus: "available", DBInstanceClass: "db.r6g.large", MasterUsername: MASTER });
  expect(fs.readFileSync(run.calls, "utf8")).not.toMatch(new RegExp(`(modify|delete)-db-instance --db-instance-identifier ${SOURCE} `));
});

it("fails when a table of the manifest is missing from the restored database, naming it, and still deletes the instance", async () => {
  // Its own copy: customers gone, and one order changed (a difference that is reported, not judged).
  const broken = await primary.restoreToTime(base, snapshotAt);
  try {
    broken.psql("DROP TABLE customers; UPDATE orders SET note = 'changed' WHERE id = 1", "shop");
    const run = await pitrTest({ RESTORE_TEST_ENVIRONMENT: "acme-missing" }, broken);
    const { check, finish } = run.steps;
    expect(check.status).toBe(0);
    expect(check.stdout).toContain("2 tables in the manifest, 1 present, 0 exact");
    expect(check.stdout).toMatch(/^pitr-restore-test: DIFFERENT public\.orders expected \{.*"rows" : 300.*\}$/m);
    expect(check.stdout).toContain("reported, not judged: the archive's snapshot and the restore point differ by the writes committed within the same second");
    expect(check.stdout).toContain("pitr-restore-test: FAIL: tables of the manifest missing from the restored database: public.customers\n");
    expect(finish.status).toBe(1);
    expect(finish.stderr).toBe("pitr-restore-test: FAIL: tables of the manifest missing from the restored database: public.customers\n");
    expect(JSON.parse(await getText(run.reportKey!))).toMatchObject({
      outcome: "fail",
      failure: "tables of the manifest missing from the restored database: public.customers",
      tables: { expected: 2, present: 1, exact: 0 },
      deletedInstances: [run.restored!.DBInstanceIdentifier],
    });
    expect(await metric(POINT_IN_TIME_RESTORE_TEST_METRICS.success, "acme-missing")).toEqual({ min: 0, max: 0, count: 1 });
    expect(await underPrefix()).toEqual([]);
  } finally {
    await broken.stop();
  }
});

it("deletes what a killed run left under the prefix, and nothing else", async () => {
  const { rds } = admin();
  const create = (id: string) =>
    rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        Engine: "postgres",
        DBInstanceClass: "db.t4g.medium",
        AllocatedStorage: 20,
        MasterUsername: MASTER,
        MasterUserPassword: "leftover-password",
        Tags: [TAG],
      }),
    );
  // Names that share the prefix's text but not "<prefix>-", and an unrelated one.
  const others = [`${PREFIX}x`, `${PREFIX}`, "other-db"];
  for (const id of [LEFTOVER, ...others]) await create(id);
  const run = await pitrTest({ RESTORE_TEST_ENVIRONMENT: "acme-leftover" });
  const { finish } = run.steps;
  expect(finish.stderr).toBe("");
  expect(finish.status).toBe(0);
  expect(finish.stdout).toContain(`pitr-restore-test: deleting ${LEFTOVER}\n`);
  const report = JSON.parse(await getText(run.reportKey!));
  expect(report.outcome).toBe("pass");
  expect([...report.deletedInstances].sort()).toEqual([LEFTOVER, run.restored!.DBInstanceIdentifier].sort());
  expect(await underPrefix()).toEqual([]);
  const ids = (await instances()).map((i) => i.DBInstanceIdentifier);
  expect(ids).toEqual(expect.arrayContaining([SOURCE, ...others]));
  expect(fs.readFileSync(run.calls, "utf8")).not.toMatch(
    /delete-db-instance --db-instance-identifier (acme-us-east-1|acme-us-east-1-pitr|acme-us-east-1-pitrx|other-db) /,
  );

  // The role could not delete them anyway. moto authorizes RDS calls against "*" only (no
  // resource-level permissions), so a DeleteDBInstance as the tester would prove nothing there:
  // the job's own statements are evaluated against the instances' ARNs instead.
  const own = statements(s3.keyArn);
  const arn = (id: string) => `arn:aws:rds:${REGION}:${EMULATOR_ACCOUNT_ID}:db:${id}`;
  expect(allows(own, "rds:DeleteDBInstance", arn(LEFTOVER))).toBe(true);
  expect(allows(own, "rds:ModifyDBInstance", arn(LEFTOVER))).toBe(true);
  for (const id of [SOURCE, ...others]) {
    expect([id, allows(own, "rds:DeleteDBInstance", arn(id))]).toEqual([id, false]);
    expect([id, allows(own, "rds:ModifyDBInstance", arn(id))]).toEqual([id, false]);
  }
});

it("fails with nothing restored when no archive is inside the window and the restorable window, and reports without a report file", async () => {
  const reportsBefore = await pitrReports();
  // Two days on with a window of one day: every archive is too old for the window.
  const windowed = await pitrTest({ RESTORE_TEST_NOW: inDays(2), RESTORE_TEST_WINDOW_DAYS: "1", RESTORE_TEST_ENVIRONMENT: "acme-none" });
  expect(windowed.steps.start.status).toBe(0);
  expect(windowed.steps.start.stdout).toMatch(
    /^pitr-restore-test: FAIL: no archive with a manifest\.json under s3:\/\/acme-hosting-services-us-east-1\/postgres\/ within the window and the restorable window of acme-us-east-1 \(window 1 days since /m,
  );
  // Eight days on with a window of ten: inside the window, but the source keeps 7 days of backups.
  const retained = await pitrTest({ RESTORE_TEST_NOW: inDays(8), RESTORE_TEST_WINDOW_DAYS: "10", RESTORE_TEST_ENVIRONMENT: "acme-none" });
  const { start, check, finish } = retained.steps;
  expect(start.status).toBe(0);
  expect(start.stdout).toMatch(
    /FAIL: no archive with a manifest\.json under \S+ within the window and the restorable window of acme-us-east-1 \(window 10 days since .*; restorable from \S+ to \S+\)/,
  );
  expect(start.stdout).not.toContain("picked");
  expect(check.status).toBe(0);
  expect(check.stdout).toContain("pitr-restore-test: check skipped: the test already failed (no archive");
  expect(finish.status).toBe(1);
  expect(finish.stdout).toContain("pitr-restore-test: no archive was chosen: no report\n");
  expect(finish.stderr).toMatch(/^pitr-restore-test: FAIL: no archive with a manifest\.json under /);
  for (const run of [windowed, retained]) {
    expect(fs.readFileSync(run.calls, "utf8")).not.toContain("restore-db-instance-to-point-in-time");
    expect(fs.existsSync(path.join(run.dir, "instance"))).toBe(false);
    expect(run.restored).toBeUndefined();
    expect(run.steps.finish.status).toBe(1);
  }
  expect(await pitrReports()).toEqual(reportsBefore);
  expect(await metric(POINT_IN_TIME_RESTORE_TEST_METRICS.success, "acme-none")).toEqual({ min: 0, max: 0, count: 2 });
  expect(await metric(POINT_IN_TIME_RESTORE_TEST_METRICS.restoreSeconds, "acme-none")).toBeUndefined();
});

it("never shows the master password: not in any step's output, an aws argument, ARCHIVE_DIR or the report", async () => {
  const run = await pitrTest({ RESTORE_TEST_ENVIRONMENT: "acme-secret" });
  expect(run.steps.finish.status).toBe(0);
  const password = run.password!;
  expect(password).toMatch(/^[0-9a-f]{32,}$/);
  expect(fs.statSync(path.join(run.secret, "password")).mode & 0o777).toBe(0o600);
  // Only the password file is left in SECRET_DIR (the CLI input and the pgpass file are removed).
  expect(fs.readdirSync(run.secret)).toEqual(["password"]);
  const seen: Record<string, string> = {};
  for (const [name, result] of Object.entries(run.steps)) {
    seen[`${name} stdout`] = result.stdout;
    seen[`${name} stderr`] = result.stderr;
  }
  seen["aws arguments"] = fs.readFileSync(run.calls, "utf8");
  for (const file of fs.readdirSync(run.dir, { recursive: true }) as string[]) {
    const full = path.join(run.dir, file);
    if (fs.statSync(full).isFile()) seen[`ARCHIVE_DIR/${file}`] = fs.readFileSync(full, "utf8");
  }
  seen.report = await getText(run.reportKey!);
  expect(Object.keys(seen)).toEqual(expect.arrayContaining(["ARCHIVE_DIR/target", "ARCHIVE_DIR/report.json", "report"]));
  expect(Object.entries(seen).filter(([, text]) => text.includes(password))).toEqual([]);
  // It was set through ModifyDBInstance (from a file, not an argument), and the check logged in with it.
  expect(seen["aws arguments"]).toMatch(/^rds modify-db-instance --cli-input-json file:\/\/\S+\/modify\.json /m);
  expect(run.steps.check.stdout).toContain("2 tables in the manifest, 2 present, 2 exact");
});
