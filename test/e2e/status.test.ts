import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateAliasCommand, CreateKeyCommand, ReplicateKeyCommand } from "@aws-sdk/client-kms";
import { CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, PromoteReadReplicaCommand } from "@aws-sdk/client-rds";
import {
  CreateBucketCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import { recoveryRunKey } from "../../lib/naming";
import { formatStatus, runStatus, statusClients, statusExitCode, type StatusResult } from "../../lib/operations/status";
import { writeReport } from "../../lib/recovery/recover";
import type { RecoveryReport } from "../../lib/recovery/report";
import { EMULATOR_ACCOUNT_ID, EmulatorTarget } from "../../lib/targets/emulator-target";
import { awsClients, EMULATOR_CREDENTIALS } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { REPO, run } from "../support/run";
import { environmentFile, environmentsFolder, tempDir } from "../support/temp";

/**
 * `status` against the emulator: the primary's copies in us-east-2 are made with the AWS SDK (a
 * fresh archive manifest, an old broker definitions export, the assets rule with Replication Time
 * Control and two source objects, the SOPS key's replica), and the status reads them through the
 * emulator target, whose gaps explain the rows moto cannot serve (replicated RDS backups, object
 * copies). The archive's target is met, the definitions' is missed: exit 1. A fresh export then
 * meets it: exit 0. The CLI prints the same table.
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 5520 });

const primary = environment(primaryInput({ accountId: EMULATOR_ACCOUNT_ID })) as PrimaryEnvironment;
const recovery = environment(recoveryInput({ accountId: EMULATOR_ACCOUNT_ID })) as RecoveryEnvironment;
const P = primary.region;
const R = recovery.region;
const HOSTING = "acme-hosting-services-us-east-1";
const SOURCE = "acme-assets-us-east-1";
const REPLICA = "acme-dr-assets-us-east-1";
// Whole seconds: the stamps in the keys have no milliseconds. The CLI measures from its own clock,
// a few seconds later: its ages are checked by verdict, not by text.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const stamp = (time: Date) =>
  time
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
const iso = (time: Date) => time.toISOString().replace(/\.\d{3}Z$/, "Z");

let replicaArn = "";
let primaryArn = "";

const sdk = (region: string) => awsClients(emulator.current(), region);

function target(): EmulatorTarget {
  return new EmulatorTarget(emulator.current().endpoint, tempDir("status-state-"));
}

async function status(of: PrimaryEnvironment = primary, recovering: RecoveryEnvironment = recovery): Promise<StatusResult> {
  const clients = statusClients(recovering, of, {
    endpoint: emulator.current().endpoint,
    credentials: EMULATOR_CREDENTIALS,
    httpsAgent: new https.Agent({ ca: fs.readFileSync(emulator.current().caFile) }),
  });
  return runStatus(recovering, of, clients, { now: NOW, target: target() });
}

async function bucket(region: string, name: string): Promise<void> {
  const s3 = sdk(region).s3;
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
}

async function putDefinitions(at: Date): Promise<void> {
  await sdk(R).s3.send(new PutObjectCommand({ Bucket: HOSTING, Key: `rabbitmq/${stamp(at)}/definitions.json`, Body: '{"queues":[{"name":"orders"}]}' }));
}

beforeAll(async () => {
  await bucket(R, HOSTING);
  const folder = `postgres/app/${stamp(ago(10))}`;
  const dump = Buffer.from("PGDMP archive bytes");
  const manifest = {
    format: "dr-platform/database-archive/1",
    keyPrefix: `${folder}/`,
    database: "app",
    serverVersion: "16.4",
    startedAt: iso(ago(10)),
    snapshotAt: iso(ago(10)),
    finishedAt: iso(ago(9)),
    archive: { file: "archive.dump", format: "custom", bytes: dump.length, sha256: crypto.createHash("sha256").update(dump).digest("hex") },
    tables: [{ schema: "public", table: "orders", rows: 3, checksum: "42" }],
  };
  await sdk(R).s3.send(new PutObjectCommand({ Bucket: HOSTING, Key: `${folder}/archive.dump`, Body: dump }));
  await sdk(R).s3.send(new PutObjectCommand({ Bucket: HOSTING, Key: `${folder}/manifest.json`, Body: JSON.stringify(manifest) }));
  await putDefinitions(ago(180));
  // A passed scheduled restore test of that archive, a day ago (backup/restore-test.sh's report).
  const tested = ago(24 * 60);
  const report = {
    format: "dr-platform/restore-test/1",
    archiveKey: `${folder}/archive.dump`,
    testedAt: iso(tested),
    passed: true,
    restoreSeconds: 12.5,
    failure: null,
  };
  await sdk(R).s3.send(new PutObjectCommand({ Bucket: HOSTING, Key: `${folder}/restore-test-${stamp(tested)}.json`, Body: JSON.stringify(report) }));

  await bucket(P, SOURCE);
  await bucket(R, REPLICA);
  await sdk(P).s3.send(
    new PutBucketReplicationCommand({
      Bucket: SOURCE,
      ReplicationConfiguration: {
        Role: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/acme-dr-replication-us-east-1`,
        Rules: [
          {
            ID: "DR Replication",
            Status: "Enabled",
            Priority: 0,
            Filter: {},
            DeleteMarkerReplication: { Status: "Disabled" },
            Destination: {
              Bucket: `arn:aws:s3:::${REPLICA}`,
              StorageClass: "STANDARD",
              ReplicationTime: { Status: "Enabled", Time: { Minutes: 15 } },
              Metrics: { Status: "Enabled", EventThreshold: { Minutes: 15 } },
            },
          },
        ],
      },
    }),
  );
  for (const key of ["img/logo.png", "img/banner.png"]) await sdk(P).s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: key, Body: key }));

  const key = (await sdk(P).kms.send(new CreateKeyCommand({ MultiRegion: true, Description: "SOPS" }))).KeyMetadata!;
  const replica = (await sdk(P).kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: R }))).ReplicaKeyMetadata!;
  await sdk(R).kms.send(new CreateAliasCommand({ AliasName: "alias/acme-sops-us-east-1", TargetKeyId: replica.KeyId }));
  primaryArn = key.Arn!;
  replicaArn = replica.Arn!;
});

/** The table's rows (between the header and the first detail), padding collapsed. */
const tableRows = (text: string) =>
  text
    .split("\n\n")[1]
    .split("\n")
    .map((l) => l.split(/ {2,}/));

it("meets the fresh archive's target, misses the old definitions', and exits 1", async () => {
  const result = await status();
  const text = formatStatus(result);
  expect(text.split("\n")[0]).toBe(`Recovery points of us-east-1's data in us-east-2 at ${iso(NOW)}: 3 met, 1 missed, 2 unknown`);
  expect(tableRows(text)).toEqual([
    ["STORE", "RECOVERY POINT / STATE", "TARGET", "VERDICT"],
    ["database backups", "unknown (not served by the emulator)", "5 min", "unknown"],
    ["database archives", `${iso(ago(10))} (10 min ago)`, "65 min", "met"],
    ["restore tests", `${iso(ago(24 * 60))} (1 d 0 h ago)`, "8 days", "met"],
    ["assets", "unknown (not served by the emulator)", "15 min", "unknown"],
    ["broker definitions", `${iso(ago(180))} (3 h 0 min ago)`, "65 min", "MISSED"],
    ["SOPS replica key", "enabled", "enabled replica", "met"],
  ]);
  // What moto serves is read for real: the rule with RTC, the objects without a status, the empty replica.
  expect(text).toContain(
    [
      "assets [assets]: unknown",
      `  rule "DR Replication" enabled into arn:aws:s3:::${REPLICA}, Replication Time Control on (15 min)`,
      "  newest 2 of 2 source objects: 2 without a status",
      "  source 2 keys, replica 0 keys; not in the replica: img/banner.png, img/logo.png; moto stores the replication rule and reads it back, but copies no object and sets no ReplicationStatus: the emulator's replica bucket stays empty, so the assets' recovery point cannot be measured there",
      "  fix: nothing to fix in the emulator; a real account serves it",
    ].join("\n"),
  );
  expect(text).toContain(`SOPS replica key [sops-key]: met\n  ${replicaArn} (replica of ${primaryArn})\n`);
  expect(text).toContain(
    [
      "broker definitions [broker-definitions]: MISSED",
      `  s3://${HOSTING}/rabbitmq/${stamp(ago(180))}/definitions.json (30 bytes); queues, exchanges, bindings and policies created after it are not in it`,
      "  fix: aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1 && kubectl -n dr-backups get cronjobs,jobs   # is the broker definitions job scheduled and succeeding?",
    ].join("\n"),
  );
  expect(result.rows.map((r) => r.gap)).toEqual(["rds-backup-replication", undefined, undefined, "s3-object-replication", undefined, undefined]);
  expect(statusExitCode(result)).toBe(1);
});

/** `npx dr-platform status us-east-2 ...` against the emulator, as the sandbox's operator runs it. */
function cli(...flags: string[]) {
  const environments = environmentsFolder({
    "us-east-1.ts": environmentFile(primaryInput({ accountId: EMULATOR_ACCOUNT_ID })),
    "us-east-2.ts": environmentFile(recoveryInput({ accountId: EMULATOR_ACCOUNT_ID })),
  });
  return run("node", ["--require", "sucrase/register/ts", path.join(REPO, "cli/main.ts"), "status", R, ...flags], {
    env: {
      DR_ENVIRONMENTS_DIR: environments,
      DR_SANDBOX_ENDPOINT: emulator.current().endpoint,
      DR_SANDBOX_STATE_DIR: tempDir("status-cli-"),
      NODE_EXTRA_CA_CERTS: emulator.current().caFile,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    },
  });
}

it("the CLI prints the same table through the sandbox's emulator and exits 1", () => {
  const result = cli();
  expect({
    status: result.status,
    stderr: result.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?show where the warning was created\)\n/, ""),
  }).toEqual({ status: 1, stderr: "" });
  expect(tableRows(result.stdout).map((cells) => [cells[0], cells[3] ?? cells[2]])).toEqual([
    ["STORE", "VERDICT"],
    ["database backups", "unknown"],
    ["database archives", "met"],
    ["restore tests", "met"],
    ["assets", "unknown"],
    ["broker definitions", "MISSED"],
    ["SOPS replica key", "met"],
  ]);
});

