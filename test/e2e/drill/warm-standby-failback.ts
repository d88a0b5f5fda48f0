import * as fs from "fs";
import * as path from "path";
import { DescribeNodegroupCommand } from "@aws-sdk/client-eks";
import { DescribeDBInstanceAutomatedBackupsCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { servingClusterName, servingDatabaseIdentifier } from "../../../lib/environment";
import { parseStackId, stackId } from "../../../lib/naming";
import { databaseReplicaCheck } from "../../../lib/operations/checks/preflight/database-replica";
import { buildFailback, type FailbackStep } from "../../../lib/operations/failback";
import { probeDatabaseInstance } from "../../../lib/operations/probes/database-instance";
import { backupReplicationAddress, databaseResourceAddress } from "../../../lib/operations/stack-addresses";
import { PRIMARY, RECOVERY, type Drill } from "./context";
import type { WarmStandbyStandIn } from "./warm-standby";

/**
 * The warm standby's failback (issue 27, item 4), after its recovery: the steps of
 * `npx dr-platform failback us-east-2 us-east-1` run as printed against the emulator, through the
 * fault layer, as far as the emulator serves them. us-east-1 comes back and is fenced; its new
 * generation is made a cross-Region read replica of the promoted acme-us-east-2 (reverse
 * replication) in the subnet and parameter groups application-us-east-1 deployed, promoted, handed
 * the primary's identifier and imported into application-us-east-1's state; the gate passes; the
 * fences' application deploy runs; then the warm standby is armed again: the promoted instance steps
 * aside, a new read replica of us-east-1's database takes its name (application-us-east-2 deployed
 * again), the node groups go back to one node. The rows move on the stand-in, as RDS moves them: a
 * streaming replica of the promoted stand-in, promoted in the window. Not served by the emulator,
 * said where they are skipped: ReplicaLag (moto keeps no RDS metrics), the checksum comparison over
 * the instances' endpoints (moto's RDS holds no data: the stand-in's rows are compared instead),
 * kubectl (no cluster), the broker's definitions (no broker API), and the workloads stack
 * (Kubernetes provider).
 */
export function warmStandbyFailback(drill: Drill, standIn: WarmStandbyStandIn): void {
  const STAMP = "202612051200";
  const primaryDb = () => servingDatabaseIdentifier(drill.primaryEnvironment());
  const recoveryDb = () => servingDatabaseIdentifier(drill.recoveryEnvironment());
  const application = stackId("application", PRIMARY);
  let steps: readonly FailbackStep[] = [];
  /** The titles of the printed steps the drill ran. */
  const ran = new Set<string>();
  /** Why each printed step the drill does not run cannot run in the emulator. */
  const NOT_RUN: readonly [RegExp, string][] = [
    [
      /^Copy the assets written/,
      "not a tier's step: the DR drill's failback runs failback-copy-assets on the outage's objects; this drill writes none to the replica",
    ],
    [/^Maintenance window/, "kubectl: the emulator serves no cluster (the stand-in's writers stop instead)"],
    [/^Copy the last assets/, "not a tier's step: the DR drill's failback runs failback-copy-assets and its check"],
    [
      /^Wait until .*ReplicaLag 0/,
      "moto keeps no RDS metrics (gap rds-replica-lag): the stand-in's new generation is caught up by its replay position instead",
    ],
    [/^Verify: every table/, "moto's RDS holds no data and serves no endpoint: the stand-in's rows are compared by count and checksum instead"],
    [/^Re-import the broker definitions/, "the emulator serves no broker management API"],
    [/^Smoke checks/, "the emulator serves no site and no cluster"],
    [/^Environment files/, "comments, and a peacetime preflight whose database-replica row is checked above against the re-armed replica"],
  ];
  const step = (title: RegExp) => {
    const found = steps.find((s) => title.test(s.title));
    if (!found) throw new Error(`no failback step ${title}: ${steps.map((s) => s.title).join(" | ")}`);
    return found;
  };
  /** Each command of a printed step, in order; a printed `npx cdktf deploy <stack>` is the drill's deploy of that stack (the emulator's stacks only). */
  const runStep = async (title: RegExp) => {
    const skipped: string[] = [];
    ran.add(step(title).title);
    for (const line of step(title).commands) {
      if (/^(kubectl |aws eks update-kubeconfig )/.test(line)) {
        skipped.push(`${line.split(" ").slice(0, 3).join(" ")}: the emulator serves no cluster`);
        continue;
      }
      if (/^dig /.test(line)) {
        skipped.push(`${line}: the emulator answers no DNS (Route 53's data plane)`);
        continue;
      }
      const deploy = /^npx cdktf deploy (\S+)/.exec(line);
      if (deploy) {
        const layer = parseStackId(deploy[1])!.layer;
        if (layer === "workloads" || layer === "gitops") skipped.push(`${line}: the emulator serves no Kubernetes provider`);
        else await drill.deploy(`failback: ${deploy[1]}`, () => [deploy[1]]);
        continue;
      }
      const result = await drill.runPrinted(line);
      if (result.status !== 0) throw new Error(`failback step "${step(title).title}": ${line}\nexited ${result.status}:\n${result.output.slice(-3000)}`);
    }
    return skipped;
  };
  const describe = async (region: string, identifier: string) =>
    (await drill.direct(region).rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances![0];
  const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(drill.session.outDir, "stacks", stack, "cdk.tf.json"), "utf8"));

  beforeAll(() => {
    // As `npx dr-platform failback us-east-2 us-east-1` builds it from the synthesized stacks.
    const recoveryReplication = backupReplicationAddress(read(stackId("replication", RECOVERY)));
    steps = buildFailback(drill.primaryEnvironment(), drill.recoveryEnvironment(), {
      stamp: STAMP,
      databaseResourceAddress: databaseResourceAddress(read(application)),
      backupReplicationAddress: backupReplicationAddress(read(application)),
      recoveryAddresses:
        recoveryReplication === undefined
          ? undefined
          : { database: databaseResourceAddress(read(stackId("application", RECOVERY))), backupReplication: recoveryReplication },
    }).steps;
  });

  it("us-east-1 comes back and is fenced; its new generation is made a read replica of the promoted acme-us-east-2, as printed, and promoted with its own secret", async () => {
    drill.proxy.setDark([]);
    drill.proxy.reset();
    await drill.timed("warm failback: fence, reverse replica, promote", async () => {
      // The printed check, with the --apply its title names. Exit 3: actions not reachable, the
      // cluster's (the emulator serves none); every action in AWS is done.
      const [check] = step(/^Check that us-east-1 is fenced/).commands;
      ran.add(step(/^Check that us-east-1 is fenced/).title);
      const fenced = await drill.runPrinted(`${check} --apply`);
      drill.report.push(
        `  warm failback: ${check} --apply\n${fenced.output
          .replace(/^\(node[\s\S]*?--trace-warnings[^\n]*\n/, "")
          .trim()
          .replace(/^/gm, "    ")}`,
      );
      const actions = Object.fromEntries([...fenced.output.matchAll(/^(DONE|ALREADY DONE|NOT REACHABLE|FAILED)\s+.*\[(\w+)\]$/gm)].map((m) => [m[2], m[1]]));
      expect({ status: fenced.status, actions }).toEqual({
        status: 3,
        actions: {
          switch: "DONE",
          flux: "NOT REACHABLE",
          workloads: "NOT REACHABLE",
          cronjobs: "NOT REACHABLE",
          replication: "DONE",
          database: "DONE",
          record: "DONE",
        },
      });
      await runStep(/^Rebuild us-east-1's database as a cross-Region read replica/);
      const replica = await describe(PRIMARY, `${primaryDb()}-g2`);
      expect({ source: replica.ReadReplicaSourceDBInstanceIdentifier, subnetGroup: replica.DBSubnetGroup?.DBSubnetGroupName }).toEqual({
        source: expect.stringMatching(new RegExp(`^arn:aws:rds:${RECOVERY}:\\d{12}:db:${recoveryDb()}$`)),
        subnetGroup: primaryDb(),
      });
      await runStep(/^Promote /);
    });
    const promoted = await describe(PRIMARY, `${primaryDb()}-g2`);
    expect({
      source: promoted.ReadReplicaSourceDBInstanceIdentifier,
      secret: promoted.MasterUserSecret?.SecretArn,
      encrypted: promoted.StorageEncrypted,
    }).toEqual({
      source: undefined,
      secret: expect.stringMatching(new RegExp(`^arn:aws:secretsmanager:${PRIMARY}:\\d{12}:secret:rds!db-`)),
      encrypted: true,
    });
    expect((await describe(PRIMARY, primaryDb())).DBInstanceStatus).toBe("stopped");
    expect(drill.proxy.globalWrites().map((c) => `${c.service} ${c.action}`)).toEqual([]);
  });

  it("the rows come back: a streaming replica of the promoted stand-in, promoted in the window, holds the rows of before the loss and of the outage", async () => {
    const rows = await standIn.failBack();
    expect(rows).toEqual({ total: "5260", beforeLoss: "5000" });
    drill.report.push(
      `  warm failback: ${rows.total} rows back in us-east-1's promoted stand-in (${rows.beforeLoss} from before the loss, the rest written during the outage)`,
    );
  });

  it("hands the identifier to the new generation, adopts it in application-us-east-1's state; the gate passes; the fences' application deploy runs", async () => {
    await drill.timed("warm failback: hand the identifier over, import, gate, deploy", async () => {
      await runStep(/^Hand the identifier/);
      const [gate] = step(/^Gate:/).commands;
      ran.add(step(/^Gate:/).title);
      const result = await drill.runPrinted(gate);
      drill.report.push(`  warm failback: ${gate}\n${result.output.trim().replace(/^/gm, "    ")}`);
      expect({ status: result.status, verdict: result.output.split("\n").find((l) => l.startsWith("Plan gate:")) }).toEqual({
        status: 0,
        verdict: expect.stringMatching(/^Plan gate: PASS: /),
      });
      const skipped = await runStep(/^Lift the fences/);
      drill.report.push(`  warm failback: not run in the emulator: ${skipped.join("; ")}`);
    });
    const adopted = await describe(PRIMARY, primaryDb());
    expect({ source: adopted.ReadReplicaSourceDBInstanceIdentifier, secret: !!adopted.MasterUserSecret?.SecretArn }).toEqual({
      source: undefined,
      secret: true,
    });
    expect((await describe(PRIMARY, `${primaryDb()}-stale-${STAMP}`)).DBInstanceStatus).toBeDefined();
    const backups = ((await drill.direct(RECOVERY).rds.send(new DescribeDBInstanceAutomatedBackupsCommand({}))).DBInstanceAutomatedBackups ?? []).filter(
      (b) => b.Region === PRIMARY && b.DBInstanceAutomatedBackupsArn?.includes(":auto-backup:"),
    );
    expect(backups.map((b) => b.DbiResourceId)).toEqual([adopted.DbiResourceId]);
  });

  it("arms the warm standby again: the promoted acme-us-east-2 steps aside, a new read replica of us-east-1's database takes its name, the node groups back to one node", async () => {
    const skipped = await drill.timed("warm failback: arm the warm standby again", () => runStep(/^Arm the warm standby again/));
    drill.report.push(`  warm failback (re-arm): not run in the emulator: ${skipped.join("; ") || "nothing"}`);
    const rearmed = await describe(RECOVERY, recoveryDb());
    expect({ source: rearmed.ReadReplicaSourceDBInstanceIdentifier, encrypted: rearmed.StorageEncrypted }).toEqual({
      source: expect.stringMatching(new RegExp(`^arn:aws:rds:${PRIMARY}:\\d{12}:db:${primaryDb()}$`)),
      encrypted: true,
    });
    expect((await describe(RECOVERY, `${recoveryDb()}-stale-${STAMP}`)).DBInstanceStatus).toBe("stopped");
    for (const group of drill.recoveryEnvironment().kubernetes.nodeGroups) {
      const { nodegroup } = await drill
        .direct(RECOVERY)
        .eks.send(new DescribeNodegroupCommand({ clusterName: servingClusterName(drill.recoveryEnvironment()), nodegroupName: group.name }));
      expect(nodegroup!.scalingConfig).toEqual({ minSize: 1, maxSize: group.maxSize, desiredSize: 1 });
    }
    // The re-armed replica, as the peacetime preflight's database-replica row reads it.
    const found = await probeDatabaseInstance(drill.direct(RECOVERY).rds, recoveryDb(), RECOVERY);
    expect(databaseReplicaCheck(drill.recoveryEnvironment(), drill.primaryEnvironment(), found, false)).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(new RegExp(`^${recoveryDb()} \\(status available\\) follows arn:aws:rds:${PRIMARY}:\\d{12}:db:${primaryDb()}: `)),
    });
    expect(drill.proxy.globalWrites().map((c) => `${c.service} ${c.action}`)).toEqual([]);
  });

  it("returns the site with the operator's switch (a CloudWatch write in us-east-2, no Route 53 write), and names every printed step it could not run, with why", async () => {
    const switches = () => drill.proxy.callsTo(RECOVERY).filter((c) => c.service === "monitoring" && c.action === "PutMetricData").length;
    const before = switches();
    const skipped = await runStep(/^Return the site/);
    expect(switches()).toBe(before + 1);
    expect(drill.proxy.globalWrites().map((c) => `${c.service} ${c.action}`)).toEqual([]);
    const notRun = steps.filter((s) => !ran.has(s.title)).map((s) => ({ title: s.title, why: NOT_RUN.find(([title]) => title.test(s.title))?.[1] }));
    drill.report.push(
      `  warm failback: ${steps.length - notRun.length} of ${steps.length} printed steps run (${skipped.join("; ")}); not run:`,
      ...notRun.map((s) => `    ${s.title}: ${s.why}`),
    );
    expect(notRun.filter((s) => s.why === undefined)).toEqual([]);
    expect(notRun).toHaveLength(NOT_RUN.length);
  });
}
