import * as fs from "fs";
import * as path from "path";
import { DescribeNodegroupCommand } from "@aws-sdk/client-eks";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { servingClusterName, servingDatabaseIdentifier } from "../../../lib/environment";
import { recoveryJournalKey } from "../../../lib/naming";
import { formatStatus } from "../../../lib/operations/status";
import type { Journal } from "../../../lib/recovery/journal";
import { startPostgres, type PostgresReplica, type PostgresServer } from "../../support/postgres";
import { REPO } from "../../support/run";
import { PRIMARY, RECOVERY, rowsById, type Drill } from "./context";

/**
 * The shipped environment files with us-east-2's choosing the warm standby (`tier: "warm-standby"`),
 * one line, as an operator edits it; written beside the repository's environments/ (their `../lib`
 * imports resolve), and removed by `remove`.
 */
export function warmStandbyEnvironments(): { readonly dir: string; remove(): void } {
  const dir = path.join(REPO, ".warm-drill-environments");
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(path.join(REPO, "environments"))) {
    const text = fs.readFileSync(path.join(REPO, "environments", file), "utf8");
    const edited = file === `${RECOVERY}.ts` ? text.replace('role: "recovery",', 'role: "recovery",\n  tier: "warm-standby",') : text;
    if (file === `${RECOVERY}.ts` && edited === text) throw new Error(`environments/${file} no longer says role: "recovery": the drill cannot choose its tier`);
    fs.writeFileSync(path.join(dir, file), edited);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The PostgreSQL stand-in of a warm standby's database (moto's RDS holds no data): a real primary,
 * standing in for acme-us-east-1, and a real streaming replica of it, standing in for the read replica
 * in us-east-2 (RDS runs PostgreSQL's own streaming replication for a read replica); on failback, a
 * streaming replica of the promoted one stands in for us-east-1's new generation (reverse replication).
 */
export interface WarmStandbyStandIn {
  /** Peacetime: rows written on the primary, streamed to the replica; returns the rows' count and checksum. */
  stand(): Promise<string>;
  /** The loss: the primary stops. */
  lose(): Promise<void>;
  /** The day: the replica is promoted; returns its rows' count and checksum, then takes a write. */
  promote(): Promise<string>;
  /** Failback: the outage's writes, a streaming replica of the promoted one caught up in the window and promoted. */
  failBack(): Promise<{ readonly total: string; readonly beforeLoss: string }>;
  stop(): Promise<void>;
}

export function warmStandbyStandIn(): WarmStandbyStandIn {
  let source: PostgresServer | undefined;
  let replica: PostgresReplica | undefined;
  let back: PostgresReplica | undefined;
  const orders = (server: PostgresServer | PostgresReplica) =>
    server.psql("SELECT count(*) || ' ' || md5(string_agg(id || ':' || cents, ',' ORDER BY id)) FROM orders", "app");
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the stand-in's ${what} is not started`);
    return value;
  };
  return {
    async stand() {
      source = await startPostgres({ walArchive: true });
      source.createDatabase("app");
      source.psql("CREATE TABLE orders (id int PRIMARY KEY, cents int NOT NULL)", "app");
      source.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(1, 4000) g", "app");
      replica = await source.streamingReplica();
      source.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(4001, 5000) g", "app");
      await replica.replayedUpTo(source.psql("SELECT pg_current_wal_lsn()"));
      if (replica.psql("SELECT pg_is_in_recovery()") !== "t") throw new Error("the stand-in replica is not in recovery");
      if (orders(replica) !== orders(source)) throw new Error("the stand-in replica has not replayed its primary's rows");
      return orders(source);
    },
    async lose() {
      await need(source, "primary").stop();
      source = undefined;
    },
    async promote() {
      const promoted = need(replica, "replica");
      await promoted.promote();
      const rows = orders(promoted);
      promoted.psql("INSERT INTO orders VALUES (5001, 1)", "app");
      return rows;
    },
    async failBack() {
      const serving = need(replica, "replica");
      // The outage: the recovery takes writes; us-east-1's new generation streams them as they come.
      serving.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(5002, 5250) g", "app");
      back = await serving.streamingReplica();
      serving.psql("INSERT INTO orders SELECT g, g * 7 FROM generate_series(5251, 5260) g", "app");
      // The window: the writers stop, the new generation replays the last of them and is promoted.
      const served = orders(serving);
      await back.replayedUpTo(serving.psql("SELECT pg_current_wal_lsn()"));
      await back.promote();
      if (orders(back) !== served) throw new Error(`us-east-1's stand-in holds ${orders(back)}, the recovery served ${served}`);
      return { total: served.split(" ")[0], beforeLoss: back.psql("SELECT count(*) FROM orders WHERE id <= 5000", "app") };
    },
    async stop() {
      await back?.stop();
      await replica?.stop();
      await source?.stop();
    },
  };
}

