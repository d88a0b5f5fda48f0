import * as fs from "fs";
import * as path from "path";
import { CreateClusterCommand, CreateNodegroupCommand, DescribeNodegroupCommand } from "@aws-sdk/client-eks";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import {
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
} from "@aws-sdk/client-rds";
import { servingClusterName, servingDatabaseIdentifier, type Environment, type PrimaryEnvironment, type RecoveryEnvironment } from "../../lib/environment";
import { databaseReplicaCheck } from "../../lib/operations/checks/preflight/database-replica";
import { buildFailback, type FailbackStep } from "../../lib/operations/failback";
import { probeDatabaseInstance } from "../../lib/operations/probes/database-instance";
import { modelTierRto } from "../../lib/operations/rto";
import { buildPlan, type PlanStep } from "../../lib/recovery/plan";
import { stepRunner } from "../../lib/recovery/run-step";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";
import { startFaultProxy, type FaultProxy } from "../../lib/tooling/fault-proxy";
import { EmulatorExecution } from "../../lib/tooling/sandbox-recover";
import { sandboxSession, type SandboxSession } from "../../lib/tooling/sandbox-session";
import { awsClients } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { startPostgres, type PostgresReplica, type PostgresServer } from "../support/postgres";
import { REPO } from "../support/run";
import { shippedWarmStandby, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/**
 * The warm standby's day, drilled as far as it goes without its peacetime deployment: the calls the
 * runbook prints (promote the read replica, give it a master-user secret, scale the node groups)
 * run through the executor's step runner on the emulator target, behind the fault layer with
 * us-east-1 dark, against the instances and node group a warm standby's peacetime stands (made here
 * with the SDK: the standing stacks' configuration is tested by synthesis and terraform validate,
 * test/app/warm-standby.test.ts and test/terraform/validate.test.ts). The data is proven on the
 * PostgreSQL stand-in: a real streaming replica of a real primary (what RDS runs for a read
 * replica), promoted after the primary is lost, holds every row committed before the loss.
 *
 * Then the failback by reverse replication (issue 27, item 4), as far as the emulator goes: the
 * printed commands that make us-east-1's new generation a cross-Region read replica of the promoted
 * database and promote it run on the emulator target, and a streaming replica of the promoted
 * stand-in, promoted in turn, brings back every row, the outage's included.
 *
 * Not here (issue 27, item 5): the standing stacks deployed by Terraform into the emulator, and a
 * whole `recover` run (declare, switch, preflight, the two stacks applied again, replication), and
 * the failback's other steps (the hand-over and its adoption, the drill's failback-adopt covers
 * them for a snapshot's generation); moto 5.2.1 also keeps a cross-Region replica's source after
 * PromoteReadReplica.
 */
jest.setTimeout(10 * 60_000);

const PRIMARY = "us-east-1";
const RECOVERY = "us-east-2";
const emulatorOf = useEmulator({ firstPort: 6300 });
const outdir = tempDir("dr-warm-standby-day-");
synthShipped(outdir, shippedWarmStandby());
const warm = { ...shippedWarmStandby().find((l) => l.environment.region === RECOVERY)!.environment, accountId: EMULATOR_ACCOUNT_ID } as RecoveryEnvironment;
const primaryEnv = { ...shippedWarmStandby().find((l) => l.environment.region === PRIMARY)!.environment, accountId: EMULATOR_ACCOUNT_ID } as PrimaryEnvironment;
const plan = buildPlan(warm as Environment, JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")));
const step = (id: string): PlanStep => plan.steps.find((s) => s.id === id)!;
const evidence: string[] = [];
const runner = () => stepRunner({ target: new EmulatorExecution(session), logDir: tempDir("dr-warm-standby-day-logs-"), yes: true });

let proxy: FaultProxy;
let session: SandboxSession;
let source: PostgresServer;
let replica: PostgresReplica;
let back: PostgresReplica | undefined;
const direct = (region: string) => awsClients(emulatorOf.current(), region);
const orders = (server: PostgresServer) => server.psql("SELECT count(*) || ' ' || md5(string_agg(id || ':' || cents, ',' ORDER BY id)) FROM orders", "app");
let beforeLoss = "";

beforeAll(async () => {
  const emulator = emulatorOf.current();
  proxy = await startFaultProxy({ upstream: { endpoint: emulator.endpoint, caFile: emulator.caFile }, tls: emulatorOf.tls() });
  session = sandboxSession(REPO, { endpoint: proxy.endpoint, caFile: emulator.caFile }, emulatorOf.dir());
  source = await startPostgres({ walArchive: true });
});

afterAll(async () => {
  await proxy?.close();
  await back?.stop();
  await replica?.stop();
  await source?.stop();
  if (evidence.length > 0) console.log(`Warm standby day drill on this machine:\n${evidence.join("\n")}`);
});

it("peacetime (stand-in): the primary's instance, its cross-Region read replica, the cluster with one node; rows streamed to the replica", async () => {
  await direct(PRIMARY).rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "acme-us-east-1",
      Engine: "postgres",
      DBInstanceClass: "db.r6g.large",
      AllocatedStorage: 100,
      MasterUsername: "dbadmin",
      ManageMasterUserPassword: true,
    }),
  );
  await direct(RECOVERY).rds.send(
    new CreateDBInstanceReadReplicaCommand({
      DBInstanceIdentifier: servingDatabaseIdentifier(warm),
      SourceDBInstanceIdentifier: `arn:aws:rds:${PRIMARY}:${EMULATOR_ACCOUNT_ID}:db:acme-us-east-1`,
    }),
  );
  const cluster = servingClusterName(warm);
  await direct(RECOVERY).eks.send(
    new CreateClusterCommand({
      name: cluster,
      roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/acme-us-east-2-eks-cluster`,
      resourcesVpcConfig: { subnetIds: ["subnet-a"] },
    }),
  );
  for (const group of warm.kubernetes.nodeGroups) {
    await direct(RECOVERY).eks.send(
      new CreateNodegroupCommand({
        clusterName: cluster,
        nodegroupName: group.name,
        nodeRole: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/acme-us-east-2-eks-nodes`,
        subnets: ["subnet-a"],
        scalingConfig: { minSize: 1, maxSize: group.maxSize, desiredSize: 1 },
      }),
    );
  }
  // The data: written on the source, streamed to a hot standby as RDS streams to its read replica.
  source.createDatabase("app");
  source.psql("CREATE TABLE orders (id int PRIMARY KEY, cents int NOT NULL)", "app");
  source.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(1, 4000) g", "app");
  replica = await source.streamingReplica();
  source.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(4001, 5000) g", "app");
  await replica.replayedUpTo(source.psql("SELECT pg_current_wal_lsn()"));
  expect(replica.psql("SELECT pg_is_in_recovery()")).toBe("t");
  expect(orders(replica)).toBe(orders(source));
  beforeLoss = orders(source);
  expect(beforeLoss.split(" ")[0]).toBe("5000");
  // The preflight's row over the real probe: the replica stands and follows the primary's instance
  // (moto 5.2.1 reports no replication state in StatusInfos; RDS does).
  const found = await probeDatabaseInstance(direct(RECOVERY).rds, servingDatabaseIdentifier(warm), RECOVERY);
  expect(databaseReplicaCheck(warm, primaryEnv, found, false)).toMatchObject({
    status: "pass",
    detail: `acme-us-east-2 (status available) follows arn:aws:rds:${PRIMARY}:${EMULATOR_ACCOUNT_ID}:db:acme-us-east-1: replication not reported`,
  });
});

