import * as fs from "fs";
import * as path from "path";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { GetPolicyCommand, GetPolicyVersionCommand } from "@aws-sdk/client-iam";
import { DescribeBrokerCommand, ListBrokersCommand } from "@aws-sdk/client-mq";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { GetHostedZoneCommand, ListHostedZonesByNameCommand } from "@aws-sdk/client-route-53";
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";
import type { Emulator } from "../../lib/tooling/emulator";
import { deployStack, runCdktf, sandboxSession, SANDBOX_LAYERS, type SandboxSession } from "../../lib/tooling/sandbox-session";
import { awsClients, outcome } from "../support/aws";
import { REPO } from "../support/run";
import { useEmulator } from "../support/emulator";
import { wipeRegion } from "../support/wipe-region";

/**
 * The DR drill (the seed's DiRT exercise) against the local emulator, with the real toolchain:
 * deploy the primary us-east-1 with `cdktf deploy`, write data, verify what was built through the
 * AWS SDK, try to destroy it, lose the region, bring up us-east-2 from its environment file
 * alone, verify again. Wall time per phase is the sandbox RTO figure (printed at the end).
 */
jest.setTimeout(20 * 60_000);

const PRIMARY = "us-east-1";
const RECOVERY = "us-east-2";
const ASSETS = "acme-assets-us-east-1";
const REPLICA = "acme-dr-assets-us-east-1";
const ARCHIVES = "acme-hosting-services-us-east-1";
const ARCHIVE_KEY = "postgres/2026-11-21T03-00-00Z.dump";
const ARCHIVE_BODY = "pg_dump archive of acme (drill)";

const emulatorOf = useEmulator({ firstPort: 5100 });
let emulator: Emulator;
let session: SandboxSession;
const timings: [string, number][] = [];

async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings.push([phase, (Date.now() - started) / 1000]);
  }
}

async function deployRegion(region: string) {
  for (const layer of SANDBOX_LAYERS) {
    const result = await deployStack(session, `${layer}-${region}`);
    if (!result.ok) {
      const lines = result.output.split("\n");
      const errors = lines.flatMap((line, i) => (/Error/.test(line) ? lines.slice(i, i + 6) : []));
      throw new Error(`cdktf deploy ${layer}-${region} failed:\n${errors.join("\n")}\n...\n${lines.slice(-15).join("\n")}`);
    }
    expect(result.resources).toBeGreaterThan(0);
  }
}

