import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as https from "https";
import * as path from "path";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { DescribeBrokerCommand, ListBrokersCommand } from "@aws-sdk/client-mq";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckCommand, GetHostedZoneCommand, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { DescribeSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { verifyArchive } from "../../lib/operations/verify-backup";
import { globalNames, parseStackId, recoveryJournalKey, recoveryReportPrefix, regionalNames, roleArn, stackId } from "../../lib/naming";
import { loadEnvironments, type PrimaryEnvironment, type RecoveryEnvironment } from "../../lib/environment";
import type { StatusRow } from "../../lib/operations/checks/status/row";
import { formatStatus, runStatus, statusClients, statusExitCode, type StatusResult } from "../../lib/operations/status";
import { copyAssetsBack } from "../../lib/operations/failback-copy-assets";
import { runFence, type FenceClients } from "../../lib/operations/fence";
import { kubectlAccess } from "../../lib/operations/kubectl";
import { EMULATOR_ACCOUNT_ID, EmulatorTarget } from "../../lib/targets/emulator-target";
import { startFaultProxy, type FaultProxy } from "../../lib/tooling/fault-proxy";
import { readStackState, stateStacksOf } from "../../lib/tooling/sandbox-state";
import type { Journal } from "../../lib/recovery/journal";
import type { RecoveryReport } from "../../lib/recovery/report";
import { isPeacetimeLayer } from "../../lib/operations/day-stacks";
import {
  deployInParallel,
  parallelSummary,
  sandboxProcessEnv,
  runCdktf,
  sandboxSession,
  sandboxStacks,
  synthesizeSandbox,
  type ParallelDeployResult,
  type SandboxApp,
  type SandboxSession,
} from "../../lib/tooling/sandbox-session";
import { awsClients, EMULATOR_CREDENTIALS, outcome } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * The DR drill as hard as the real day, with the real toolchain (cdktf, Terraform, the AWS
 * provider) against the local emulator behind a fault layer:
 * - peacetime: the pair's dns stack, the primary us-east-1, the standby layer of us-east-2 and its
 *   pilot light (networking-us-east-2: load balancer, SECONDARY record, health check) are deployed; data is
 *   written, and the real archive script archives a real PostgreSQL standing in for the
 *   primary's database;
 * - the outage: us-east-1 goes dark (the fault layer refuses every call signed for one of its
 *   regional services, as a dead endpoint would; nothing is deleted);
 * - the recovery: us-east-2's stacks are deployed through the fault layer, which must see zero
 *   calls to us-east-1 and zero IAM/Route 53 writes; the newest archive is restored into a fresh
 *   PostgreSQL and every row written before it is proven there by checksum.
 * The emulator's gaps (lib/targets/emulator-target.ts) are named in the README.
 */
jest.setTimeout(30 * 60_000);

const PRIMARY = "us-east-1";
const RECOVERY = "us-east-2";
const primaryNames = globalNames("acme", PRIMARY);
const recoveryNames = globalNames("acme", RECOVERY);
const ASSETS = primaryNames.assetsBucket;
const REPLICA = primaryNames.drAssetsBucket;
const ARCHIVES = primaryNames.hostingServicesBucket;
const ARCHIVE_SCRIPT = path.join(REPO, "backup/archive-database.sh");

const emulatorOf = useEmulator({ firstPort: 5100 });
let proxy: FaultProxy;
let session: SandboxSession;
let pg: PostgresServer;
const timings: [string, number][] = [];
const report: string[] = [];
let lastWriteBeforeArchive: Date;

async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings.push([phase, (Date.now() - started) / 1000]);
  }
}

/**
 * Deploys the stacks `select` picks from the session's synthesized app (manifest.json, never a
 * fixed list), independent ones side by side, each in its own cdktf run; reports the wall time
 * beside the serial sum; fails with the failed stacks' errors and where their logs are kept.
 */
async function deploy(title: string, select: (app: SandboxApp) => string[]): Promise<ParallelDeployResult> {
  const app = await synthesizeSandbox(session);
  const stacks = select(app);
  // Step zero, as in a real account: the state bucket every stack keeps its state in.
  const stateStacks = stateStacksOf(session, app.manifest, stacks).filter((id) => !fs.existsSync(path.join(session.stateDir, `${id}.tfstate`)));
  if (stateStacks.length > 0) {
    const bootstrap = await deployInParallel(session, stateStacks, { app });
    report.push(parallelSummary("step zero", bootstrap));
    if (!bootstrap.ok) throw new Error(`step zero failed:\n${bootstrap.error}`);
  }
  const result = await deployInParallel(session, stacks, { app });
  report.push(parallelSummary(title, result));
  if (!result.ok) {
    // The session's folder goes with the test; keep each failed stack's whole output where it can be read.
    const failed = result.stacks.filter((s) => s.status === "failed" && s.run);
    const errors = failed.flatMap((s) => {
      const kept = path.join(os.tmpdir(), `dr-drill-${s.stackId}.log`);
      fs.writeFileSync(kept, s.run!.output);
      const lines = s.run!.output.split("\n");
      return [
        `${s.stackId} (whole output: ${kept}):`,
        ...lines.flatMap((line, i) => (/Error|error:/i.test(line) ? lines.slice(i, i + 8) : [])).slice(0, 60),
        ...lines.slice(-15),
      ];
    });
    throw new Error(`${title} failed:\n${result.error}\n${errors.join("\n")}`);
  }
  return result;
}

