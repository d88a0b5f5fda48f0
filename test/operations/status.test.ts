import { BackupClient, ListCopyJobsCommand } from "@aws-sdk/client-backup";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { DescribeDBInstanceAutomatedBackupsCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetBucketReplicationCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import type { StatusRow, StatusTarget } from "../../lib/operations/checks/status/row";
import { formatStatus, runStatus, statusExitCode, type StatusClients, type StatusResult } from "../../lib/operations/status";
import { environment, primaryInput, recoveryInput } from "../support/environments";

const primary = environment(primaryInput()) as PrimaryEnvironment;
const recovery = environment(recoveryInput()) as RecoveryEnvironment;
const NOW = new Date("2026-11-21T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const HOSTING = "acme-hosting-services-us-east-1";
const RESTORE_TEST_FILE = "restore-test-20261120T033000Z.json";
const SOURCE = "acme-assets-us-east-1";
const REPLICA = "acme-dr-assets-us-east-1";
const REPLICA_KEY = "arn:aws:kms:us-east-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const PRIMARY_KEY = REPLICA_KEY.replace("us-east-2", "us-east-1");

const awsError = (name: string, httpStatusCode: number | undefined, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
/** The part of a response body the status reads. */
const body = (text: string) => ({ transformToString: async () => text }) as any;

function manifest(snapshotAt: Date): string {
  return JSON.stringify({
    format: "dr-platform/database-archive/1",
    keyPrefix: "postgres/app/20261121T113000Z/",
    database: "app",
    serverVersion: "16.4",
    startedAt: snapshotAt.toISOString(),
    snapshotAt: snapshotAt.toISOString(),
    finishedAt: snapshotAt.toISOString(),
    archive: { file: "archive.dump", format: "custom", bytes: 4096, sha256: "ab".repeat(32) },
    tables: [{ schema: "public", table: "orders", rows: 3, checksum: "1" }],
  });
}

interface Setup {
  backupTime?: Date | null;
  archiveAt?: Date | null;
  definitionsStamp?: string | null;
  sourceStates?: (string | undefined)[];
  replicaKeys?: string[];
  rtc?: boolean;
  /** false: the source has no replication configuration. */
  rule?: false;
  keyState?: "Enabled" | "Disabled" | "missing";
  /** The primary has a vault: its rules, the newest archive's ReplicationStatus and the copy jobs into it. */
  vault?: { archiveStatus?: string; copyJobStartedMinutesAgo?: number };
}

const VAULT_ACCOUNT = "210987654321";
const vaultPrimary = environment(primaryInput({ vault: { accountId: VAULT_ACCOUNT, region: "us-west-2" } })) as PrimaryEnvironment;
const vaultRule = (kind: string) => ({
  ID: "Vault",
  Status: "Enabled" as const,
  Destination: { Bucket: `arn:aws:s3:::acme-vault-${kind}-us-east-1-${VAULT_ACCOUNT}`, Account: VAULT_ACCOUNT },
});
const BACKUP_VAULT_ARN = `arn:aws:backup:us-west-2:${VAULT_ACCOUNT}:backup-vault:acme-vault-us-east-1`;

/** Clients in the right regions whose answers describe one state of the recovery region. */
function clients(setup: Setup = {}): StatusClients {
  const c = {
    s3: new S3Client({ region: "us-east-2", credentials }),
    rds: new RDSClient({ region: "us-east-2", credentials }),
    kms: new KMSClient({ region: "us-east-2", credentials }),
    primaryS3: new S3Client({ region: "us-east-1", credentials }),
    ...(setup.vault ? { stateS3: new S3Client({ region: "us-west-2", credentials }), backup: new BackupClient({ region: "us-east-1", credentials }) } : {}),
  };
  const backupTime = setup.backupTime === undefined ? minutesAgo(3) : setup.backupTime;
  mockClient(c.rds)
    .on(DescribeDBInstanceAutomatedBackupsCommand, { DBInstanceIdentifier: "acme-us-east-1" })
    .resolves({
      DBInstanceAutomatedBackups:
        backupTime === null
          ? []
          : [
              {
                DBInstanceAutomatedBackupsArn: "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-old",
                Status: "retained",
                RestoreWindow: { LatestTime: minutesAgo(9000) },
              },
              {
                DBInstanceAutomatedBackupsArn: "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new",
                Status: "replicating",
                RestoreWindow: { LatestTime: backupTime },
              },
            ],
    });
  const archiveAt = setup.archiveAt === undefined ? minutesAgo(30) : setup.archiveAt;
  const stamp = "20261121T113000Z";
  const definitions = setup.definitionsStamp === undefined ? "20261121T110000Z" : setup.definitionsStamp;
  const s3 = mockClient(c.s3);
  s3.on(ListObjectsV2Command, { Bucket: HOSTING, Prefix: "postgres" }).resolves({
    Contents:
      archiveAt === null
        ? []
        : [
            { Key: "postgres/app/20261121T103000Z/manifest.json" },
            { Key: `postgres/app/${stamp}/archive.dump` },
            { Key: `postgres/app/${stamp}/manifest.json` },
            { Key: "postgres/other/20261121T115900Z/manifest.json" },
            { Key: "postgres/app/20261121T115500Z/archive.dump" },
            { Key: `postgres/app/20261120T030000Z/${RESTORE_TEST_FILE}` },
          ],
  });
  s3.on(GetObjectCommand, { Bucket: HOSTING, Key: `postgres/app/20261120T030000Z/${RESTORE_TEST_FILE}` }).resolves({
    Body: body(
      JSON.stringify({
        format: "dr-platform/restore-test/1",
        archiveKey: "postgres/app/20261120T030000Z/archive.dump",
        testedAt: "2026-11-20T03:30:00Z",
        passed: true,
        restoreSeconds: 42.5,
        restoreSecondsTarget: 1800,
        failure: null,
      }),
    ),
  });
  s3.on(GetObjectCommand, { Bucket: HOSTING, Key: `postgres/app/${stamp}/manifest.json` }).callsFake(() => ({ Body: body(manifest(archiveAt ?? NOW)) }));
  if (setup.vault) {
    const { archiveStatus = "COMPLETED", copyJobStartedMinutesAgo = 9 * 60 } = setup.vault;
    s3.on(GetBucketReplicationCommand, { Bucket: HOSTING }).resolves({
      ReplicationConfiguration: { Role: "arn:aws:iam::123456789012:role/r", Rules: [vaultRule("archives")] },
    });
    for (const file of ["archive.dump", "manifest.json"])
      s3.on(HeadObjectCommand, { Bucket: HOSTING, Key: `postgres/app/${stamp}/${file}` }).resolves({
        ReplicationStatus: archiveStatus as any,
        LastModified: minutesAgo(29),
      });
    mockClient(c.stateS3!)
      .on(GetBucketReplicationCommand, { Bucket: "acme-terraform-state" })
      .resolves({ ReplicationConfiguration: { Role: "arn:aws:iam::123456789012:role/s", Rules: [vaultRule("state")] } });
    mockClient(c.backup!)
      .on(ListCopyJobsCommand, { ByDestinationVaultArn: BACKUP_VAULT_ARN, ByCreatedAfter: minutesAgo(48 * 60) })
      .resolves({
        CopyJobs: [
          {
            CopyJobId: "c-1",
            State: "COMPLETED",
            CreationDate: minutesAgo(copyJobStartedMinutesAgo),
            CompletionDate: minutesAgo(copyJobStartedMinutesAgo - 10),
          },
        ],
      });
  }
  s3.on(ListObjectsV2Command, { Bucket: HOSTING, Prefix: "rabbitmq" }).resolves({
    Contents:
      definitions === null
        ? []
        : [
            { Key: "rabbitmq/20261120T110000Z/definitions.json", Size: 10 },
            { Key: `rabbitmq/${definitions}/definitions.json`, Size: 2048 },
          ],
  });
  const replicaKeys = setup.replicaKeys ?? ["img/a.png", "img/b.png"];
  s3.on(ListObjectsV2Command, { Bucket: REPLICA }).resolves({
    Contents: [...replicaKeys, "replication-reports/job-1/manifest.json"].map((Key) => ({ Key, LastModified: minutesAgo(20) })),
  });
  const p = mockClient(c.primaryS3);
  if (setup.rule === false) p.on(GetBucketReplicationCommand).rejects(awsError("ReplicationConfigurationNotFoundError", 404));
  else
    p.on(GetBucketReplicationCommand, { Bucket: SOURCE }).resolves({
      ReplicationConfiguration: {
        Role: "arn:aws:iam::123456789012:role/acme-dr-replication-us-east-1",
        Rules: [
          {
            ID: "DR Replication",
            Status: "Enabled",
            Destination: {
              Bucket: `arn:aws:s3:::${REPLICA}`,
              ...(setup.rtc === false ? {} : { ReplicationTime: { Status: "Enabled", Time: { Minutes: 15 } } }),
            },
          },
          ...(setup.vault ? [vaultRule("assets")] : []),
        ],
      },
    });
  const states = setup.sourceStates ?? ["COMPLETED", "COMPLETED"];
  const keys = states.map((_, i) => `img/${String.fromCharCode(97 + i)}.png`);
  p.on(ListObjectsV2Command, { Bucket: SOURCE }).resolves({ Contents: keys.map((Key, i) => ({ Key, LastModified: minutesAgo(40 - 10 * i) })) });
  keys.forEach((Key, i) => p.on(HeadObjectCommand, { Bucket: SOURCE, Key }).resolves({ ReplicationStatus: states[i] as any }));
  const k = mockClient(c.kms);
  if (setup.keyState === "missing") k.on(DescribeKeyCommand).rejects(awsError("NotFoundException", 400));
  else {
    k.on(DescribeKeyCommand, { KeyId: "alias/acme-sops-us-east-1" }).resolves({
      KeyMetadata: {
        KeyId: "mrk-1234abcd12ab34cd56ef1234567890ab",
        Arn: REPLICA_KEY,
        KeyState: setup.keyState ?? "Enabled",
        MultiRegion: true,
        MultiRegionConfiguration: { MultiRegionKeyType: "REPLICA", PrimaryKey: { Arn: PRIMARY_KEY, Region: "us-east-1" } },
      },
    });
  }
  return c;
}

async function rows(setup: Setup = {}, target?: StatusTarget): Promise<Record<string, StatusRow>> {
  const result = await runStatus(recovery, primary, clients(setup), { now: NOW, target });
  return Object.fromEntries(result.rows.map((r) => [r.id, r]));
}

const EMULATED: StatusTarget = {
  description: "local AWS emulator",
  shortName: "the emulator",
  gaps: [
    { id: "rds-backup-replication", resourceTypes: ["aws_db_instance_automated_backups_replication"], reason: "no RDS backup replication" },
    { id: "s3-object-replication", resourceTypes: ["aws_s3_bucket_replication_configuration (its object copies)"], reason: "copies no object" },
    { id: "kms-replica-key", resourceTypes: ["aws_kms_replica_key", "aws_kms_alias (of the replica)"], reason: "no replica key" },
  ],
};

describe("runStatus", () => {
  it("meets every target when every copy is fresh, with what it read", async () => {
    const r = await rows();
    expect(Object.values(r).map((row) => [row.id, row.state, row.target, row.verdict])).toEqual([
      ["database-backups", "2026-11-21T11:57:00Z (3 min ago)", "5 min", "met"],
      ["database-archives", "2026-11-21T11:30:00Z (30 min ago)", "65 min", "met"],
      ["restore-tests", "2026-11-20T03:30:00Z (1 d 8 h ago)", "8 days", "met"],
      ["assets", "current (2 sampled replicated)", "15 min", "met"],
      ["broker-definitions", "2026-11-21T11:00:00Z (1 h 0 min ago)", "65 min", "met"],
      ["sops-key", "enabled", "enabled replica", "met"],
    ]);
    expect(r["database-backups"].detail).toBe(
      "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new (status replicating): latest restorable time 2026-11-21T11:57:00Z",
    );
    expect(r["database-archives"].detail).toBe(
      `s3://${HOSTING}/postgres/app/20261121T113000Z/manifest.json\ndatabase app, PostgreSQL 16.4, 4096 bytes, sha256 abababababab..., 1 tables, snapshot 2026-11-21T11:30:00Z`,
    );
    expect(r.assets.detail).toBe(
      `rule "DR Replication" enabled into arn:aws:s3:::${REPLICA}, Replication Time Control on (15 min)\nnewest 2 of 2 source objects: 2 COMPLETED\nsource 2 keys, replica 2 keys`,
    );
    expect(r["broker-definitions"].detail).toBe(
      `s3://${HOSTING}/rabbitmq/20261121T110000Z/definitions.json (2048 bytes); queues, exchanges, bindings and policies created after it are not in it`,
    );
    expect(r["restore-tests"].detail).toBe(
      `s3://${HOSTING}/postgres/app/20261120T030000Z/${RESTORE_TEST_FILE}: postgres/app/20261120T030000Z/archive.dump restored and checked in 42.5 s`,
    );
    expect(Object.values(r).map((row) => row.fix)).toEqual(["", "", "", "", "", ""]);
  });

  it("uses the primary's recoveryObjectives", async () => {
    const strict = environment(primaryInput({ recoveryObjectives: { databaseArchivesMinutes: 20, brokerDefinitionsMinutes: 120 } })) as PrimaryEnvironment;
    const result = await runStatus(recovery, strict, clients(), { now: NOW });
    expect(result.rows.map((r) => [r.id, r.target, r.verdict])).toEqual([
      ["database-backups", "5 min", "met"],
      ["database-archives", "20 min", "missed"],
      ["restore-tests", "8 days", "met"],
      ["assets", "15 min", "met"],
      ["broker-definitions", "2 h", "met"],
      ["sops-key", "enabled replica", "met"],
    ]);
  });

  it("misses a stale archive and stale definitions, with the job to look at", async () => {
    const r = await rows({ archiveAt: minutesAgo(70), definitionsStamp: "20261121T083000Z" });
    expect([r["database-archives"].verdict, r["database-archives"].state]).toEqual(["missed", "2026-11-21T10:50:00Z (1 h 10 min ago)"]);
    expect([r["broker-definitions"].verdict, r["broker-definitions"].state]).toEqual(["missed", "2026-11-21T08:30:00Z (3 h 30 min ago)"]);
    expect(r["broker-definitions"].fix).toBe(
      "aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1 && kubectl -n dr-backups get cronjobs,jobs   # is the broker definitions job scheduled and succeeding?\n" +
        "kubectl -n dr-backups logs job/<the newest failed job>   # then fix what it names and run the CronJob once: kubectl create job --from=cronjob/<name> <name>-manual",
    );
  });

  it("misses stores with no copy at all", async () => {
    const r = await rows({ backupTime: null, archiveAt: null, definitionsStamp: null, keyState: "missing" });
    expect(Object.values(r).map((row) => [row.id, row.state, row.verdict])).toEqual([
      ["database-backups", "none", "missed"],
      ["database-archives", "none", "missed"],
      ["restore-tests", "none", "missed"],
      ["assets", "current (2 sampled replicated)", "met"],
      ["broker-definitions", "none", "missed"],
      ["sops-key", "missing", "missed"],
    ]);
    expect(r["database-backups"].fix).toBe(
      "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # its aws_db_instance_automated_backups_replication copies acme-us-east-1's backups into us-east-2",
    );
    expect(r["database-archives"].detail).toBe(`no archive with a manifest.json under s3://${HOSTING}/postgres/app/`);
    expect(r["sops-key"].detail).toBe("no KMS key with alias alias/acme-sops-us-east-1 in us-east-2");
  });

  it("says unknown, with the target's reason, for what the deployment target cannot serve", async () => {
    const r = await rows({ backupTime: null, sourceStates: [undefined, undefined], replicaKeys: [], keyState: "missing" }, EMULATED);
    expect(Object.values(r).map((row) => [row.id, row.state, row.verdict, row.gap])).toEqual([
      ["database-backups", "unknown (not served by the emulator)", "unknown", "rds-backup-replication"],
      ["database-archives", "2026-11-21T11:30:00Z (30 min ago)", "met", undefined],
      ["restore-tests", "2026-11-20T03:30:00Z (1 d 8 h ago)", "met", undefined],
      ["assets", "unknown (not served by the emulator)", "unknown", "s3-object-replication"],
      ["broker-definitions", "2026-11-21T11:00:00Z (1 h 0 min ago)", "met", undefined],
      ["sops-key", "unknown (not served by the emulator)", "unknown", "kms-replica-key"],
    ]);
    expect(r["database-backups"].detail).toBe("no automated backups of acme-us-east-1 in us-east-2; no RDS backup replication");
    expect(r.assets.detail).toBe(
      `rule "DR Replication" enabled into arn:aws:s3:::${REPLICA}, Replication Time Control on (15 min)\nnewest 2 of 2 source objects: 2 without a status\nsource 2 keys, replica 0 keys; not in the replica: img/a.png, img/b.png; copies no object`,
    );
  });

  // Fails when gaps explain everything: the same answers from a real account are failures.
  it("misses the same answers from a real account", async () => {
    const r = await rows({ backupTime: null, sourceStates: [undefined, undefined], replicaKeys: [], keyState: "missing" });
    expect([r["database-backups"].verdict, r.assets.verdict, r["sops-key"].verdict]).toEqual(["missed", "missed", "missed"]);
    expect(r.assets.state).toBe("2 of 2 sampled never replicated (oldest 2026-11-21T11:20:00Z)");
    expect(r.assets.fix).toBe(
      "npx dr-platform replicate-existing us-east-1   # S3 Batch Replication copies objects written before the rule and those whose replication failed",
    );
  });

  it("measures pending assets by the oldest pending object, and says to turn RTC on when it is off", async () => {
    // Objects were written 40, 30 and 20 minutes ago; the two newest are pending.
    const lenient = environment(primaryInput({ recoveryObjectives: { assetsMinutes: 30 } })) as PrimaryEnvironment;
    const pending = { sourceStates: ["COMPLETED", "PENDING", "PENDING"], replicaKeys: ["img/a.png"] };
    const fresh = (await runStatus(recovery, lenient, clients(pending), { now: NOW })).rows.find((r) => r.id === "assets")!;
    expect([fresh.verdict, fresh.state, fresh.fix]).toEqual(["met", "2026-11-21T11:30:00Z (30 min ago), oldest of 2 pending", ""]);
    expect(fresh.detail.split("\n")[1]).toBe("newest 3 of 3 source objects: 1 COMPLETED, 2 PENDING");
    const late = (await rows(pending)).assets;
    expect([late.verdict, late.state]).toEqual(["missed", "2026-11-21T11:30:00Z (30 min ago), oldest of 2 pending"]);
    expect(late.fix).toMatch(/^check the rule's metrics: aws cloudwatch get-metric-statistics --namespace AWS\/S3 --metric-name OperationsPendingReplication /);
    const result = await runStatus(recovery, primary, clients({ sourceStates: ["PENDING", "COMPLETED"], rtc: false }), { now: NOW });
    const assets = result.rows.find((r) => r.id === "assets")!;
    expect([assets.verdict, assets.state]).toEqual(["missed", "2026-11-21T11:20:00Z (40 min ago), oldest of 1 pending"]);
    expect(assets.detail.split("\n")[0]).toBe(
      `rule "DR Replication" enabled into arn:aws:s3:::${REPLICA}, Replication Time Control off (no replication time promised)`,
    );
    expect(assets.fix).toMatch(
      /^turn Replication Time Control on \(assets\.replicationTimeControl in environments\/us-east-1\.ts, then npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies\); check the rule's metrics: /,
    );
  });

  it("misses failed replications and keys the replica lacks", async () => {
    expect((await rows({ sourceStates: ["COMPLETED", "FAILED"] })).assets.state).toBe("1 of 2 sampled never replicated (oldest 2026-11-21T11:30:00Z)");
    const lacking = await rows({ replicaKeys: ["img/a.png"] });
    expect([lacking.assets.verdict, lacking.assets.state]).toEqual(["missed", "1 keys missing in the replica"]);
    expect(lacking.assets.detail.split("\n")[2]).toBe("source 2 keys, replica 1 keys; not in the replica: img/b.png");
  });

  it("misses assets without the DR rule, with the deploy that creates it", async () => {
    const result = await runStatus(recovery, primary, clients({ rule: false }), { now: NOW });
    const assets = result.rows.find((r) => r.id === "assets")!;
    expect(assets).toMatchObject({ state: "not replicating", verdict: "missed", detail: `no rule "DR Replication" on ${SOURCE}` });
    expect(assets.fix).toBe(
      `npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # the rule "DR Replication" on ${SOURCE} replicates into ${REPLICA}`,
    );
  });

  it("reports assets unknown when the primary's region is dark, with what the replica holds", async () => {
    const c = clients();
    mockClient(c.primaryS3)
      .on(GetBucketReplicationCommand)
      .rejects(awsError("TimeoutError", undefined, "connect ETIMEDOUT"));
    const result = await runStatus(recovery, primary, c, { now: NOW });
    const assets = result.rows.find((r) => r.id === "assets")!;
    expect(assets.state).toBe("unknown (us-east-1 did not answer)");
    expect(assets.detail).toBe(
      `S3 GetBucketReplication and ListObjectsV2 of ${SOURCE} in us-east-1 got no answer: TimeoutError: connect ETIMEDOUT\nthe replica ${REPLICA} holds 2 objects, the newest replicated 2026-11-21T11:40:00Z: a recovery has those`,
    );
    expect(statusExitCode(result)).toBe(1);
  });

  it("reports a refused call as unknown with the permission to add", async () => {
    const c = clients();
    mockClient(c.rds)
      .on(DescribeDBInstanceAutomatedBackupsCommand)
      .rejects(awsError("AccessDenied", 403, "not authorized"));
    const row = (await runStatus(recovery, primary, c, { now: NOW })).rows[0];
    expect(row).toMatchObject({
      state: "unknown (refused)",
      verdict: "unknown",
      detail: "RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1 in us-east-2 failed: AccessDenied (HTTP 403): not authorized",
      fix: "allow the caller RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1 in us-east-2 (read-only) and run again",
    });
  });

  it("misses a disabled replica key with the command that enables it", async () => {
    const row = (await rows({ keyState: "Disabled" }))["sops-key"];
    expect(row).toMatchObject({
      state: "not usable",
      verdict: "missed",
      detail: `${REPLICA_KEY} is disabled`,
      fix: `aws kms enable-key --region us-east-2 --key-id ${REPLICA_KEY}`,
    });
  });

  it("adds rows from extraChecks after its own", async () => {
    const result = await runStatus(recovery, primary, clients(), {
      now: NOW,
      extraChecks: [async (ctx) => ({ id: "site", store: "site", state: ctx.recovery.dns.domain, target: "answers", verdict: "met", detail: "", fix: "" })],
    });
    expect(result.rows.map((r) => r.id)).toEqual([
      "database-backups",
      "database-archives",
      "restore-tests",
      "assets",
      "broker-definitions",
      "sops-key",
      "site",
    ]);
    expect(result.rows[6].state).toBe("example.com");
  });

  it("refuses clients bound to the wrong regions", async () => {
    const c = { ...clients(), primaryS3: new S3Client({ region: "us-east-2", credentials }), kms: new KMSClient({ region: "eu-west-1", credentials }) };
    await expect(runStatus(recovery, primary, c, { now: NOW })).rejects.toThrow(
      "runStatus: clients.kms must be bound to us-east-2 (got eu-west-1); clients.primaryS3 must be bound to us-east-1 (got us-east-2)",
    );
  });
});

describe("runStatus of a primary with a vault", () => {
  it("adds the vault's rows after the built-in ones, each read in the workload account", async () => {
    const result = await runStatus(recovery, vaultPrimary, clients({ vault: {} }), { now: NOW });
    expect(result.rows.slice(6).map((r) => [r.id, r.store, r.state, r.target, r.verdict])).toEqual([
      ["vault-replication", "vault replication", "3 rules enabled into the vault", `rule "Vault" into ${VAULT_ACCOUNT}`, "met"],
      ["vault-archive-copy", "vault copy of the newest archive", "2026-11-21T11:30:00Z (30 min ago), copied", "65 min", "met"],
      ["vault-snapshot-copies", "vault copy of the database snapshots", "2026-11-21T03:00:00Z (9 h 0 min ago)", "26 h", "met"],
    ]);
    expect(result.rows[6].detail).toBe(
      [
        `state: rule "Vault" on acme-terraform-state (us-west-2) enabled into arn:aws:s3:::acme-vault-state-us-east-1-${VAULT_ACCOUNT} (account ${VAULT_ACCOUNT})`,
        `archives: rule "Vault" on ${HOSTING} (us-east-2) enabled into arn:aws:s3:::acme-vault-archives-us-east-1-${VAULT_ACCOUNT} (account ${VAULT_ACCOUNT})`,
        `assets: rule "Vault" on ${SOURCE} (us-east-1) enabled into arn:aws:s3:::acme-vault-assets-us-east-1-${VAULT_ACCOUNT} (account ${VAULT_ACCOUNT})`,
      ].join("\n"),
    );
    expect(statusExitCode(result)).toBe(0);
  });

  it("misses a failed archive copy and a stale snapshot copy", async () => {
    const result = await runStatus(recovery, vaultPrimary, clients({ vault: { archiveStatus: "FAILED", copyJobStartedMinutesAgo: 30 * 60 } }), { now: NOW });
    expect(result.rows.slice(7).map((r) => [r.id, r.state, r.verdict])).toEqual([
      ["vault-archive-copy", "copy FAILED", "missed"],
      ["vault-snapshot-copies", "2026-11-20T06:00:00Z (1 d 6 h ago)", "missed"],
    ]);
    expect(statusExitCode(result)).toBe(1);
  });

  it("calls nothing in a region declared lost: those rows are unknown", async () => {
    const c = clients({ vault: {} });
    // Fresh stubs of the primary's region record any call (and answer none).
    const backup = mockClient(c.backup!);
    const primaryS3 = mockClient(c.primaryS3);
    const result = await runStatus(recovery, vaultPrimary, c, { now: NOW, outage: true });
    const rows = Object.fromEntries(result.rows.map((r) => [r.id, r]));
    expect(rows["vault-replication"].verdict).toBe("unknown");
    expect(rows["vault-replication"].detail.split("\n")[2]).toBe(
      `assets: S3 GetBucketReplication of ${SOURCE} in us-east-1 got no answer: not called: us-east-1 is declared lost`,
    );
    expect(rows["vault-snapshot-copies"].state).toBe("unknown (us-east-1 did not answer)");
    expect(rows["vault-archive-copy"].verdict).toBe("met");
    expect(backup.commandCalls(ListCopyJobsCommand)).toHaveLength(0);
    expect(primaryS3.calls()).toHaveLength(0);
  });

  it("refuses a vaulted primary's status without the state bucket's S3 client and AWS Backup's", async () => {
    await expect(runStatus(recovery, vaultPrimary, clients(), { now: NOW })).rejects.toThrow(
      "runStatus: clients.stateS3 is required for a primary with a vault (its state bucket's vault rule); clients.backup is required for a primary with a vault (its snapshots' copy jobs)",
    );
  });

  it("gives a primary without a vault no vault rows, and asks nothing of the vault's copies", async () => {
    const c = clients();
    const s3 = mockClient(c.s3);
    const result = await runStatus(recovery, primary, c, { now: NOW });
    expect(result.rows.filter((r) => r.id.startsWith("vault"))).toEqual([]);
    expect(s3.commandCalls(GetBucketReplicationCommand)).toHaveLength(0);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });
});

describe("statusExitCode and formatStatus", () => {
  const row = (id: string, verdict: StatusRow["verdict"], gap?: string): StatusRow => ({
    id,
    store: id,
    state: "s",
    target: "5 min",
    verdict,
    detail: "d",
    fix: "f",
    gap,
  });
  const result = (...rows: StatusRow[]): StatusResult => ({ recoveryRegion: "us-east-2", primaryRegion: "us-east-1", checkedAt: NOW, rows });

  it("exits 1 on a missed target or a row nothing explains, 0 otherwise", () => {
    expect(statusExitCode(result(row("a", "met"), row("b", "met")))).toBe(0);
    expect(statusExitCode(result(row("a", "met"), row("b", "unknown", "rds-backup-replication")))).toBe(0);
    expect(statusExitCode(result(row("a", "met"), row("b", "missed")))).toBe(1);
    expect(statusExitCode(result(row("a", "met"), row("b", "unknown")))).toBe(1);
  });

  it("prints the table, then each row's detail and the fix of every row not met", () => {
    const text = formatStatus(
      result(
        { ...row("database-archives", "met"), store: "database archives", state: "2026-11-21T11:30:00Z (30 min ago)", target: "65 min", fix: "" },
        { ...row("broker-definitions", "missed"), store: "broker definitions", state: "none", detail: "no export\nat all", fix: "run the job\nthen look" },
      ),
    );
    expect(text).toBe(
      [
        "Recovery points of us-east-1's data in us-east-2 at 2026-11-21T12:00:00Z: 1 met, 1 missed, 0 unknown",
        "",
        "STORE               RECOVERY POINT / STATE             TARGET  VERDICT",
        "database archives   2026-11-21T11:30:00Z (30 min ago)  65 min  met",
        "broker definitions  none                               5 min   MISSED",
        "",
        "database archives [database-archives]: met",
        "  d",
        "broker definitions [broker-definitions]: MISSED",
        "  no export",
        "  at all",
        "  fix: run the job",
        "       then look",
        "",
      ].join("\n"),
    );
  });
});