it("the CLI's --json gives the same rows and exit status", () => {
  const result = cli("--json");
  expect(result.status).toBe(1);
  const json = JSON.parse(result.stdout);
  expect(json.rows.map((r: any) => [r.id, r.verdict, r.gap ?? null])).toEqual([
    ["database-backups", "unknown", "rds-backup-replication"],
    ["database-archives", "met", null],
    ["restore-tests", "met", null],
    ["assets", "unknown", "s3-object-replication"],
    ["broker-definitions", "missed", null],
    ["sops-key", "met", null],
  ]);
  expect(json.rows[1].recoveryPoint).toBe(ago(10).toISOString());
});

it("meets every target it can measure once a fresh export is there, and exits 0", async () => {
  await putDefinitions(ago(20));
  const result = await status();
  expect(result.rows.map((r) => [r.id, r.verdict])).toEqual([
    ["database-backups", "unknown"],
    ["database-archives", "met"],
    ["restore-tests", "met"],
    ["assets", "unknown"],
    ["broker-definitions", "met"],
    ["sops-key", "met"],
  ]);
  expect(result.rows[4].state).toBe(`${iso(ago(20))} (20 min ago)`);
  expect(statusExitCode(result)).toBe(0);
});

it("shows the point-in-time restore tests of the RDS backups when the primary runs them: missed without a report, met with a passed one", async () => {
  const testing = environment(primaryInput({ accountId: EMULATOR_ACCOUNT_ID, backups: { restoreTest: { pointInTime: {} } } })) as PrimaryEnvironment;
  const row = async () => (await status(testing)).rows.find((r) => r.id === "pitr-restore-tests");
  expect(await row()).toMatchObject({ verdict: "missed", detail: `no point-in-time restore test report under s3://${HOSTING}/postgres/` });
  // A passed test ten days ago (backup/pitr-restore-test.sh's report), next to the archive it took its restore time from.
  const tested = ago(10 * 24 * 60);
  const folder = (await sdk(R).s3.send(new ListObjectsV2Command({ Bucket: HOSTING, Prefix: "postgres" })))
    .Contents!.map((o) => o.Key!)
    .find((k) => k.endsWith("/manifest.json"))!
    .replace(/manifest\.json$/, "");
  const report = {
    format: "dr-platform/pitr-restore-test/1",
    source: "acme-us-east-1",
    instance: "acme-us-east-1-pitr-202611010500",
    restoreTime: iso(ago(11 * 24 * 60)),
    archiveFolder: folder,
    testedAt: iso(tested),
    outcome: "pass",
    failure: null,
    restoreSeconds: 2400,
  };
  await sdk(R).s3.send(new PutObjectCommand({ Bucket: HOSTING, Key: `${folder}pitr-test-${stamp(tested)}.json`, Body: JSON.stringify(report) }));
  expect(await row()).toMatchObject({ store: "RDS restore tests", target: "32 days", verdict: "met", state: `${iso(tested)} (10 d 0 h ago)` });
  // The primary without the test has no such row.
  expect((await status()).rows.map((r) => r.id)).not.toContain("pitr-restore-tests");
});