/** The shipped environments as the drill deploys them: in the emulator's account. */
function drillEnvironments() {
  return loadEnvironments(path.join(REPO, "environments")).map((l) => ({ ...l.environment, accountId: EMULATOR_ACCOUNT_ID }));
}
const recoveryEnvironment = () => drillEnvironments().find((e) => e.region === RECOVERY) as RecoveryEnvironment;

/** `npx dr-platform status us-east-2` as the library runs it, through the fault layer, as the emulator target. */
async function drillStatus(): Promise<StatusResult> {
  const primaryEnv = drillEnvironments().find((e) => e.region === PRIMARY) as PrimaryEnvironment;
  const recoveryEnv = recoveryEnvironment();
  const clients = statusClients(recoveryEnv, primaryEnv, {
    endpoint: proxy.endpoint,
    credentials: EMULATOR_CREDENTIALS,
    httpsAgent: new https.Agent({ ca: fs.readFileSync(emulatorOf.current().caFile) }),
  });
  return runStatus(recoveryEnv, primaryEnv, clients, { target: new EmulatorTarget(proxy.endpoint, session.stateDir) });
}

/**
 * `npm run sandbox -- recover us-east-2 <args>` as a child process, in this drill's sandbox (its
 * emulator behind the fault layer): the command package.json's `sandbox` script names, run without
 * npm in between so that its exit status is the recovery's (npm dies of a Ctrl-C itself). With
 * `interruptAt`, Ctrl-C as a terminal sends it (SIGINT to the process group) once that progress line
 * is printed and a few seconds have passed (the stack is then being applied).
 */
function sandboxRecover(args: readonly string[], options: { readonly interruptAt?: string } = {}): Promise<{ status: number | null; stderr: string }> {
  const emulator = emulatorOf.current();
  fs.writeFileSync(
    path.join(session.dir, "emulator.json"),
    JSON.stringify({ endpoint: proxy.endpoint, pid: emulator.pid, port: new URL(proxy.endpoint).port, caFile: emulator.caFile }),
  );
  const [program, ...scriptArgs] = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts.sandbox.split(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(program === "node" ? process.execPath : program, [...scriptArgs, "recover", RECOVERY, ...args], {
      cwd: REPO,
      env: { ...process.env, DR_SANDBOX_DIR: session.dir },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stderr = "";
    let interrupted = false;
    child.stdout.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (options.interruptAt && !interrupted && stderr.includes(options.interruptAt)) {
        interrupted = true;
        setTimeout(() => process.kill(-child.pid!, "SIGINT"), 4000);
      }
    });
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stderr }));
  });
}

/** Terraform in a synthesized stack's folder of this sandbox (the emulator's state bucket behind the fault layer). */
function runInStack(stack: string, args: readonly string[]): Promise<{ status: number | null; output: string }> {
  const cwd = path.join(session.outDir, "stacks", stack);
  const env = sandboxProcessEnv(session);
  return new Promise((resolve) => {
    const init = spawnSync("terraform", ["init", "-input=false", "-no-color"], { cwd, env, encoding: "utf8" });
    if (init.status !== 0) return resolve({ status: init.status, output: `${init.stdout}${init.stderr}` });
    const result = spawnSync("terraform", [...args], { cwd, env, encoding: "utf8" });
    resolve({ status: result.status, output: `${result.stdout}${result.stderr}` });
  });
}

/** An object of the state bucket, as JSON. */
async function stateObject<T>(key: string): Promise<T> {
  return JSON.parse(await read(awsClients(emulatorOf.current(), "us-west-2"), "acme-terraform-state", key)) as T;
}

