import * as fs from "fs";
import * as path from "path";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { DescribeBrokerCommand, ListBrokersCommand } from "@aws-sdk/client-mq";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { GetBucketLocationCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { recoveryJournalKey, regionalNames, roleArn, stackId } from "../../../lib/naming";
import { formatStatus, statusExitCode } from "../../../lib/operations/status";
import { verifyArchive } from "../../../lib/operations/verify-backup";
import type { Journal } from "../../../lib/recovery/journal";
import { readStackState } from "../../../lib/tooling/sandbox-state";
import { outcome } from "../../support/aws";
import { ARCHIVES, ASSETS, PRIMARY, RECOVERY, REPLICA, recoveryNames, rowsById, type Drill } from "./context";

/**
 * The region outage: us-east-1 goes dark (the fault layer refuses every call signed for one of its
 * regional services, as a dead endpoint would; nothing is deleted), and us-east-2 is recovered by
 * the on-call's command, `npm run sandbox -- recover us-east-2` (the same plan, executor, journal
 * and report as `npx dr-platform recover`), which must make zero calls to us-east-1 and zero
 * IAM/Route 53 writes; the newest archive is restored into a fresh PostgreSQL and every row written
 * before it is proven there by checksum.
 */
export function regionOutage(drill: Drill): void {
  const primary = () => drill.direct(PRIMARY);
  const dr = () => drill.direct(RECOVERY);

  it("loses us-east-1: every call signed for its regional services is refused, nothing is deleted", async () => {
    drill.proxy.setDark([PRIMARY]);
    drill.proxy.reset();
    const through = drill.through(PRIMARY);
    expect(await outcome(() => through.s3.send(new GetObjectCommand({ Bucket: ASSETS, Key: "images/logo.png" })))).not.toBe("ok");
    // Dark, not empty: the data is still in the emulator, as it is in a region that comes back.
    expect(await drill.read(primary(), ASSETS, "images/logo.png")).toBe("logo");
    drill.proxy.reset();
  });

  it("recovers us-east-2 with npm run sandbox -- recover (the on-call's executor): zero calls to us-east-1, zero IAM or Route 53 writes, a report in the archive bucket", async () => {
    const started = Date.now();
    const run = await drill.timed("recover: npm run sandbox -- recover us-east-2 --yes", () => drill.sandboxRecover(["--yes"]));
    drill.report.push(`  recover (run 1):\n${run.stderr.replace(/^/gm, "    ")}`);
    expect({ status: run.status, tail: run.stderr.split("\n").slice(-12).join("\n") }).toMatchObject({ status: 0 });
    const lostRegionCalls = drill.proxy.callsTo(PRIMARY);
    const globalWrites = drill.proxy.globalWrites();
    drill.report.push(
      `  recovery of ${RECOVERY}: ${lostRegionCalls.length} calls to ${PRIMARY}, ${globalWrites.length} IAM/Route 53 writes, ${drill.proxy.calls().length} calls in all, wall ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(lostRegionCalls.map((c) => `${c.service} ${c.action}`)).toEqual([]);
    expect(globalWrites.map((c) => `${c.service} ${c.action}`)).toEqual([]);
    expect(drill.proxy.calls().length).toBeGreaterThan(0);
    // The failover switch was flipped in the recovery's own region: a CloudWatch write, no Route 53 one (counted above).
    expect(
      drill.proxy
        .callsTo(RECOVERY)
        .filter((c) => c.service === "monitoring")
        .map((c) => c.action),
    ).toContain("PutMetricData");

    // The journal in the state bucket: every step done, or skipped by the emulator with its reason.
    const journal = await drill.stateObject<Journal>(recoveryJournalKey(RECOVERY));
    const steps = Object.fromEntries(Object.entries(journal.steps).map(([id, s]) => [id, s.status]));
    expect(steps).toEqual({
      declare: "done",
      switch: "done",
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
    // Its local copy is the sandbox's own (never the project's .dr-platform/, where a leftover would be resumed).
    const local = JSON.parse(fs.readFileSync(path.join(drill.session.dir, "recover", RECOVERY, "journal.json"), "utf8")) as Journal;
    expect(local.recoveryId).toBe(journal.recoveryId);
    // The report, read back from the emulator's archive bucket (Object Lock keeps it).
    const recovered = await drill.newestReport();
    expect(recovered).toMatchObject({ region: RECOVERY, recoveryId: journal.recoveryId, verdict: "met", objectiveMinutes: 120 });
    // `status`'s rows at the start, the scheduled restore tests' included (how recently an archive,
    // and the RDS backups, since the shipped primary runs the point-in-time test, were proven restorable),
    // and the vault's (the shipped primary has a vault account).
    expect(recovered.recoveryPoints.map((r) => r.store)).toEqual([
      "database backups",
      "database archives",
      "restore tests",
      "RDS restore tests",
      "assets",
      "broker definitions",
      "SOPS replica key",
      "vault replication",
      "vault copy of the newest archive",
      "vault copy of the database snapshots",
    ]);
    expect(recovered.measuredMinutes).toBeLessThan(120);
    drill.report.push(
      `  report: measured ${recovered.measuredMinutes} min against ${recovered.objectiveMinutes} (model ${recovered.model?.criticalPathMinutes} min); not measured: ${recovered.notMeasured.length} steps the emulator cannot serve`,
    );
  });

  it("adopts a restore that outlived Terraform's wait, and a run interrupted in the middle of a stack is resumed by the next, which redeploys nothing done", async () => {
    // The restored instance is in AWS but not in the state, as after a create that timed out.
    const application = stackId("application", RECOVERY);
    const address = `aws_db_instance.${Object.keys(JSON.parse(fs.readFileSync(path.join(drill.session.outDir, "stacks", application, "cdk.tf.json"), "utf8")).resource.aws_db_instance)[0]}`;
    const rm = await drill.runInStack(application, ["state", "rm", "-no-color", address]);
    expect(rm.status === 0 ? "removed" : rm.output.trim()).toBe("removed");
    expect(((await readStackState(drill.session, application))?.resources ?? []).filter((r) => r.type === "aws_db_instance")).toEqual([]);

    // Run 2 restarts from the application stack and is stopped (Ctrl-C) while replication-us-east-2 deploys.
    const interrupted = await drill.timed("recover: a run interrupted in the middle of a stack", () =>
      drill.sandboxRecover(["--yes", "--from", `deploy:${application}`], { interruptAt: "start  11. deploy:replication-us-east-2" }),
    );
    drill.report.push(`  recover (run 2, interrupted):\n${interrupted.stderr.replace(/^/gm, "    ")}`);
    expect(interrupted.status).toBe(3);
    let journal = await drill.stateObject<Journal>(recoveryJournalKey(RECOVERY));
    expect(journal.steps[`deploy:${application}`]).toMatchObject({
      status: "done",
      attempts: 2,
      outputs: { adopted: expect.stringMatching(/^acme-us-east-2: imported /) },
    });
    expect(journal.steps["deploy:replication-us-east-2"]).toMatchObject({ status: "failed", detail: expect.stringMatching(/^interrupted: /) });
    expect(journal.runs.map((r) => r.outcome)).toEqual(["completed", "interrupted"]);

    // Run 3 resumes at the interrupted stack and starts nothing else.
    const resumed = await drill.timed("recover: the next run resumes", () => drill.sandboxRecover(["--yes"]));
    drill.report.push(`  recover (run 3, resumed):\n${resumed.stderr.replace(/^/gm, "    ")}`);
    expect(resumed.status).toBe(0);
    journal = await drill.stateObject<Journal>(recoveryJournalKey(RECOVERY));
    expect(journal.runs.map((r) => [r.outcome, r.started])).toEqual([
      ["completed", expect.any(Array)],
      ["interrupted", [`deploy:${application}`, "deploy:workloads-us-east-2", "flux", "smoke", "deploy:replication-us-east-2"]],
      ["completed", ["deploy:replication-us-east-2"]],
    ]);
    expect(journal.steps[`deploy:${application}`].attempts).toBe(2);
    expect(journal.steps["deploy:kubernetes-us-east-2"].attempts).toBe(1);
    // Whether the stopped Terraform left its state lock depends on where Ctrl-C found it; if it did, run 3 released it.
    drill.report.push(`  run 3's state lock: ${journal.steps["deploy:replication-us-east-2"].outputs?.released ?? "none was left by run 2"}`);
    expect(((await readStackState(drill.session, application))?.resources ?? []).filter((r) => r.type === "aws_db_instance")).toHaveLength(1);
    expect(drill.proxy.callsTo(PRIMARY)).toEqual([]);
    expect((await drill.newestReport()).runs).toHaveLength(3);
  });

  it("proves the data: the newest archive restores into a fresh PostgreSQL with every row, by checksum", async () => {
    drill.pg.createDatabase("restored");
    const through = drill.through(RECOVERY);
    const result = await drill.timed("restore the newest archive and check it", () =>
      verifyArchive({ bucket: ARCHIVES, database: "app", targetUrl: drill.pg.url("restored"), pgBinDir: drill.pg.binDir }, { s3: through.s3 }),
    );
    expect(result.differences).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.manifest.tables.map((t) => `${t.table} ${t.rows}`).sort()).toEqual(["orders 5000", "pages 2"]);
    // Independently of the manifest: the restored rows equal the written ones.
    const sum = (db: string) => drill.pg.psql("SELECT count(*), sum(cents), md5(string_agg(id || customer, ',' ORDER BY id)) FROM orders", db).trim();
    expect(sum("restored")).toBe(sum("app"));
    expect(result.recoveryPoint.getTime()).toBeGreaterThanOrEqual(drill.lastWriteBeforeArchive.getTime() - 1000);
    drill.report.push(
      `  data: recovery point ${result.recoveryPoint.toISOString()} (last write before the archive ${drill.lastWriteBeforeArchive.toISOString()}), restore ${result.restoreSeconds?.toFixed(2)} s`,
    );
    expect(drill.proxy.callsTo(PRIMARY)).toEqual([]);
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
    expect(await readStackState(drill.session, stackId("application", RECOVERY))).toBeDefined();
  });
  it("status with us-east-1 dark: the archive still meets its target; the assets row says what the replica holds", async () => {
    const result = await drill.timed("status (us-east-1 dark)", () => drill.status());
    drill.report.push(`  status with us-east-1 dark:\n${formatStatus(result).replace(/^/gm, "    ")}`);
    const row = rowsById(result);
    expect(row["database-archives"]).toMatchObject({ verdict: "met" });
    expect(row.assets.verdict).toBe("unknown");
    expect(row.assets.gap).toBeUndefined();
    expect(row.assets.detail).toContain(`the replica ${REPLICA} holds`);
    expect(statusExitCode(result)).toBe(1);
  });
}