/** A call that creates a database, a cluster or a node group (the fault layer names EKS's REST calls by method and path). */
const CREATES = /^(rds (CreateDBInstance|CreateDBInstanceReadReplica|RestoreDBInstance\w*)|eks POST \/clusters(\/[^/]+\/node-groups)?)$/;

/**
 * The warm standby's recovery (issue 27, item 5), on its own peacetime deployment: the shipped pair
 * with us-east-2 a warm standby, deployed by Terraform into the emulator (test/e2e/drill/peacetime.ts
 * deploys every peacetime layer the tier names: application-us-east-2 with the read replica of
 * us-east-1's database, kubernetes-us-east-2 with one node per group). us-east-1 goes dark through
 * the fault layer and the on-call's command, `npm run sandbox -- recover us-east-2 --yes` (the CLI's
 * plan, executor, journal and report, the emulator as the target), runs the tier's day: promote the
 * replica, its own master-user secret, scale the node groups, the two stacks applied again creating
 * nothing, the backups' replication. moto's RDS holds no data, so the data is proven on the engine
 * RDS runs for a read replica: a real PostgreSQL streaming replica of a real primary (the stand-in
 * for acme-us-east-1), promoted after its primary is lost, holds every row committed before the loss.
 */
export function warmStandbyRecovery(drill: Drill, standIn: WarmStandbyStandIn): void {
  const dr = () => drill.direct(RECOVERY);
  const database = () => servingDatabaseIdentifier(drill.recoveryEnvironment());
  const describe = async () => (await dr().rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: database() }))).DBInstances![0];
  let beforeLoss = "";

  it("stands in peacetime, deployed by Terraform: the read replica of us-east-1's database on us-east-2's key, the cluster at one node per group; rows stream to the stand-in replica", async () => {
    const instance = await describe();
    expect({
      source: instance.ReadReplicaSourceDBInstanceIdentifier,
      encrypted: instance.StorageEncrypted,
      key: instance.KmsKeyId,
      deletionProtection: instance.DeletionProtection,
      public: instance.PubliclyAccessible,
      subnetGroup: instance.DBSubnetGroup?.DBSubnetGroupName,
    }).toEqual({
      source: expect.stringMatching(new RegExp(`^arn:aws:rds:${PRIMARY}:\\d{12}:db:${servingDatabaseIdentifier(drill.primaryEnvironment())}$`)),
      encrypted: true,
      key: expect.stringMatching(new RegExp(`^arn:aws:kms:${RECOVERY}:`)),
      deletionProtection: true,
      public: false,
      subnetGroup: database(),
    });
    for (const group of drill.recoveryEnvironment().kubernetes.nodeGroups) {
      const { nodegroup } = await dr().eks.send(
        new DescribeNodegroupCommand({ clusterName: servingClusterName(drill.recoveryEnvironment()), nodegroupName: group.name }),
      );
      expect(nodegroup!.scalingConfig).toEqual({ minSize: 1, maxSize: group.maxSize, desiredSize: 1 });
    }
    const status = await drill.status();
    drill.report.push(`  status of the warm standby before the loss:\n${formatStatus(status).replace(/^/gm, "    ")}`);
    // The replica stands and follows; its lag (the recovery point) is a metric the emulator does not keep.
    expect(rowsById(status)["database-replica"]).toMatchObject({ verdict: "unknown", gap: "rds-replica-lag" });
    expect(rowsById(status)["database-replica"].detail).toMatch(new RegExp(`^${database()} is a read replica of arn:aws:rds:${PRIMARY}:`));

    // The stand-in: written on the primary's, streamed to a hot standby as RDS streams to its read replica.
    beforeLoss = await standIn.stand();
    expect(beforeLoss.split(" ")[0]).toBe("5000");
  });

  it("loses us-east-1: its regional services refuse every call, and the stand-in's primary stops", async () => {
    drill.proxy.setDark([PRIMARY]);
    drill.proxy.reset();
    await standIn.lose();
  });

  it("recovers us-east-2 with npm run sandbox -- recover us-east-2 --yes: promoted, its own secret, scaled; no database, cluster or node group created; 0 calls to us-east-1, 0 IAM or Route 53 writes", async () => {
    const started = Date.now();
    const run = await drill.timed("warm standby: npm run sandbox -- recover us-east-2 --yes", () => drill.sandboxRecover(["--yes"]));
    drill.report.push(`  recover (warm standby):\n${run.stderr.replace(/^/gm, "    ")}`);
    expect({ status: run.status, tail: run.stderr.split("\n").slice(-15).join("\n") }).toMatchObject({ status: 0 });
    const calls = drill.proxy.calls().filter((c) => !c.refused);
    drill.report.push(
      `  recovery of ${RECOVERY} (warm standby): ${drill.proxy.callsTo(PRIMARY).length} calls to ${PRIMARY}, ${drill.proxy.globalWrites().length} IAM/Route 53 writes, ${calls.length} calls in all, wall ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(drill.proxy.callsTo(PRIMARY).map((c) => `${c.service} ${c.action}`)).toEqual([]);
    expect(drill.proxy.globalWrites().map((c) => `${c.service} ${c.action}`)).toEqual([]);
    expect(calls.map((c) => `${c.service} ${c.action}`).filter((c) => CREATES.test(c))).toEqual([]);
    expect(calls.map((c) => `${c.service} ${c.action}`)).toEqual(expect.arrayContaining(["rds PromoteReadReplica", "rds ModifyDBInstance"]));

    const journal = await drill.stateObject<Journal>(recoveryJournalKey(RECOVERY));
    expect(Object.fromEntries(Object.entries(journal.steps).map(([id, s]) => [id, s.status]))).toEqual({
      declare: "done",
      switch: "done",
      preflight: "done",
      synth: "done",
      "promote-database": "done",
      "database-credentials": "done",
      "scale-node-groups": "done",
      "deploy:application-us-east-2": "done",
      "deploy:workloads-us-east-2": "skipped",
      flux: "skipped",
      smoke: "skipped",
      "deploy:replication-us-east-2": "done",
    });

    const promoted = await describe();
    expect({ source: promoted.ReadReplicaSourceDBInstanceIdentifier, secret: promoted.MasterUserSecret?.SecretArn }).toEqual({
      source: undefined,
      secret: expect.stringMatching(new RegExp(`^arn:aws:secretsmanager:${RECOVERY}:\\d{12}:secret:rds!db-`)),
    });
    for (const group of drill.recoveryEnvironment().kubernetes.nodeGroups) {
      const { nodegroup } = await dr().eks.send(
        new DescribeNodegroupCommand({ clusterName: servingClusterName(drill.recoveryEnvironment()), nodegroupName: group.name }),
      );
      expect(nodegroup!.scalingConfig).toEqual({ minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize });
    }
    const report = await drill.newestReport();
    expect(report).toMatchObject({ region: RECOVERY, recoveryId: journal.recoveryId, verdict: "met" });
    drill.report.push(
      `  report: measured ${report.measuredMinutes} min against ${report.objectiveMinutes} (model of the warm standby on AWS: ${report.model?.criticalPathMinutes} min to serving)`,
    );
  });

  it("proves the data: the promoted stand-in replica holds every row committed before the loss, and takes writes", async () => {
    const rows = await drill.timed("warm standby: promote the stand-in replica and check it", () => standIn.promote());
    expect(rows).toBe(beforeLoss);
    drill.report.push(`  data: ${beforeLoss.split(" ")[0]} rows committed before the loss in the promoted replica, checksum ${beforeLoss.split(" ")[1]}`);
  });
}