/** The newest recovery report of us-east-2 in the primary's archive bucket (in us-east-2). */
async function newestReport(): Promise<RecoveryReport> {
  const s3 = awsClients(emulatorOf.current(), RECOVERY).s3;
  const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: ARCHIVES, Prefix: recoveryReportPrefix(RECOVERY).replace(/\/$/, "") }))).Contents ?? [])
    .map((o) => o.Key!)
    .filter((k) => k.endsWith("/report.json"))
    .sort();
  expect(keys.length).toBeGreaterThan(0);
  return JSON.parse(await read(awsClients(emulatorOf.current(), RECOVERY), ARCHIVES, keys[keys.length - 1])) as RecoveryReport;
}

const rowsById = (result: StatusResult): Record<string, StatusRow> => Object.fromEntries(result.rows.map((r) => [r.id, r]));

const read = async (aws: ReturnType<typeof awsClients>, bucket: string, key: string) =>
  (await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

beforeAll(async () => {
  const emulator = emulatorOf.current();
  proxy = await startFaultProxy({ upstream: { endpoint: emulator.endpoint, caFile: emulator.caFile }, tls: emulatorOf.tls() });
  // Terraform talks to the emulator through the fault layer only.
  session = sandboxSession(REPO, { endpoint: proxy.endpoint, caFile: emulator.caFile }, emulatorOf.dir());
  pg = await startPostgres();
});

afterAll(async () => {
  await proxy?.close();
  await pg?.stop();
  const total = timings.reduce((sum, [, s]) => sum + s, 0);
  const table = [...timings, ["total", total] as [string, number]].map(([phase, s]) => `  ${phase.padEnd(52)} ${s.toFixed(1).padStart(7)} s`).join("\n");
  console.log(`DR drill on this machine (sandbox RTO):\n${table}\nDeploys:\n${report.join("\n")}`);
});

describe("DR drill: us-east-1 dark, us-east-2 recovered through the fault layer", () => {
  // Direct to the emulator: the drill's own checks are not the recovery's calls.
  const primary = () => awsClients(emulatorOf.current(), PRIMARY);
  const dr = () => awsClients(emulatorOf.current(), RECOVERY);

  it("prepares in peacetime: the pair's dns stack, the primary us-east-1, the standby layer and the pilot light of us-east-2", async () => {
    await timed("peacetime: deploy dns-us-east-1, us-east-1, standby-us-east-2, networking-us-east-2", () =>
      deploy("peacetime: dns-us-east-1, us-east-1, standby-us-east-2 and the pilot light", (app) => [
        ...sandboxStacks(app, [PRIMARY]).stacks,
        ...sandboxStacks(app, [RECOVERY]).stacks.filter((id) => isPeacetimeLayer(recoveryEnvironment(), parseStackId(id)!.layer)),
      ]),
    );
  });

  // moto stores health checks and failover records but neither runs the checks nor answers DNS:
  // this proves their configuration, not a failover.
  it("made the failover records and health checks in peacetime: PRIMARY to us-east-1's load balancer, SECONDARY to us-east-2's", async () => {
    const zones = (await dr().route53.send(new ListHostedZonesByNameCommand({ DNSName: "example.com." }))).HostedZones!;
    const zone = zones.find((z) => z.Name === "example.com.")!;
    const records = (await dr().route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id! }))).ResourceRecordSets!;
    const site = records.filter((r) => r.Name === "example.com." && r.Type === "A");
    expect(site.map((r) => [r.SetIdentifier, r.Failover, r.AliasTarget?.EvaluateTargetHealth]).sort()).toEqual([
      [PRIMARY, "PRIMARY", true],
      [RECOVERY, "SECONDARY", true],
    ]);
    for (const record of site) {
      const region = record.SetIdentifier!;
      expect(record.AliasTarget!.DNSName).toMatch(new RegExp(`^(dualstack\\.)?acme-${region}-site-.*\\.${region}\\.elb\\.amazonaws\\.com\\.?$`));
      const check = (await dr().route53.send(new GetHealthCheckCommand({ HealthCheckId: record.HealthCheckId! }))).HealthCheck!.HealthCheckConfig!;
      expect({ region, type: check.Type, port: check.Port, path: check.ResourcePath, fqdn: check.FullyQualifiedDomainName?.replace(/\.$/, "") }).toEqual({
        region,
        type: "HTTPS",
        port: 443,
        path: "/healthz",
        fqdn: record.AliasTarget!.DNSName!.replace(/\.$/, "").replace(/^dualstack\./, ""),
      });
    }
    // The certificates' validation record is in the pair's zone.
    expect(records.some((r) => r.Type === "CNAME" && r.Name!.endsWith(".example.com."))).toBe(true);
  });

  it("the standby layer made the recovery's IAM and the Git secret replica, and dns-us-east-1 the pair's zone, in peacetime", async () => {
    for (const role of [
      recoveryNames.clusterRole,
      recoveryNames.nodeRole,
      recoveryNames.fluxRole,
      recoveryNames.workloadRole,
      recoveryNames.backupJobRole,
      recoveryNames.flowLogsRole,
    ]) {
      expect((await dr().iam.send(new GetRoleCommand({ RoleName: role }))).Role!.Arn).toBe(`arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/${role}`);
    }
    const zones = (await dr().route53.send(new ListHostedZonesByNameCommand({ DNSName: "example.com." }))).HostedZones!;
    const zone = zones.find((z) => z.Name === "example.com.")!;
    const hosted = await dr().route53.send(new GetHostedZoneCommand({ Id: zone.Id! }));
    expect(hosted.DelegationSet!.NameServers).toHaveLength(4);
    expect(hosted.DelegationSet!.Id).toBeDefined();
    // The operator puts the Git credentials once, in the primary's region; the replica follows.
    await primary().secrets.send(
      new PutSecretValueCommand({ SecretId: "acme/flux/platform-k8s-git", SecretString: JSON.stringify({ username: "flux", password: "drill-only" }) }),
    );
    const secret = await dr().secrets.send(new DescribeSecretCommand({ SecretId: "acme/flux/platform-k8s-git" }));
    expect(secret.Name).toBe("acme/flux/platform-k8s-git");
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

  it("writes production data and archives it with the real archive script (a real PostgreSQL stands in for RDS)", async () => {
    await timed("write data and archive it", async () => {
      await primary().s3.send(new PutObjectCommand({ Bucket: ASSETS, Key: "images/logo.png", Body: "logo" }));
      pg.createDatabase("app");
      pg.psql(
        `CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, cents bigint NOT NULL, placed timestamptz NOT NULL);
         INSERT INTO orders SELECT i, 'customer-' || i, i * 137, '2026-11-21T00:00:00Z'::timestamptz + i * interval '1 minute' FROM generate_series(1, 5000) i;
         CREATE TABLE pages (slug text PRIMARY KEY, body text);
         INSERT INTO pages VALUES ('home', 'Welcome'), ('about', 'About "us" | drill');`,
        "app",
      );
      lastWriteBeforeArchive = new Date();
      const { PGPASSWORD, ...connection } = pg.env("app");
      const dir = tempDir("drill-archive-");
      const passwordFile = path.join(dir, "password");
      fs.writeFileSync(passwordFile, PGPASSWORD!, { mode: 0o600 });
      const emulator = emulatorOf.current();
      const result = spawnSync("sh", [ARCHIVE_SCRIPT, "all"], {
        encoding: "utf8",
        timeout: 120_000,
        env: {
          ...connection,
          PGPASSWORD_FILE: passwordFile,
          ARCHIVE_DIR: path.join(dir, "work"),
          ARCHIVE_BUCKET: ARCHIVES,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: RECOVERY,
          AWS_ENDPOINT_URL: emulator.endpoint,
          AWS_CA_BUNDLE: emulator.caFile,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    });
    expect(await read(primary(), ASSETS, "images/logo.png")).toBe("logo");
  });

  it("refuses to destroy the application stack's stateful resources, and the data is still there", async () => {
    // The state lives in the emulator's state bucket, as in a real account.
    const stateful = async () =>
      ((await readStackState(session, stackId("application", PRIMARY)))?.resources ?? [])
        .filter((r) => r.mode === "managed" && ["aws_db_instance", "aws_s3_bucket", "aws_mq_broker", "aws_kms_key"].includes(r.type))
        .map((r) => `${r.type}.${r.name}`)
        .sort();
    const before = await stateful();
    expect(before.filter((a) => a.startsWith("aws_db_instance.")).length).toBe(1);
    const result = await timed("attempted destroy (refused)", () =>
      runCdktf(
        session,
        ["destroy", stackId("application", PRIMARY), "--auto-approve", "--skip-provider-lock", "--ignore-missing-stack-dependencies"],
        "destroy-application",
      ),
    );
    expect(result.status).not.toBe(0);
    // Refused before any delete: every stateful resource is still in the state (prevent_destroy is
    // on each, tested on the synthesized JSON by DR-STATE-1; cdktf sometimes cuts Terraform's last
    // lines, the error title among them, from its output when it exits under load, so the proof
    // here is the state and the data, not the text).
    expect(await stateful()).toEqual(before);
    expect(await read(primary(), ASSETS, "images/logo.png")).toBe("logo");
    expect(
      (await primary().rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: regionalNames("acme", PRIMARY).database }))).DBInstances,
    ).toHaveLength(1);
  });

  it("status in peacetime: the archive's recovery point is met; what the emulator cannot serve is named, not faked", async () => {
    const result = await timed("status (peacetime)", () => drillStatus());
    report.push(`  status before the loss:\n${formatStatus(result).replace(/^/gm, "    ")}`);
    const row = rowsById(result);
    // The archive written above, read back from its manifest in the recovery region.
    expect(row["database-archives"]).toMatchObject({ verdict: "met" });
    expect(row["database-archives"].recoveryPoint!.getTime()).toBeGreaterThanOrEqual(lastWriteBeforeArchive.getTime() - 1000);
    // The rule is read from the primary with Replication Time Control on (the default); moto copies
    // no object and sets no ReplicationStatus, so the assets' recovery point is unknown, by its gap.
    expect(row.assets).toMatchObject({ verdict: "unknown", gap: "s3-object-replication" });
    expect(row["database-backups"]).toMatchObject({ verdict: "unknown", gap: "rds-backup-replication" });
    // No definitions export ran (there is no broker to export from): a missed target, with its fix.
    expect(row["broker-definitions"].verdict).toBe("missed");
    expect(row["broker-definitions"].fix).not.toBe("");
  });

  it("loses us-east-1: every call signed for its regional services is refused, nothing is deleted", async () => {
    proxy.setDark([PRIMARY]);
    proxy.reset();
    const through = awsClients({ endpoint: proxy.endpoint, caFile: emulatorOf.current().caFile }, PRIMARY);
    expect(await outcome(() => through.s3.send(new GetObjectCommand({ Bucket: ASSETS, Key: "images/logo.png" })))).not.toBe("ok");
    // Dark, not empty: the data is still in the emulator, as it is in a region that comes back.
    expect(await read(primary(), ASSETS, "images/logo.png")).toBe("logo");
    proxy.reset();
  });

  it("recovers us-east-2 with npm run sandbox -- recover (the on-call's executor): zero calls to us-east-1, zero IAM or Route 53 writes, a report in the archive bucket", async () => {
    const started = Date.now();
    const run = await timed("recover: npm run sandbox -- recover us-east-2 --yes", () => sandboxRecover(["--yes"]));
    report.push(`  recover (run 1):\n${run.stderr.replace(/^/gm, "    ")}`);
    expect({ status: run.status, tail: run.stderr.split("\n").slice(-12).join("\n") }).toMatchObject({ status: 0 });
    const lostRegionCalls = proxy.callsTo(PRIMARY);
    const globalWrites = proxy.globalWrites();
    report.push(
      `  recovery of ${RECOVERY}: ${lostRegionCalls.length} calls to ${PRIMARY}, ${globalWrites.length} IAM/Route 53 writes, ${proxy.calls().length} calls in all, wall ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(lostRegionCalls.map((c) => `${c.service} ${c.action}`)).toEqual([]);
    expect(globalWrites.map((c) => `${c.service} ${c.action}`)).toEqual([]);
    expect(proxy.calls().length).toBeGreaterThan(0);

    // The journal in the state bucket: every step done, or skipped by the emulator with its reason.
    const journal = await stateObject<Journal>(recoveryJournalKey(RECOVERY));
    const steps = Object.fromEntries(Object.entries(journal.steps).map(([id, s]) => [id, s.status]));
    expect(steps).toEqual({
      declare: "done",
      preflight: "done",
      synth: "done",
      "deploy:application-us-east-2": "done",
      "deploy:kubernetes-us-east-2": "done",
      "deploy:gitops-us-east-2": "skipped",
      "deploy:workloads-us-east-2": "skipped",
      flux: "skipped",
      smoke: "skipped",
      "deploy:replication-us-east-2": "done",
    });
    // The report, read back from the emulator's archive bucket (Object Lock keeps it).
    const recovered = await newestReport();
    expect(recovered).toMatchObject({ region: RECOVERY, recoveryId: journal.recoveryId, verdict: "met", objectiveMinutes: 120 });
    expect(recovered.recoveryPoints.map((r) => r.store)).toEqual(["database backups", "database archives", "assets", "broker definitions", "SOPS replica key"]);
    expect(recovered.measuredMinutes).toBeLessThan(120);
    report.push(
      `  report: measured ${recovered.measuredMinutes} min against ${recovered.objectiveMinutes} (model ${recovered.model?.criticalPathMinutes} min); not measured: ${recovered.notMeasured.length} steps the emulator cannot serve`,
    );
  });

  it("adopts a restore that outlived Terraform's wait, and a run interrupted in the middle of a stack is resumed by the next, which redeploys nothing done", async () => {
    // The restored instance is in AWS but not in the state, as after a create that timed out.
    const application = stackId("application", RECOVERY);
    const address = `aws_db_instance.${Object.keys(JSON.parse(fs.readFileSync(path.join(session.outDir, "stacks", application, "cdk.tf.json"), "utf8")).resource.aws_db_instance)[0]}`;
    const rm = await runInStack(application, ["state", "rm", "-no-color", address]);
    expect(rm.status === 0 ? "removed" : rm.output.trim()).toBe("removed");
    expect(((await readStackState(session, application))?.resources ?? []).filter((r) => r.type === "aws_db_instance")).toEqual([]);

    // Run 2 restarts from the application stack and is stopped (Ctrl-C) while replication-us-east-2 deploys.
    const interrupted = await timed("recover: a run interrupted in the middle of a stack", () =>
      sandboxRecover(["--yes", "--from", `deploy:${application}`], { interruptAt: "start  10. deploy:replication-us-east-2" }),
    );
    report.push(`  recover (run 2, interrupted):\n${interrupted.stderr.replace(/^/gm, "    ")}`);
    expect(interrupted.status).toBe(3);
    let journal = await stateObject<Journal>(recoveryJournalKey(RECOVERY));
    expect(journal.steps[`deploy:${application}`]).toMatchObject({
      status: "done",
      attempts: 2,
      outputs: { adopted: expect.stringMatching(/^acme-us-east-2: imported /) },
    });
    expect(journal.steps["deploy:replication-us-east-2"]).toMatchObject({ status: "failed", detail: expect.stringMatching(/^interrupted: /) });
    expect(journal.runs.map((r) => r.outcome)).toEqual(["completed", "interrupted"]);

    // Run 3 resumes at the interrupted stack and starts nothing else.
    const resumed = await timed("recover: the next run resumes", () => sandboxRecover(["--yes"]));
    report.push(`  recover (run 3, resumed):\n${resumed.stderr.replace(/^/gm, "    ")}`);
    expect(resumed.status).toBe(0);
    journal = await stateObject<Journal>(recoveryJournalKey(RECOVERY));
    expect(journal.runs.map((r) => [r.outcome, r.started])).toEqual([
      ["completed", expect.any(Array)],
      ["interrupted", [`deploy:${application}`, "deploy:workloads-us-east-2", "flux", "smoke", "deploy:replication-us-east-2"]],
      ["completed", ["deploy:replication-us-east-2"]],
    ]);
    expect(journal.steps[`deploy:${application}`].attempts).toBe(2);
    expect(journal.steps["deploy:kubernetes-us-east-2"].attempts).toBe(1);
    expect(((await readStackState(session, application))?.resources ?? []).filter((r) => r.type === "aws_db_instance")).toHaveLength(1);
    expect(proxy.callsTo(PRIMARY)).toEqual([]);
    expect((await newestReport()).runs).toHaveLength(3);
  });

  it("proves the data: the newest archive restores into a fresh PostgreSQL with every row, by checksum", async () => {
    pg.createDatabase("restored");
    const through = awsClients({ endpoint: proxy.endpoint, caFile: emulatorOf.current().caFile }, RECOVERY);
    const result = await timed("restore the newest archive and check it", () =>
      verifyArchive({ bucket: ARCHIVES, database: "app", targetUrl: pg.url("restored"), pgBinDir: pg.binDir }, { s3: through.s3 }),
    );
    expect(result.differences).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.manifest.tables.map((t) => `${t.table} ${t.rows}`).sort()).toEqual(["orders 5000", "pages 2"]);
    // Independently of the manifest: the restored rows equal the written ones.
    const sum = (db: string) => pg.psql("SELECT count(*), sum(cents), md5(string_agg(id || customer, ',' ORDER BY id)) FROM orders", db).trim();
    expect(sum("restored")).toBe(sum("app"));
    expect(result.recoveryPoint.getTime()).toBeGreaterThanOrEqual(lastWriteBeforeArchive.getTime() - 1000);
    report.push(
      `  data: recovery point ${result.recoveryPoint.toISOString()} (last write before the archive ${lastWriteBeforeArchive.toISOString()}), restore ${result.restoreSeconds?.toFixed(2)} s`,
    );
    expect(proxy.callsTo(PRIMARY)).toEqual([]);
  });

  it("the recovery runs on the primary's replica and archives, with its own datastores and cluster", async () => {
    const aws = dr();
    expect((await aws.s3.send(new GetBucketLocationCommand({ Bucket: REPLICA }))).LocationConstraint).toBe(RECOVERY);
    const [db] = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: regionalNames("acme", RECOVERY).database }))).DBInstances!;
    expect(db).toMatchObject({ StorageEncrypted: true, DeletionProtection: true, PubliclyAccessible: false, MasterUsername: "dbadmin" });
    const summary = (await aws.mq.send(new ListBrokersCommand({}))).BrokerSummaries!.find((b) => b.BrokerName === regionalNames("acme", RECOVERY).broker)!;
    expect((await aws.mq.send(new DescribeBrokerCommand({ BrokerId: summary.BrokerId! }))).Users!.map((u) => u.Username)).toEqual(["admin"]);
    for (const user of ["admin", "orders", "notifications"]) {
      const name = regionalNames("acme", RECOVERY).brokerUserSecret(user);
      expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: name }))).Name).toBe(name);
    }
    const { cluster } = await aws.eks.send(new DescribeClusterCommand({ name: regionalNames("acme", RECOVERY).cluster }));
    expect(cluster!.status).toBe("ACTIVE");
    // The rebuilt cluster names the role the standby layer made in peacetime, by its ARN in the
    // environment's account (the emulator does not check the account inside an ARN).
    expect(cluster!.roleArn).toBe(roleArn("123456789012", recoveryNames.clusterRole));
    expect(await readStackState(session, stackId("application", RECOVERY))).toBeDefined();
  });
  it("status with us-east-1 dark: the archive still meets its target; the assets row says what the replica holds", async () => {
    const result = await timed("status (us-east-1 dark)", () => drillStatus());
    report.push(`  status with us-east-1 dark:\n${formatStatus(result).replace(/^/gm, "    ")}`);
    const row = rowsById(result);
    expect(row["database-archives"]).toMatchObject({ verdict: "met" });
    expect(row.assets.verdict).toBe("unknown");
    expect(row.assets.gap).toBeUndefined();
    expect(row.assets.detail).toContain(`the replica ${REPLICA} holds`);
    expect(statusExitCode(result)).toBe(1);
  });
});

/**
 * Failback, after the recovery above: us-east-1 answers again (the fault layer lets it through),
 * `fence` makes it harmless (through the fault layer; its cluster is not reachable, there is none),
 * and what the recovery wrote during the outage is carried back by the failback's automated steps:
 * the assets by `failback-copy-assets`, the rows through an archive of the recovered database
 * restored into the new generation. In AWS the database moves as an RDS snapshot copied and
 * restored (`npx dr-platform failback`); moto's RDS holds no data, so the PostgreSQL stand-in carries
 * the rows, as it does for the recovery.
 */
describe("Failback drill: us-east-1 returns, is fenced, and gets back everything written during the outage", () => {
  const OUTAGE_OBJECTS: Record<string, string> = { "uploads/outage-1.png": "outage one", "uploads/during the outage.txt": "written in us-east-2" };
  const through = (region: string) => awsClients({ endpoint: proxy.endpoint, caFile: emulatorOf.current().caFile }, region);
  // Direct to the emulator: the drill's own checks.
  const primary = () => awsClients(emulatorOf.current(), PRIMARY);
  // The shipped file, in the emulator's account (ExpectedBucketOwner of the copies).
  const primaryEnv = () =>
    ({
      ...loadEnvironments(path.join(REPO, "environments")).find((l) => l.environment.region === PRIMARY)!.environment,
      accountId: EMULATOR_ACCOUNT_ID,
    }) as PrimaryEnvironment;
  const outageRows = (db: string) =>
    pg.psql("SELECT count(*), sum(cents), md5(string_agg(id || customer, ',' ORDER BY id)) FROM orders WHERE id > 5000", db).trim();

  function fenceClients(): FenceClients {
    const emulator = emulatorOf.current();
    return {
      s3: through(PRIMARY).s3,
      rds: through(PRIMARY).rds,
      stateS3: through(primaryEnv().state.region).s3,
      cluster: kubectlAccess(primaryEnv(), {
        timeoutSeconds: 5,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: proxy.endpoint,
          AWS_CA_BUNDLE: emulator.caFile,
          AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      }),
    };
  }

  it("the recovery serves: assets and orders are written in us-east-2 during the outage, none reaching us-east-1", async () => {
    proxy.reset();
    await timed("failback: writes during the outage", async () => {
      for (const [key, body] of Object.entries(OUTAGE_OBJECTS))
        await through(RECOVERY).s3.send(new PutObjectCommand({ Bucket: REPLICA, Key: key, Body: body }));
      pg.psql(
        `INSERT INTO orders SELECT i, 'outage-customer-' || i, i * 7, '2026-11-21T12:00:00Z'::timestamptz + i * interval '1 second' FROM generate_series(5001, 5250) i;
         UPDATE pages SET body = 'Welcome back' WHERE slug = 'home';`,
        "restored",
      );
    });
    expect(pg.psql("SELECT count(*) FROM orders WHERE id > 5000", "restored")).toBe("250");
    expect(proxy.callsTo(PRIMARY)).toEqual([]);
  });

  it("us-east-1 comes back and is fenced: replication rule disabled, database stopped, cluster not reachable; a second run changes nothing", async () => {
    proxy.setDark([]);
    const env = primaryEnv();
    // The state bucket, made by step zero (state-acme-terraform-state), versioned.
    const state = awsClients(emulatorOf.current(), "us-west-2").s3;
    const first = await timed("failback: fence us-east-1", () => runFence(env, fenceClients(), { apply: true }));
    expect(first.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "replication: done",
      "database: done",
      "record: done",
    ]);
    const versions = async () =>
      (await state.send(new ListObjectVersionsCommand({ Bucket: env.state.bucket }))).Versions!.map((v) => `${v.Key} ${v.VersionId}`);
    const recorded = await versions();
    const second = await runFence(env, fenceClients(), { apply: true });
    expect(second.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "replication: already done",
      "database: already done",
      "record: already done",
    ]);
    expect(await versions()).toEqual(recorded);
    const rules = (await primary().s3.send(new GetBucketReplicationCommand({ Bucket: ASSETS }))).ReplicationConfiguration!.Rules!;
    expect(rules.map((r) => `${r.ID} ${r.Status}`)).toEqual(["DR Replication Disabled"]);
    const [db] = (await primary().rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: regionalNames("acme", PRIMARY).database }))).DBInstances!;
    expect(db.DBInstanceStatus).toBe("stopped");
    report.push(`  failback: fence ${first.actions.map((a) => `${a.id} ${a.status}`).join(", ")}`);
  });

  it("carries every object written during the outage back to us-east-1's assets bucket (failback-copy-assets), checked by listing", async () => {
    const result = await timed("failback: copy the assets back", () =>
      copyAssetsBack(primaryEnv(), { source: through(RECOVERY).s3, target: through(PRIMARY).s3 }, { apply: true }),
    );
    expect(result.complete).toBe(true);
    expect(result.missing).toEqual([]);
    expect(
      result.items
        .filter((i) => i.action === "copy")
        .map((i) => i.key)
        .sort(),
    ).toEqual(Object.keys(OUTAGE_OBJECTS).sort());
    for (const [key, body] of Object.entries(OUTAGE_OBJECTS)) expect(await read(primary(), ASSETS, key)).toBe(body);
    expect(await read(primary(), ASSETS, "images/logo.png")).toBe("logo");
    // The completion check run again: nothing left to copy.
    expect((await copyAssetsBack(primaryEnv(), { source: through(RECOVERY).s3, target: through(PRIMARY).s3 })).items.every((i) => i.action === "present")).toBe(
      true,
    );
  });

  it("carries every row written during the outage back into us-east-1's new generation, by checksum", async () => {
    const archives = recoveryNames.hostingServicesBucket;
    const { PGPASSWORD, ...connection } = pg.env("restored");
    const dir = tempDir("drill-failback-");
    const passwordFile = path.join(dir, "password");
    fs.writeFileSync(passwordFile, PGPASSWORD!, { mode: 0o600 });
    const archived = await timed("failback: archive the recovered database", async () =>
      spawnSync("sh", [ARCHIVE_SCRIPT, "all"], {
        encoding: "utf8",
        timeout: 120_000,
        env: {
          ...connection,
          PGPASSWORD_FILE: passwordFile,
          ARCHIVE_DIR: path.join(dir, "work"),
          ARCHIVE_BUCKET: archives,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: "us-west-2",
          // Straight to the emulator, as the peacetime archive: the upload is the archive job's, not a failback step.
          AWS_ENDPOINT_URL: emulatorOf.current().endpoint,
          AWS_CA_BUNDLE: emulatorOf.current().caFile,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      }),
    );
    expect({ status: archived.status, stderr: archived.stderr }).toEqual({ status: 0, stderr: "" });
    const generation = "g2";
    pg.createDatabase(generation);
    const result = await timed("failback: restore into the new generation and check it", () =>
      verifyArchive({ bucket: archives, database: "restored", targetUrl: pg.url(generation), pgBinDir: pg.binDir }, { s3: through("us-west-2").s3 }),
    );
    expect(result.differences).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.manifest.tables.map((t) => `${t.table} ${t.rows}`).sort()).toEqual(["orders 5250", "pages 2"]);
    // Independently of the manifest: the outage's rows and update are in the new generation.
    expect(outageRows(generation)).toBe(outageRows("restored"));
    expect(outageRows(generation).split("|")[0]).toBe("250");
    expect(pg.psql("SELECT body FROM pages WHERE slug = 'home'", generation)).toBe("Welcome back");
    report.push(
      `  failback: ${result.manifest.tables.find((t) => t.table === "orders")!.rows} orders in the new generation (250 written during the outage), restore ${result.restoreSeconds?.toFixed(2)} s`,
    );
  });
});