it("us-east-1 is lost: its regional services refuse every call, and the source database is gone", async () => {
  proxy.setDark([PRIMARY]);
  proxy.reset();
  await source.stop();
});

it("runs the printed calls through the executor's step runner on the emulator: promoted, its own secret, scaled; 0 calls to us-east-1, 0 IAM or Route 53 writes", async () => {
  const run = async (id: string) => {
    const started = Date.now();
    const outcome = await runner()(step(id), { attempt: 1, signal: new AbortController().signal });
    return { id, outcome, seconds: (Date.now() - started) / 1000 };
  };
  const started = Date.now();
  // As the plan orders them: promotion and scale-out side by side after the preflight, the secret after the promotion.
  const [promoted, scaled] = await Promise.all([run("promote-database"), run("scale-node-groups")]);
  const credentials = await run("database-credentials");
  const results = [promoted, scaled, credentials];
  expect(results.map((r) => [r.id, r.outcome.status, r.outcome.detail])).toEqual([
    ["promote-database", "done", undefined],
    ["scale-node-groups", "done", undefined],
    ["database-credentials", "done", undefined],
  ]);
  const wall = (Date.now() - started) / 1000;
  expect(proxy.callsTo(PRIMARY).map((c) => `${c.service} ${c.action}`)).toEqual([]);
  expect(proxy.globalWrites().map((c) => `${c.service} ${c.action}`)).toEqual([]);
  expect(
    proxy
      .calls()
      .filter((c) => !c.refused)
      .map((c) => `${c.region} ${c.service} ${c.action}`)
      .sort(),
  ).toEqual([
    // Every call of the day, all in us-east-2 (the fault layer names EKS's REST calls by method and path).
    `${RECOVERY} eks GET /clusters/acme-us-east-2/node-groups/general`,
    `${RECOVERY} eks POST /clusters/acme-us-east-2/node-groups/general/update-config`,
    `${RECOVERY} rds DescribeDBInstances`,
    `${RECOVERY} rds DescribeDBInstances`,
    `${RECOVERY} rds ModifyDBInstance`,
    `${RECOVERY} rds PromoteReadReplica`,
  ]);

  const [instance] = (await direct(RECOVERY).rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: servingDatabaseIdentifier(warm) }))).DBInstances!;
  expect(instance.MasterUserSecret?.SecretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:${RECOVERY}:${EMULATOR_ACCOUNT_ID}:secret:rds!db-`));
  const [group] = warm.kubernetes.nodeGroups;
  const { nodegroup } = await direct(RECOVERY).eks.send(new DescribeNodegroupCommand({ clusterName: servingClusterName(warm), nodegroupName: group.name }));
  expect(nodegroup!.scalingConfig).toEqual({ minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize });

  const model = modelTierRto(outdir, warm, "warm-standby");
  evidence.push(
    ...results.map((r) => `  ${r.id.padEnd(22)} ${r.seconds.toFixed(1).padStart(6)} s`),
    `  the day's calls: ${wall.toFixed(1)} s wall in the emulator (model on real AWS: ${model.criticalPathMinutes.toFixed(1)} min to serving), ${proxy.calls().length} calls, ${proxy.callsTo(PRIMARY).length} to ${PRIMARY}, ${proxy.globalWrites().length} IAM/Route 53 writes`,
  );
});