it("shows the rehearsals of a recovery that enables them: missed without a report, met with a passed one, none without rehearsal: true", async () => {
  const rehearsing = environment(recoveryInput({ accountId: EMULATOR_ACCOUNT_ID, rehearsal: true })) as RecoveryEnvironment;
  const row = async () => (await status(primary, rehearsing)).rows.find((r) => r.id === "rehearsals");
  expect(await row()).toMatchObject({ verdict: "missed", state: "none", detail: `no rehearsal report under s3://${HOSTING}/` });
  // A rehearsal 20 days ago that got to its smoke check, as the executor writes its report (writeReport, under the rehearsal's key).
  const started = ago(20 * 24 * 60);
  const id = stamp(started);
  const report: RecoveryReport = {
    format: "dr-platform/recovery-report/1",
    region: R,
    scenario: "rehearsal",
    recoveryId: id,
    target: "AWS account 123456789012",
    objectiveMinutes: 120,
    startedAt: iso(started),
    servedAt: iso(new Date(started.getTime() + 70 * 60_000)),
    measuredMinutes: 70,
    verdict: "met",
    notMeasured: [],
    recoveryPoints: [],
    steps: [],
    runs: [],
    failed: [],
  };
  const warnings: string[] = [];
  await writeReport(report, tempDir("dr-rehearsal-report-"), { bucket: HOSTING, s3: sdk(R).s3 }, warnings, recoveryRunKey(R, "rehearsal"));
  expect(warnings).toEqual([]);
  expect(await row()).toMatchObject({ store: "rehearsals", target: "92 days", verdict: "met", state: `${iso(started)} (20 d 0 h ago)` });
  // The recovery without rehearsal: true has no such row.
  expect((await status()).rows.map((r) => r.id)).not.toContain("rehearsals");
});

