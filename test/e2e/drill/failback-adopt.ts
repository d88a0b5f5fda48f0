import * as fs from "fs";
import * as path from "path";
import { DescribeDBInstanceAutomatedBackupsCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { regionalNames, stackId } from "../../../lib/naming";
import { buildFailback, type FailbackStep } from "../../../lib/operations/failback";
import { backupReplicationAddress, databaseResourceAddress } from "../../../lib/operations/stack-addresses";
import { PRIMARY, RECOVERY, type Drill } from "./context";

/**
 * The failback that adopts (issue 25, drill 6(c)), after the failback above: the database steps of
 * `npx dr-platform failback us-east-2 us-east-1` run as printed against the emulator, through the
 * fault layer: the recovered instance snapshotted in us-east-2, the snapshot copied to us-east-1 on
 * the primary's data key, restored as generation 2 with an RDS-managed password, handed the
 * primary's identifier, imported into application-us-east-1's state; then the gate the procedure
 * prints (`plan-gate application-us-east-1`) passes: the plan replaces nothing stateful. The rows
 * themselves moved in the failback above (moto's RDS holds no data). The AWS CLI reaches the
 * emulator (its --endpoint-url), `npx dr-platform` is the package's bin (dist/cli/main.js).
 */
export function failbackAdopt(drill: Drill): void {
  const STAMP = "202612021200";
  const primaryDb = regionalNames("acme", PRIMARY).database;
  const application = stackId("application", PRIMARY);
  let steps: readonly FailbackStep[] = [];
  const step = (title: RegExp) => {
    const found = steps.find((s) => title.test(s.title));
    if (!found) throw new Error(`no failback step ${title}: ${steps.map((s) => s.title).join(" | ")}`);
    return found;
  };

  const runStep = async (title: RegExp) => {
    for (const line of step(title).commands) {
      const result = await drill.runPrinted(line);
      if (result.status !== 0) throw new Error(`failback step "${step(title).title}": ${line}\nexited ${result.status}:\n${result.output.slice(-3000)}`);
    }
  };
  const describe = async (identifier: string) =>
    (await drill.direct(PRIMARY).rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances![0];

  beforeAll(() => {
    const stack = JSON.parse(fs.readFileSync(path.join(drill.session.outDir, "stacks", application, "cdk.tf.json"), "utf8"));
    steps = buildFailback(drill.primaryEnvironment(), drill.recoveryEnvironment(), {
      stamp: STAMP,
      databaseResourceAddress: databaseResourceAddress(stack),
      backupReplicationAddress: backupReplicationAddress(stack),
    }).steps;
  });

  it("snapshots the recovered database, copies it to us-east-1 on the primary's data key and restores generation 2 with an RDS-managed password, as printed", async () => {
    await drill.timed("failback: snapshot, copy and restore the database", async () => {
      await runStep(/^Snapshot the recovered database/);
      await runStep(/^Copy the snapshot to us-east-1/);
      await runStep(/^Restore it in us-east-1 as the new generation/);
    });
    const restored = await describe(`${primaryDb}-g2`);
    const dataKey = (await drill.direct(PRIMARY).kms.send(new DescribeKeyCommand({ KeyId: regionalNames("acme", PRIMARY).dataKeyAlias }))).KeyMetadata!.Arn;
    expect({ key: restored.KmsKeyId, encrypted: restored.StorageEncrypted, managedPassword: !!restored.MasterUserSecret?.SecretArn }).toEqual({
      key: dataKey,
      encrypted: true,
      managedPassword: true,
    });
    // The recovery's snapshot was on us-east-2's key; the copy is on the primary's.
    const recovered = (
      await drill.direct(RECOVERY).rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: regionalNames("acme", RECOVERY).database }))
    ).DBInstances![0];
    expect(restored.KmsKeyId).not.toEqual(recovered.KmsKeyId);
  });

  /** The replications of us-east-1's automated backups into us-east-2, by the source's resource id (moto serves them: MOTO_FIXES). */
  const replications = async () =>
    ((await drill.direct(RECOVERY).rds.send(new DescribeDBInstanceAutomatedBackupsCommand({}))).DBInstanceAutomatedBackups ?? [])
      .filter((b) => b.Region === PRIMARY && b.DBInstanceAutomatedBackupsArn?.includes(":auto-backup:"))
      .map((b) => ({ resourceId: b.DbiResourceId, status: b.Status }));

  it("hands the identifier to generation 2 and adopts it into application-us-east-1's state; the gate then passes: nothing stateful replaced", async () => {
    const stale = await describe(primaryDb);
    expect(await replications()).toEqual([{ resourceId: stale.DbiResourceId, status: "replicating" }]);
    await drill.timed("failback: hand the identifier over and import", () => runStep(/^Hand the identifier/));
    // The stale instance's backups no longer replicate (stopped before its rename, by Terraform).
    expect(await replications()).toEqual([]);
    const adopted = await describe(primaryDb);
    expect((await describe(`${primaryDb}-stale-${STAMP}`)).DBInstanceStatus).toBeDefined();
    const state = await drill.runInStack(application, [
      "state",
      "show",
      "-no-color",
      databaseResourceAddress(JSON.parse(fs.readFileSync(path.join(drill.session.outDir, "stacks", application, "cdk.tf.json"), "utf8"))),
    ]);
    expect(state.output).toMatch(new RegExp(`\\n\\s*resource_id\\s+= "${adopted.DbiResourceId}"\\n`));

    const [gate] = step(/^Gate:/).commands;
    expect(gate).toBe(`npx dr-platform plan-gate ${application}`);
    const result = await drill.timed("failback: plan gate of application-us-east-1", () => drill.runPrinted(gate));
    drill.report.push(`  failback: ${gate}\n${result.output.trim().replace(/^/gm, "    ")}`);
    expect({ status: result.status, verdict: result.output.split("\n").find((l) => l.startsWith("Plan gate:")) }).toEqual({
      status: 0,
      verdict: expect.stringMatching(/^Plan gate: PASS: application-us-east-1's plan /),
    });
    expect(result.output).not.toMatch(/aws_db_instance\.[^ ]+ \(replace/);
    expect(result.output).toMatch(/\n {2}\+ aws_db_instance_automated_backups_replication\.\S+ \(create\)\n/);

    // The fences' application deploy (the failback's next printed deploy) starts the replication of the adopted instance.
    await drill.deploy("failback: application-us-east-1 (the replication follows the adopted instance)", () => [application]);
    expect(await replications()).toEqual([{ resourceId: adopted.DbiResourceId, status: "replicating" }]);
  });
}