it("the data: the promoted stand-in replica holds every row committed before the loss, and takes writes", async () => {
  await replica.promote();
  expect(orders(replica)).toBe(beforeLoss);
  replica.psql("INSERT INTO orders VALUES (5001, 1)", "app");
  expect(replica.psql("SELECT count(*) FROM orders", "app")).toBe("5001");
  evidence.push(`  data: ${beforeLoss.split(" ")[0]} rows committed before the loss in the promoted replica, checksum ${beforeLoss.split(" ")[1]}`);
});

it("failback by reverse replication, as printed: us-east-1's new generation made a cross-Region read replica of the promoted acme-us-east-2, then promoted with its own secret", async () => {
  proxy.setDark([]);
  proxy.reset();
  // The groups application-us-east-1 made, which the printed command names (the security group by a lookup).
  const subnetGroup = async (region: string, cidr: string) => {
    const aws = direct(region);
    const { Vpc } = await aws.ec2.send(new CreateVpcCommand({ CidrBlock: `${cidr}.0.0/16` }));
    const subnets = await Promise.all(
      ["a", "b"].map(
        async (zone, i) =>
          (await aws.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: `${cidr}.${i}.0/24`, AvailabilityZone: `${region}${zone}` }))).Subnet!
            .SubnetId!,
      ),
    );
    await aws.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "acme-us-east-1", DBSubnetGroupDescription: "acme-us-east-1", SubnetIds: subnets }));
    await aws.rds.send(
      new CreateDBParameterGroupCommand({ DBParameterGroupName: "acme-us-east-1-postgres16", DBParameterGroupFamily: "postgres16", Description: "TLS only" }),
    );
    return Vpc!.VpcId!;
  };
  const vpc = await subnetGroup(PRIMARY, "10.10");
  // moto 5.2.1 looks a cross-Region replica's subnet and parameter groups up in the source's region
  // (RDS, in the replica's): the same names there let the printed command through unchanged.
  await subnetGroup(RECOVERY, "10.20");
  await direct(PRIMARY).ec2.send(
    new CreateSecurityGroupCommand({ GroupName: "acme-us-east-1-postgres", Description: "PostgreSQL acme-us-east-1", VpcId: vpc }),
  );
  const failback = buildFailback(primaryEnv, warm, {
    stamp: "202612041800",
    databaseResourceAddress: "aws_db_instance.database_resource_2718567D",
    recoveryAddresses: { database: "aws_db_instance.database_resource_2718567D", backupReplication: "aws_db_instance_automated_backups_replication.x" },
  });
  const printed = (start: string): FailbackStep => failback.steps.find((s) => s.title.startsWith(start))!;
  const asStep = (id: string, printedStep: FailbackStep): PlanStep => ({
    id,
    title: printedStep.title,
    kind: "check",
    commands: printedStep.commands,
    after: [],
    phase: "serve",
  });
  const signal = new AbortController().signal;
  const rebuilt = await runner()(asStep("reverse-replica", printed("Rebuild us-east-1's database")), { attempt: 1, signal });
  expect([rebuilt.status, rebuilt.detail]).toEqual(["done", undefined]);
  const promoted = await runner()(asStep("promote-reverse-replica", printed("Promote acme-us-east-1-g2")), { attempt: 1, signal });
  expect([promoted.status, promoted.detail]).toEqual(["done", undefined]);
  const [g2] = (await direct(PRIMARY).rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "acme-us-east-1-g2" }))).DBInstances!;
  expect(g2.ReadReplicaSourceDBInstanceIdentifier).toBe(`arn:aws:rds:${RECOVERY}:${EMULATOR_ACCOUNT_ID}:db:acme-us-east-2`);
  expect(g2.MasterUserSecret?.SecretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:${PRIMARY}:${EMULATOR_ACCOUNT_ID}:secret:rds!db-`));
  expect(proxy.globalWrites()).toEqual([]);
});

it("the data comes back: a streaming replica of the promoted stand-in, promoted in the window, holds the rows of before the loss and of the outage", async () => {
  // The outage: the recovery takes writes; us-east-1's new generation streams them as they come.
  replica.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(5002, 5250) g", "app");
  back = await replica.streamingReplica();
  replica.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(5251, 5260) g", "app");
  // The window: the writers stop, the replica replays the last of them and is promoted.
  const served = orders(replica);
  await back.replayedUpTo(replica.psql("SELECT pg_current_wal_lsn()"));
  await back.promote();
  expect(orders(back)).toBe(served);
  expect(served.split(" ")[0]).toBe("5260");
  expect(back.psql("SELECT count(*) FROM orders WHERE id <= 5000", "app")).toBe("5000");
  evidence.push(`  failback: ${served.split(" ")[0]} rows back in us-east-1's promoted stand-in (5000 from before the loss, 260 written during the outage)`);
});