const read = async (aws: ReturnType<typeof awsClients>, bucket: string, key: string) =>
  (await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

beforeAll(() => {
  emulator = emulatorOf.current();
  session = sandboxSession(REPO, emulator, emulatorOf.dir());
});

afterAll(() => {
  const total = timings.reduce((sum, [, s]) => sum + s, 0);
  const table = [...timings, ["total", total] as [string, number]].map(([phase, s]) => `  ${phase.padEnd(44)} ${s.toFixed(1).padStart(7)} s`).join("\n");
  console.log(`DR drill wall time per phase (sandbox RTO), on this machine:\n${table}`);
});

describe("DR drill in the local emulator", () => {
  const primary = () => awsClients(emulator, PRIMARY);
  const dr = () => awsClients(emulator, RECOVERY);

  it("deploys the primary us-east-1 (networking, application, kubernetes) with cdktf deploy", async () => {
    await timed("deploy primary us-east-1", () => deployRegion(PRIMARY));
  });

  it("takes assets and a database archive", async () => {
    await timed("write assets and an archive", async () => {
      await primary().s3.send(new PutObjectCommand({ Bucket: ASSETS, Key: "images/logo.png", Body: "logo" }));
      await dr().s3.send(new PutObjectCommand({ Bucket: ARCHIVES, Key: ARCHIVE_KEY, Body: ARCHIVE_BODY }));
    });
    expect(await read(primary(), ASSETS, "images/logo.png")).toBe("logo");
  });

  it("built the DR data path: replication to the replica in drRegion, every bucket private, versioned, encrypted", async () => {
    const aws = primary();
    const rules = (await aws.s3.send(new GetBucketReplicationCommand({ Bucket: ASSETS }))).ReplicationConfiguration!.Rules!;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ ID: "DR Replication", Status: "Enabled", Destination: { Bucket: `arn:aws:s3:::${REPLICA}` } });
    expect(rules[0].DeleteMarkerReplication).toEqual({ Status: "Disabled" });
    expect((await aws.s3.send(new GetBucketLocationCommand({ Bucket: REPLICA }))).LocationConstraint).toBe(RECOVERY);
    expect((await aws.s3.send(new GetBucketLocationCommand({ Bucket: ARCHIVES }))).LocationConstraint).toBe(RECOVERY);
    for (const bucket of [ASSETS, REPLICA, ARCHIVES]) {
      const client = bucket === ASSETS ? aws : dr();
      expect((await client.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      expect((await client.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
      const sse = (await client.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration!.Rules![0];
      expect(sse.ApplyServerSideEncryptionByDefault!.SSEAlgorithm).toBe("AES256");
      const ownership = await client.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
      expect(ownership.OwnershipControls!.Rules![0].ObjectOwnership).toBe("BucketOwnerEnforced");
    }
  });

  it("built the database and the broker with their users", async () => {
    const aws = primary();
    const [db] = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "acme-us-east-1" }))).DBInstances!;
    expect(db).toMatchObject({
      Engine: "postgres",
      StorageEncrypted: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
      PubliclyAccessible: false,
      MultiAZ: true,
      MasterUsername: "dbadmin",
    });
    const summary = (await aws.mq.send(new ListBrokersCommand({}))).BrokerSummaries!.find((b) => b.BrokerName === "acme-us-east-1")!;
    const broker = await aws.mq.send(new DescribeBrokerCommand({ BrokerId: summary.BrokerId! }));
    expect(broker.EngineType!.toUpperCase()).toBe("RABBITMQ");
    expect(broker.PubliclyAccessible).toBe(false);
    expect(broker.Users!.map((u) => u.Username)).toEqual(["admin"]);
    for (const user of ["admin", "orders", "notifications"]) {
      const secret = await aws.secrets.send(new DescribeSecretCommand({ SecretId: `acme/us-east-1/rabbitmq/${user}` }));
      expect(secret.Name).toBe(`acme/us-east-1/rabbitmq/${user}`);
    }
  });

  it("built the EKS cluster and the hosted zone with its name servers", async () => {
    const aws = primary();
    const { cluster } = await aws.eks.send(new DescribeClusterCommand({ name: "acme-us-east-1" }));
    expect(cluster!.version).toBe("1.31");
    expect(cluster!.resourcesVpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
    const zones = (await aws.route53.send(new ListHostedZonesByNameCommand({ DNSName: "example.com." }))).HostedZones!;
    const zone = zones.find((z) => z.Name === "example.com.")!;
    const { DelegationSet } = await aws.route53.send(new GetHostedZoneCommand({ Id: zone.Id! }));
    expect(DelegationSet!.NameServers).toHaveLength(4);
  });

  it("refuses to destroy the application stack's stateful resources, and the data is still there", async () => {
    const result = await timed("attempted destroy (refused)", () =>
      runCdktf(session, ["destroy", `application-${PRIMARY}`, "--auto-approve", "--skip-provider-lock", "--ignore-missing-stack-dependencies"], "destroy-application"),
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/Instance cannot be destroyed/);
    expect(result.output).toMatch(/prevent_destroy/);
    expect(await read(primary(), ASSETS, "images/logo.png")).toBe("logo");
    expect(await read(dr(), ARCHIVES, ARCHIVE_KEY)).toBe(ARCHIVE_BODY);
    expect((await primary().rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "acme-us-east-1" }))).DBInstances).toHaveLength(1);
  });

  it("loses the primary region", async () => {
    await timed("lose us-east-1 (wipe the region)", () => wipeRegion(primary(), PRIMARY));
    const aws = primary();
    expect((await aws.rds.send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
    expect((await aws.mq.send(new ListBrokersCommand({}))).BrokerSummaries).toEqual([]);
    expect((await aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs!.filter((v) => !v.IsDefault)).toEqual([]);
    expect(await outcome(() => aws.s3.send(new HeadBucketCommand({ Bucket: ASSETS })))).toBe("NotFound");
  });

  it("brings up us-east-2 from its environment file alone", async () => {
    await timed("recover: deploy us-east-2", () => deployRegion(RECOVERY));
  });

  it("the recovery took over the primary's replica and archives and has its own datastores and cluster", async () => {
    const aws = dr();
    // The replica the primary filled is the recovery's assets bucket; archives survived the loss.
    expect((await aws.s3.send(new GetBucketLocationCommand({ Bucket: REPLICA }))).LocationConstraint).toBe(RECOVERY);
    expect(await read(aws, ARCHIVES, ARCHIVE_KEY)).toBe(ARCHIVE_BODY);
    const policyArn = `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:policy/acme-assets-management-us-east-2`;
    const policy = await aws.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const version = await aws.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.Policy!.DefaultVersionId! }));
    const document = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
    expect(document.Statement[0].Resource).toEqual([`arn:aws:s3:::${REPLICA}`]);

    const [db] = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "acme-us-east-2" }))).DBInstances!;
    expect(db).toMatchObject({ StorageEncrypted: true, DeletionProtection: true, PubliclyAccessible: false, MasterUsername: "dbadmin" });
    const summary = (await aws.mq.send(new ListBrokersCommand({}))).BrokerSummaries!.find((b) => b.BrokerName === "acme-us-east-2")!;
    expect((await aws.mq.send(new DescribeBrokerCommand({ BrokerId: summary.BrokerId! }))).Users!.map((u) => u.Username)).toEqual(["admin"]);
    for (const user of ["admin", "orders", "notifications"]) {
      expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: `acme/us-east-2/rabbitmq/${user}` }))).Name).toBe(`acme/us-east-2/rabbitmq/${user}`);
    }
    expect((await aws.eks.send(new DescribeClusterCommand({ name: "acme-us-east-2" }))).cluster!.status).toBe("ACTIVE");
    const zones = (await aws.route53.send(new ListHostedZonesByNameCommand({ DNSName: "dr.example.com." }))).HostedZones!;
    const zone = zones.find((z) => z.Name === "dr.example.com.")!;
    expect((await aws.route53.send(new GetHostedZoneCommand({ Id: zone.Id! }))).DelegationSet!.NameServers).toHaveLength(4);
    expect(fs.existsSync(path.join(session.stateDir, `application-${RECOVERY}.tfstate`))).toBe(true);
  });
});
