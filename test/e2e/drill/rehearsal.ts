import * as fs from "fs";
import * as path from "path";
import { ListClustersCommand } from "@aws-sdk/client-eks";
import { DescribeSecurityGroupsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { ListPoliciesCommand, ListRolesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { ListAliasesCommand } from "@aws-sdk/client-kms";
import { ListBrokersCommand } from "@aws-sdk/client-mq";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { ListHostedZonesCommand, ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { recoveryJournalKey, recoveryRunKey, stackId } from "../../../lib/naming";
import type { Journal } from "../../../lib/recovery/journal";
import { readStackState } from "../../../lib/tooling/sandbox-state";
import { REPO } from "../../support/run";
import { tempDir } from "../../support/temp";
import { PRIMARY, RECOVERY, rowsById, type Drill } from "./context";

const REHEARSAL = recoveryRunKey(RECOVERY, "rehearsal");
const TEARDOWN = recoveryRunKey(RECOVERY, "rehearsal-teardown");
const LAYERS = ["networking", "application", "kubernetes", "gitops", "workloads"] as const;

/**
 * The shipped environments with the recovery's file asking for its rehearsal generation
 * (`rehearsal: true`), as an operator enables rehearsals: the file edited, nothing else. The
 * copies import the package's build, as a private fork's environment files would.
 */
function rehearsalEnvironments(): string {
  const dir = path.join(tempDir("dr-rehearsal-environments-"), "environments");
  fs.mkdirSync(dir);
  for (const file of fs.readdirSync(path.join(REPO, "environments"))) {
    let text = fs
      .readFileSync(path.join(REPO, "environments", file), "utf8")
      .replace('from "../lib/environment"', `from ${JSON.stringify(path.join(REPO, "dist/lib/environment"))}`);
    if (file === `${RECOVERY}.ts`) {
      if (!/^ {2}tags:/m.test(text)) throw new Error(`the drill expected a top-level tags field in environments/${file}`);
      text = text.replace(/^ {2}tags:/m, "  rehearsal: true,\n  tags:");
    }
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/**
 * Everything that has a name in the emulator's account, as `<kind> <region> <name>` lines: what a
 * rehearsal makes and its teardown must remove, and what it must not touch. KMS keys are seen by
 * their aliases (a key waits at least 7 days for its deletion; its alias goes at once).
 */
async function inventory(drill: Drill): Promise<string[]> {
  const lines: string[] = [];
  const global = drill.direct(RECOVERY);
  for (const b of (await global.s3.send(new ListBucketsCommand({}))).Buckets ?? []) lines.push(`bucket - ${b.Name}`);
  for (const r of (await global.iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles ?? []) lines.push(`role - ${r.RoleName}`);
  for (const u of (await global.iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users ?? []) lines.push(`user - ${u.UserName}`);
  for (const p of (await global.iam.send(new ListPoliciesCommand({ Scope: "Local", MaxItems: 1000 }))).Policies ?? []) lines.push(`policy - ${p.PolicyName}`);
  for (const zone of (await global.route53.send(new ListHostedZonesCommand({}))).HostedZones ?? []) {
    for (const r of (await global.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }))).ResourceRecordSets ?? [])
      lines.push(`record - ${r.Name} ${r.Type} ${r.SetIdentifier ?? ""} ${r.AliasTarget?.DNSName ?? ""}`);
  }
  for (const region of [PRIMARY, RECOVERY, "us-west-2"]) {
    const aws = drill.direct(region);
    for (const d of (await aws.rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []) lines.push(`database ${region} ${d.DBInstanceIdentifier}`);
    for (const b of (await aws.mq.send(new ListBrokersCommand({}))).BrokerSummaries ?? []) lines.push(`broker ${region} ${b.BrokerName}`);
    for (const c of (await aws.eks.send(new ListClustersCommand({}))).clusters ?? []) lines.push(`cluster ${region} ${c}`);
    for (const a of (await aws.kms.send(new ListAliasesCommand({}))).Aliases ?? [])
      if (!a.AliasName!.startsWith("alias/aws/")) lines.push(`alias ${region} ${a.AliasName}`);
    for (const s of (await aws.secrets.send(new ListSecretsCommand({}))).SecretList ?? []) lines.push(`secret ${region} ${s.Name}`);
    for (const v of (await aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []) lines.push(`vpc ${region} ${v.VpcId} ${v.CidrBlock}`);
    for (const g of (await aws.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []) lines.push(`security-group ${region} ${g.GroupName}`);
  }
  return lines.sort();
}

/**
 * A rehearsal (issue 29 item 4), on the peacetime deployment with us-east-1 up and serving: the
 * on-call's command (`npm run sandbox -- rehearse us-east-2`, the CLI's executor with the emulator
 * as the target) builds the rehearsal generation from the primary's replicated backups and moves no
 * traffic; its report stays in the archive bucket; `--teardown` removes exactly what it made. Resource
 * lists before and after are compared: the rehearsal leaves nothing, and touches nothing else.
 */
export function rehearsal(drill: Drill): void {
  const environments = rehearsalEnvironments();
  const env = { DR_ENVIRONMENTS_DIR: environments };
  let before: string[] = [];

  it("rehearses us-east-2 with npm run sandbox -- rehearse: the rehearsal generation built, no Route 53 write, no write to us-east-1, a report kept", async () => {
    before = await inventory(drill);
    const calls = drill.proxy.calls().length;
    const run = await drill.timed("rehearse: npm run sandbox -- rehearse us-east-2 --yes", () =>
      drill.sandboxRecover(["--yes"], { command: ["rehearse", RECOVERY], env }),
    );
    drill.report.push(`  rehearse:\n${run.stderr.replace(/^/gm, "    ")}`);
    expect({ status: run.status, tail: run.stderr.split("\n").slice(-12).join("\n") }).toMatchObject({ status: 0 });

    // No traffic moved and the primary untouched: no Route 53 write, no write signed for us-east-1.
    const during = drill.proxy.calls().slice(calls);
    expect(during.filter((c) => c.service === "route53" && c.write).map((c) => c.action)).toEqual([]);
    expect(during.filter((c) => c.region === PRIMARY && c.write).map((c) => `${c.service} ${c.action}`)).toEqual([]);

    // Its journal is its own (never the real recovery's), every step done or skipped by the emulator with its reason.
    const journal = await drill.stateObject<Journal>(recoveryJournalKey(REHEARSAL));
    expect(Object.fromEntries(Object.entries(journal.steps).map(([id, s]) => [id, s.status]))).toEqual({
      declare: "done",
      preflight: "done",
      synth: "done",
      [`deploy:${stackId("networking", RECOVERY, 1, true)}`]: "done",
      [`deploy:${stackId("application", RECOVERY, 1, true)}`]: "done",
      [`deploy:${stackId("kubernetes", RECOVERY, 1, true)}`]: "done",
      [`deploy:${stackId("gitops", RECOVERY, 1, true)}`]: "skipped",
      [`deploy:${stackId("workloads", RECOVERY, 1, true)}`]: "skipped",
      flux: "skipped",
      smoke: "skipped",
    });
    await expect(drill.stateObject(recoveryJournalKey(RECOVERY))).rejects.toThrow();

    // What it made: the rehearsal's own database, broker and cluster beside nothing of the real recovery's day.
    const now = await inventory(drill);
    const made = now.filter((line) => !before.includes(line));
    for (const line of [
      `database ${RECOVERY} acme-rehearsal-${RECOVERY}`,
      `broker ${RECOVERY} acme-rehearsal-${RECOVERY}`,
      `cluster ${RECOVERY} acme-rehearsal-${RECOVERY}`,
    ])
      expect(made).toContain(line);
    // Everything it made carries the rehearsal's name (a VPC and its security groups are known by
    // id or "default"; RDS names the master password secret it keeps for the restored database).
    expect(made.filter((line) => !line.includes("acme-rehearsal") && !/^(vpc|security-group) |^secret \S+ rds!db-/.test(line))).toEqual([]);
    // Nothing that stood before is gone.
    expect(before.filter((line) => !now.includes(line))).toEqual([]);

    // The evidence, in the primary's archive bucket in us-east-2 under the rehearsal's key.
    const report = await drill.newestReport(REHEARSAL);
    expect(report).toMatchObject({ region: RECOVERY, scenario: "rehearsal", recoveryId: journal.recoveryId, objectiveMinutes: 120 });
    expect(report.recoveryPoints.map((r) => r.store)).toContain("database backups");
    expect(report.measuredMinutes).toBeLessThan(120);
    // status shows it, for the recovery whose file enables rehearsals.
    const row = rowsById(await drill.status({ ...drill.recoveryEnvironment(), rehearsal: true })).rehearsals;
    expect(row).toMatchObject({ store: "rehearsals", verdict: "met", target: "92 days" });
    expect(row.detail).toContain(`reports/${REHEARSAL}/${journal.recoveryId}/report.json`);
    expect(rowsById(await drill.status()).rehearsals).toBeUndefined();
    drill.report.push(
      `  rehearsal of ${RECOVERY}: measured ${report.measuredMinutes} min against ${report.objectiveMinutes}; ${made.length} resources made, 0 Route 53 writes, 0 writes to ${PRIMARY}`,
    );
  });

  it("tears it down with rehearse --teardown: everything it made is gone, nothing else changed, the report stays", async () => {
    const run = await drill.timed("rehearse --teardown", () => drill.sandboxRecover(["--teardown", "--yes"], { command: ["rehearse", RECOVERY], env }));
    drill.report.push(`  rehearse --teardown:\n${run.stderr.replace(/^/gm, "    ")}`);
    expect({ status: run.status, tail: run.stderr.split("\n").slice(-12).join("\n") }).toMatchObject({ status: 0 });
    const journal = await drill.stateObject<Journal>(recoveryJournalKey(TEARDOWN));
    const served = ["networking", "application", "kubernetes"];
    expect(Object.fromEntries(Object.entries(journal.steps).map(([id, s]) => [id, s.status]))).toEqual({
      synth: "done",
      ...Object.fromEntries(LAYERS.map((l) => [`list:${stackId(l, RECOVERY, 1, true)}`, served.includes(l) ? "done" : "skipped"])),
      confirm: "done",
      ...Object.fromEntries(LAYERS.map((l) => [`destroy:${stackId(l, RECOVERY, 1, true)}`, served.includes(l) ? "done" : "skipped"])),
    });
    // The list step printed what was deleted: the rehearsal's database among it.
    const log = fs.readFileSync(path.join(drill.session.dir, "recover", TEARDOWN, "logs", `list_${stackId("application", RECOVERY, 1, true)}.log`), "utf8");
    expect(log).toMatch(/^aws_db_instance\.database_resource_/m);

    expect(await inventory(drill)).toEqual(before);
    // Its states are empty; the real recovery's day stacks were never deployed.
    for (const layer of served) {
      const state = await readStackState(drill.session, stackId(layer as (typeof LAYERS)[number], RECOVERY, 1, true));
      expect([layer, state?.resources ?? []]).toEqual([layer, []]);
    }
    expect(await readStackState(drill.session, stackId("application", RECOVERY))).toBeUndefined();
    expect((await drill.newestReport(REHEARSAL)).scenario).toBe("rehearsal");
    drill.report.push(`  teardown: every resource of the rehearsal generation deleted; the account's resource list equals the one before the rehearsal`);
  });
}
