import { CreateDBInstanceCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import {
  CreateBucketCommand,
  GetBucketReplicationCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import type { PrimaryEnvironment } from "../../lib/environment";
import { copyAssetsBack, formatAssetCopy } from "../../lib/operations/failback-copy-assets";
import { fenceExitCode, formatFence, runFence, type FenceClients } from "../../lib/operations/fence";
import { kubectlAccess } from "../../lib/operations/kubectl";
import { fenceRecordKey, globalNames, regionalNames } from "../../lib/naming";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";
import { awsClients, EMULATOR_CREDENTIALS } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { environment, primaryInput } from "../support/environments";

/**
 * `fence` and `failback-copy-assets` against the emulator: a returning primary's assets bucket with
 * its replication rule, its database and the state bucket are made with the SDK; the dry run
 * changes nothing, the fence acts once and a second run finds everything already done. There is no
 * cluster: the real kubectl path (aws eks update-kubeconfig) reports it not reachable.
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 5620 });
const primary = environment(primaryInput({ accountId: EMULATOR_ACCOUNT_ID })) as PrimaryEnvironment;
const names = globalNames("acme", "us-east-1");
const DB = regionalNames("acme", "us-east-1").database;
const RECORD = fenceRecordKey("us-east-1");
const RULE = {
  ID: "DR Replication",
  Priority: 0,
  Status: "Enabled" as const,
  // As DrAssetsBucket configures it: every object.
  Filter: {},
  DeleteMarkerReplication: { Status: "Disabled" as const },
  Destination: { Bucket: `arn:aws:s3:::${names.drAssetsBucket}`, StorageClass: "STANDARD" as const },
};

const aws = (region: string) => awsClients(emulator.current(), region);

function clients(): FenceClients {
  const e = emulator.current();
  return {
    s3: aws("us-east-1").s3,
    rds: aws("us-east-1").rds,
    stateS3: aws("us-west-2").s3,
    // The real path: aws eks update-kubeconfig, against an emulator that has no such cluster.
    cluster: kubectlAccess(primary, {
      timeoutSeconds: 5,
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: e.endpoint,
        AWS_CA_BUNDLE: e.caFile,
        AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
    }),
  };
}

async function bucket(name: string, region: string, versioned = true): Promise<void> {
  const s3 = aws(region).s3;
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
}

const ruleNow = async () => (await aws("us-east-1").s3.send(new GetBucketReplicationCommand({ Bucket: names.assetsBucket }))).ReplicationConfiguration!;
const dbStatus = async () => (await aws("us-east-1").rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: DB }))).DBInstances![0].DBInstanceStatus;
const recordVersions = async () => (await aws("us-west-2").s3.send(new ListObjectVersionsCommand({ Bucket: primary.state.bucket }))).Versions ?? [];

beforeAll(async () => {
  await bucket(names.assetsBucket, "us-east-1");
  await bucket(names.drAssetsBucket, "us-east-2");
  await bucket(primary.state.bucket, "us-west-2");
  await aws("us-east-1").s3.send(
    new PutBucketReplicationCommand({
      Bucket: names.assetsBucket,
      ReplicationConfiguration: { Role: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/${names.replicationRole}`, Rules: [RULE] },
    }),
  );
  await aws("us-east-1").rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: DB,
      Engine: "postgres",
      EngineVersion: "16.4",
      DBInstanceClass: "db.t4g.medium",
      AllocatedStorage: 20,
      MasterUsername: "dbadmin",
      MasterUserPassword: "not-a-secret-emulator-only",
    }),
  );
});

describe("fence against the emulator", () => {
  it("dry run: prints every action it would take and changes nothing", async () => {
    const result = await runFence(primary, clients());
    expect(result.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "cronjobs: not reachable",
      "replication: would do",
      "database: would do",
      "record: would do",
    ]);
    expect(result.actions.find((a) => a.id === "replication")!.detail).toBe(
      `S3 PutBucketReplication on ${names.assetsBucket}: rule "DR Replication" Enabled -> Disabled`,
    );
    expect(result.actions.find((a) => a.id === "flux")!.detail).toMatch(/^cluster acme-us-east-1: .+/);
    expect(formatFence(result)).toContain("Fence of us-east-1 (dry run: nothing is changed; --apply acts)");
    // Nothing changed, asked of the emulator directly.
    expect((await ruleNow()).Rules!.map((r) => r.Status)).toEqual(["Enabled"]);
    expect(await dbStatus()).toBe("available");
    expect(await recordVersions()).toEqual([]);
  });

  it("--apply: disables the rule (keeping it), stops the database, records it; the cluster is reported, not hidden", async () => {
    const result = await runFence(primary, clients(), { apply: true, now: new Date("2026-11-21T12:00:00Z") });
    expect(result.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "cronjobs: not reachable",
      "replication: done",
      "database: done",
      "record: done",
    ]);
    expect(fenceExitCode(result)).toBe(3);
    const config = await ruleNow();
    expect(config.Rules).toHaveLength(1);
    expect(config.Rules![0]).toMatchObject({ ID: "DR Replication", Status: "Disabled", Destination: { Bucket: `arn:aws:s3:::${names.drAssetsBucket}` } });
    expect(config.Role).toBe(`arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/${names.replicationRole}`);
    expect(await dbStatus()).toBe("stopped");
    const record = JSON.parse(
      await (await aws("us-west-2").s3.send(new GetObjectCommand({ Bucket: primary.state.bucket, Key: RECORD }))).Body!.transformToString(),
    );
    expect(record).toMatchObject({ format: "dr-platform/fence/1", region: "us-east-1", fencedAt: "2026-11-21T12:00:00.000Z", scaledWorkloads: [] });
    expect(record.actions.map((a: { id: string; status: string }) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "cronjobs: not reachable",
      "replication: done",
      "database: done",
    ]);
  });

  it("a second run changes nothing: every reachable action is already done, the record is not rewritten", async () => {
    const before = await recordVersions();
    const result = await runFence(primary, clients(), { apply: true, now: new Date("2026-11-21T13:00:00Z") });
    expect(result.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "cronjobs: not reachable",
      "replication: already done",
      "database: already done",
      "record: already done",
    ]);
    expect(await recordVersions()).toEqual(before);
    expect(before).toHaveLength(1);
    expect((await ruleNow()).Rules!.map((r) => r.Status)).toEqual(["Disabled"]);
    expect(await dbStatus()).toBe("stopped");
  });
});

describe("failback-copy-assets against the emulator", () => {
  const put = (region: string, Bucket: string, Key: string, Body: string) => aws(region).s3.send(new PutObjectCommand({ Bucket, Key, Body }));
  const get = async (Bucket: string, Key: string) => (await aws("us-east-1").s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();
  const copyClients = () => ({ source: aws("us-east-2").s3, target: aws("us-east-1").s3 });

  beforeAll(async () => {
    // Replicated before the outage: in both.
    await put("us-east-1", names.assetsBucket, "images/logo.png", "logo");
    await put("us-east-2", names.drAssetsBucket, "images/logo.png", "logo");
    // A batch replication report: the replica's own, never copied.
    await put("us-east-2", names.drAssetsBucket, "replication-reports/job-1/report.csv", "report");
    // Written in the recovery during the outage, one of them with a key that needs encoding.
    await put("us-east-2", names.drAssetsBucket, "uploads/outage 1+2.png", "outage-1");
    await put("us-east-2", names.drAssetsBucket, "uploads/outage-2.png", "outage-2");
  });

  it("dry run: lists what it would copy, copies nothing and is incomplete (exit 1)", async () => {
    const result = await copyAssetsBack(primary, copyClients());
    expect(result.items.map((i) => `${i.key}: ${i.action}`)).toEqual([
      "images/logo.png: present",
      "uploads/outage 1+2.png: copy",
      "uploads/outage-2.png: copy",
    ]);
    expect(result).toMatchObject({ copied: 0, complete: false, missing: ["uploads/outage 1+2.png", "uploads/outage-2.png"] });
    await expect(get(names.assetsBucket, "uploads/outage-2.png")).rejects.toThrow();
  });

  it("--apply copies every object written during the outage and the listing comparison says complete", async () => {
    const result = await copyAssetsBack(primary, copyClients(), { apply: true });
    expect(result).toMatchObject({ copied: 2, complete: true, missing: [] });
    expect(await get(names.assetsBucket, "uploads/outage 1+2.png")).toBe("outage-1");
    expect(await get(names.assetsBucket, "uploads/outage-2.png")).toBe("outage-2");
    expect(formatAssetCopy(result)).toContain(`COMPLETE: every object of ${names.drAssetsBucket} is in ${names.assetsBucket} (key, size, ETag)`);
    const again = await copyAssetsBack(primary, copyClients(), { apply: true });
    expect(again).toMatchObject({ copied: 0, complete: true });
    expect(again.items.every((i) => i.action === "present")).toBe(true);
  });

  it("a newer, different version in the primary is a conflict: kept, listed, and the copy is incomplete", async () => {
    await put("us-east-2", names.drAssetsBucket, "docs/terms.txt", "recovery's");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await put("us-east-1", names.assetsBucket, "docs/terms.txt", "newer in the primary");
    const result = await copyAssetsBack(primary, copyClients(), { apply: true });
    expect(result.items.find((i) => i.key === "docs/terms.txt")).toMatchObject({ action: "conflict" });
    expect(result).toMatchObject({ copied: 0, complete: false, missing: ["docs/terms.txt"] });
    expect(await get(names.assetsBucket, "docs/terms.txt")).toBe("newer in the primary");
  });

  it("--since limits the source to what was written from the outage's start", async () => {
    const result = await copyAssetsBack(primary, copyClients(), { since: new Date(Date.now() + 60_000) });
    expect(result.items).toEqual([]);
    expect(result.complete).toBe(true);
  });
});