it("shows a warm standby's read replica: none, then unknown by the emulator's gap while no lag is measured, then its lag from CloudWatch as the database's recovery point, then promoted; other tiers have no such row", async () => {
  const warm: RecoveryEnvironment = { ...recovery, tier: "warm-standby" };
  const row = async () => (await status(primary, warm)).rows.find((r) => r.id === "database-replica");
  expect((await status()).rows.map((r) => r.id)).not.toContain("database-replica");
  expect(await row()).toMatchObject({ verdict: "missed", state: "none" });
  // The primary's instance and its cross-Region read replica, as the stacks make them (the emulator has both).
  await sdk(P).rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "acme-us-east-1",
      Engine: "postgres",
      DBInstanceClass: "db.t4g.medium",
      AllocatedStorage: 20,
      MasterUsername: "dbadmin",
      ManageMasterUserPassword: true,
    }),
  );
  const source = `arn:aws:rds:${P}:${EMULATOR_ACCOUNT_ID}:db:acme-us-east-1`;
  await sdk(R).rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: "acme-us-east-2", SourceDBInstanceIdentifier: source }));
  // moto publishes no RDS metrics (the emulator's gap rds-replica-lag): unknown, by that gap.
  expect(await row()).toMatchObject({ verdict: "unknown", state: "unknown (not served by the emulator)", gap: "rds-replica-lag" });
  // RDS publishes ReplicaLag every minute; here it is put as RDS would.
  const measured = ago(2);
  await sdk(R).cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: "AWS/RDS",
      MetricData: [
        { MetricName: "ReplicaLag", Dimensions: [{ Name: "DBInstanceIdentifier", Value: "acme-us-east-2" }], Timestamp: measured, Value: 30, Unit: "Seconds" },
      ],
    }),
  );
  expect(await row()).toMatchObject({
    verdict: "met",
    recoveryPoint: new Date(measured.getTime() - 30_000),
    state: `${iso(new Date(measured.getTime() - 30_000))} (2 min ago), lag 30 s`,
  });
  // Promoted, it no longer follows (the emulator's MOTO_FIXES clear the source, as RDS does).
  await sdk(R).rds.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: "acme-us-east-2" }));
  expect(await row()).toMatchObject({ verdict: "met", state: "promoted (standalone)" });
});
