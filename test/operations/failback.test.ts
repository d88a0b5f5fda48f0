import * as fs from "fs";
import * as path from "path";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import { buildFailback, checkFailbackPair, failbackStamp, formatFailback } from "../../lib/operations/failback";
import { backupReplicationAddress, databaseResourceAddress } from "../../lib/operations/stack-addresses";
import { cdktfCommands, cdktfRefusal } from "../support/cdktf-selection";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

const shipped = shippedEnvironments().map((l) => l.environment);
const { primary, recovery } = checkFailbackPair("us-east-2", "us-east-1", shipped);
const outdir = path.join(tempDir("failback-"), "cdktf.out");
synthShipped(outdir);
const stackJson = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/application-us-east-1/cdk.tf.json"), "utf8"));
const address = databaseResourceAddress(stackJson);
const replication = backupReplicationAddress(stackJson);
const failback = buildFailback(primary, recovery, { stamp: "202611211530", databaseResourceAddress: address, backupReplicationAddress: replication });
const step = (title: RegExp) => {
  const found = failback.steps.filter((s) => title.test(s.title));
  if (found.length !== 1) throw new Error(`expected one step matching ${title} (got ${found.length})`);
  return found[0];
};

describe("failback procedure for the shipped environments (us-east-2 -> us-east-1)", () => {
  it("names the synthesized database resource of application-us-east-1, and its backups' replication", () => {
    expect(address).toMatch(/^aws_db_instance\.database_resource_[0-9A-F]{8}$/);
    expect(replication).toMatch(/^aws_db_instance_automated_backups_replication\.database_backup-replication_[0-9A-F]{8}$/);
  });

  it("orders the steps: fence check, assets, freeze, last assets, database, broker, fences lifted, DNS, stand down, environment files", () => {
    expect(failback.steps.map((s) => s.title.split(":")[0].split(" ").slice(0, 3).join(" "))).toEqual([
      "Check that us-east-1",
      "Copy the assets",
      "Maintenance window",
      "Copy the last",
      "Snapshot the recovered",
      "Copy the snapshot",
      "Restore it in",
      "Verify",
      "Hand the identifier",
      "Gate",
      "Re-import the broker",
      "Lift the fences",
      "Return the site",
      "Smoke checks",
      "Stand us-east-2 down",
      "Environment files",
    ]);
    expect(failback.manualSteps).toBe(6);
  });

  it("checks the fence and copies the assets with the sub-command, ending with the completion check", () => {
    expect(failback.steps[0].commands).toEqual(["npx dr-platform fence us-east-1"]);
    expect(failback.steps[1].commands).toEqual(["npx dr-platform failback-copy-assets us-east-2 us-east-1 --apply"]);
    expect(step(/^Copy the last assets/).commands).toEqual([
      "npx dr-platform failback-copy-assets us-east-2 us-east-1 --apply",
      "npx dr-platform failback-copy-assets us-east-2 us-east-1",
    ]);
    expect(step(/^Copy the last assets/).title).toBe(
      "Copy the last assets and check that every object of acme-dr-assets-us-east-1 is in acme-assets-us-east-1",
    );
  });

  it("snapshots acme-us-east-2, copies it to us-east-1 by ARN and restores generation 2 with the primary's settings", () => {
    expect(step(/^Snapshot/).commands).toEqual([
      "aws rds create-db-snapshot --region us-east-2 --db-instance-identifier acme-us-east-2 --db-snapshot-identifier acme-us-east-2-failback-202611211530",
      "aws rds wait db-snapshot-available --region us-east-2 --db-snapshot-identifier acme-us-east-2-failback-202611211530",
    ]);
    expect(step(/^Copy the snapshot/).commands).toEqual([
      "aws rds copy-db-snapshot --region us-east-1 --source-region us-east-2 --source-db-snapshot-identifier arn:aws:rds:us-east-2:123456789012:snapshot:acme-us-east-2-failback-202611211530 --target-db-snapshot-identifier acme-us-east-1-failback-202611211530 --kms-key-id alias/acme-data-us-east-1 --copy-tags",
      "aws rds wait db-snapshot-available --region us-east-1 --db-snapshot-identifier acme-us-east-1-failback-202611211530",
    ]);
    expect(step(/^Restore it/).title).toBe("Restore it in us-east-1 as the new generation acme-us-east-1-g2, beside the stale acme-us-east-1");
    expect(step(/^Restore it/).commands).toEqual([
      "aws rds restore-db-instance-from-db-snapshot --region us-east-1 --db-instance-identifier acme-us-east-1-g2 --db-snapshot-identifier acme-us-east-1-failback-202611211530 " +
        "--db-instance-class db.r6g.large --db-subnet-group-name acme-us-east-1 --db-parameter-group-name acme-us-east-1-postgres16 " +
        "--vpc-security-group-ids $(aws ec2 describe-security-groups --region us-east-1 --filters Name=group-name,Values=acme-us-east-1-postgres --query 'SecurityGroups[0].GroupId' --output text) " +
        // The RDS-managed master password, as the primary's stack declares (manage_master_user_password).
        "--multi-az --no-publicly-accessible --deletion-protection --copy-tags-to-snapshot --manage-master-user-password",
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1-g2",
    ]);
  });

  it("hands the identifier to the new generation and adopts it in Terraform by the synthesized address", () => {
    expect(step(/^Hand the identifier/).commands).toEqual([
      // An import triggers no replace_triggered_by: the stale instance's replication is stopped while its name is still acme-us-east-1.
      `cd cdktf.out/stacks/application-us-east-1 && terraform init -input=false && terraform apply -destroy -auto-approve -input=false -target=${replication}`,
      "aws rds start-db-instance --region us-east-1 --db-instance-identifier acme-us-east-1",
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1",
      "aws rds modify-db-instance --region us-east-1 --db-instance-identifier acme-us-east-1 --new-db-instance-identifier acme-us-east-1-stale-202611211530 --apply-immediately",
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1-stale-202611211530",
      "aws rds modify-db-instance --region us-east-1 --db-instance-identifier acme-us-east-1-g2 --new-db-instance-identifier acme-us-east-1 --apply-immediately",
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1",
      `cd cdktf.out/stacks/application-us-east-1 && terraform init && terraform state rm ${address} && terraform import ${address} acme-us-east-1`,
    ]);
    expect(step(/^Hand the identifier/).manual).toBe(true);
    const without = buildFailback(primary, recovery, { stamp: "202611211530", databaseResourceAddress: address }).steps.find((s) =>
      s.title.startsWith("Hand the identifier"),
    )!;
    expect(without.commands).toEqual(step(/^Hand the identifier/).commands.slice(1));
    expect(without.note).not.toContain("replication");
  });

  it("re-imports the newest broker definitions of us-east-2 from its archives bucket in us-west-2 into acme-us-east-1's broker", () => {
    const commands = step(/^Re-import the broker/).commands;
    expect(commands[0]).toBe(
      "DEFINITIONS_DIR=failback-definitions ARCHIVE_BUCKET=acme-hosting-services-us-east-2 AWS_REGION=us-west-2 sh backup/broker-definitions.sh fetch",
    );
    expect(commands[1]).toBe(
      "(umask 077; aws secretsmanager get-secret-value --region us-east-1 --secret-id acme/us-east-1/rabbitmq/admin --query SecretString --output text > admin-password)",
    );
    expect(commands[2]).toContain(`--query "BrokerSummaries[?BrokerName=='acme-us-east-1'].BrokerId"`);
    expect(commands[2]).toContain(
      "ADMIN_USERNAME=admin ADMIN_PASSWORD_FILE=admin-password node backup/broker-definitions.js import failback-definitions/definitions.json; rm -f admin-password",
    );
  });

  it("lifts the fences with the application deploy and Flux resumed, then returns DNS and checks example.com", () => {
    expect(step(/^Lift the fences/).commands).toEqual([
      "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies",
      // The adopted database's host and master secret reach cluster-vars while Flux is still suspended.
      "npx cdktf deploy workloads-us-east-1 --ignore-missing-stack-dependencies",
      "aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1",
      // What fence suspended: every HelmRelease and child Kustomization, the root last, the library's CronJobs.
      `kubectl get helmreleases.helm.toolkit.fluxcd.io --all-namespaces -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name}{"\\n"}{end}' | while read -r ns name; do kubectl -n "$ns" patch helmrelease "$name" --type merge -p '{"spec":{"suspend":false}}'; done`,
      `kubectl get kustomizations.kustomize.toolkit.fluxcd.io --all-namespaces -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name}{"\\n"}{end}' | grep -v '^flux-system flux-system$' | while read -r ns name; do kubectl -n "$ns" patch kustomization "$name" --type merge -p '{"spec":{"suspend":false}}'; done`,
      `kubectl -n flux-system patch kustomization flux-system --type merge -p '{"spec":{"suspend":false}}'`,
      `kubectl -n dr-backups get cronjobs -o name | xargs -r -I{} kubectl -n dr-backups patch {} --type merge -p '{"spec":{"suspend":false}}'`,
      "kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m",
    ]);
    expect(step(/^Lift the fences/).note).toContain("s3://acme-terraform-state/dr/fence/us-east-1.json");
    expect(step(/^Return the site/).commands[0]).toBe(
      "aws cloudwatch put-metric-data --region us-east-2 --namespace DR/Failover --metric-name PrimaryWithdrawn --dimensions Site=example.com --value 0",
    );
    expect(step(/^Return the site/).commands[2]).toBe("dig +short example.com");
    expect(step(/^Stand us-east-2 down/).commands).toEqual(["npx dr-platform fence us-east-2 --apply"]);
  });

  it("gates the adoption on the primary's plan before anything is re-enabled: plan-gate of application-us-east-1, right after the import", () => {
    const titles = failback.steps.map((s) => s.title);
    const gate = titles.findIndex((t) => t.startsWith("Gate:"));
    expect(titles[gate - 1]).toMatch(/^Hand the identifier acme-us-east-1 to the new generation/);
    expect(gate).toBeLessThan(titles.findIndex((t) => t.startsWith("Lift the fences")));
    expect(failback.steps[gate]).toMatchObject({ commands: ["npx dr-platform plan-gate application-us-east-1"], manual: false });
    expect(failback.steps[gate].note).toContain("alias/acme-data-us-east-1");
  });

  it("environment files: no change for the shipped files (the recovery restores the default), then the recovery's preflight", () => {
    const files = step(/^Environment files/);
    expect(files.commands).toEqual([
      `# environments/us-east-1.ts: no change: it never stopped being role "primary" (the failover deployed environments/us-east-2.ts) and its database keeps the identifier acme-us-east-1`,
      "# environments/us-east-2.ts: no change: database.restore is the default (the latest state of us-east-1's replicated backups)",
      "npx dr-platform preflight us-east-2 --peacetime",
    ]);
    expect(files.manual).toBe(false);
  });

  it("prints only cdktf commands that cdktf 0.21 runs as printed (stack selection and flags)", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const printed = failback.steps.flatMap((s) => s.commands.flatMap(cdktfCommands));
    expect(printed).toEqual([
      ["deploy", "application-us-east-1", "--ignore-missing-stack-dependencies"],
      ["deploy", "workloads-us-east-1", "--ignore-missing-stack-dependencies"],
    ]);
    expect(printed.map((args) => cdktfRefusal(args, manifest))).toEqual([undefined, undefined]);
    // The command as it was printed before: cdktf refuses it (networking-us-east-1 is outside the selection).
    expect(cdktfRefusal(["deploy", "application-us-east-1"], manifest)).toMatch(/dependencies are not included in the stacks to run: .*networking-us-east-1/);
  });

  it("formats as Markdown for a ticket", () => {
    const md = formatFailback(failback, "markdown");
    expect(md.split("\n").slice(0, 6)).toEqual([
      "## Failback: us-east-2 -> us-east-1",
      "",
      `0. **Check that us-east-1 is fenced: every action "already done" (else run it with --apply)** (command)`,
      "   ```bash",
      "   npx dr-platform fence us-east-1",
      "   ```",
    ]);
    expect(md).toContain("**Manual steps remaining: 6**");
  });
});

describe("failback options and pairs", () => {
  it("a recovery pinned to a restore time or snapshot: the environment-file step removes the pin (manual)", () => {
    const pinnedTime = environment(
      recoveryInput({
        database: { engineVersion: "16", instanceClass: "db.t4g.medium", restore: { from: "primary-backups", restoreTime: "2026-11-20T03:00:00Z" } },
      }),
    ) as RecoveryEnvironment;
    const p = environment(primaryInput()) as PrimaryEnvironment;
    const files = buildFailback(p, pinnedTime, { stamp: "1", databaseResourceAddress: "aws_db_instance.x" }).steps.at(-1)!;
    expect(files.commands[1]).toBe(
      `# environments/us-east-2.ts: remove database.restore (restoreTime "2026-11-20T03:00:00Z" was pinned for this outage) so the next recovery restores us-east-1's latest state`,
    );
    expect(files.manual).toBe(true);
    const pinnedSnapshot = environment(
      recoveryInput({ database: { engineVersion: "16", instanceClass: "db.t4g.medium", restore: { from: "snapshot", snapshotIdentifier: "acme-before" } } }),
    ) as RecoveryEnvironment;
    expect(buildFailback(p, pinnedSnapshot, { stamp: "1", databaseResourceAddress: "aws_db_instance.x" }).steps.at(-1)!.commands[1]).toContain(
      `remove database.restore ({ from: "snapshot", snapshotIdentifier: "acme-before" } was pinned`,
    );
  });

  it("--generation names the restored instance; a generation below 2 or a stamp that is not digits is refused", () => {
    expect(buildFailback(primary, recovery, { stamp: "7", generation: 3, databaseResourceAddress: address }).steps[6].commands[1]).toBe(
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1-g3",
    );
    expect(() => buildFailback(primary, recovery, { stamp: "7", generation: 1, databaseResourceAddress: address })).toThrow(
      "failback: generation must be a whole number >= 2 (got 1)",
    );
    expect(() => buildFailback(primary, recovery, { stamp: "2026-11-21", databaseResourceAddress: address })).toThrow(
      'failback: stamp must be 1 to 20 digits, e.g. 202611211530 (got "2026-11-21")',
    );
  });

  it("the default stamp is the UTC minute, digits only", () => {
    expect(failbackStamp(new Date("2026-11-21T15:30:59.123Z"))).toBe("202611211530");
  });

  it("refuses a pair that is not a recovery and the primary it recovers", () => {
    expect(() => checkFailbackPair("us-east-1", "us-east-2", shipped)).toThrow(
      "failback goes from a recovery region to the primary it recovers (got us-east-1 -> us-east-2; known: us-east-2 -> us-east-1)",
    );
    expect(() => checkFailbackPair("us-east-2", "eu-west-1", shipped)).toThrow(/got us-east-2 -> eu-west-1/);
  });
});

describe("failback of a warm standby (us-east-2 -> us-east-1): reverse replication", () => {
  const warm: RecoveryEnvironment = { ...recovery, tier: "warm-standby" };
  const recoveryAddress = "aws_db_instance.database_resource_2718567D";
  const recoveryReplication = "aws_db_instance_automated_backups_replication.database_backup-replication_73A9EFB9";
  const reverse = buildFailback(primary, warm, {
    stamp: "202612041800",
    databaseResourceAddress: address,
    backupReplicationAddress: replication,
    recoveryAddresses: { database: recoveryAddress, backupReplication: recoveryReplication },
  });
  const titled = (start: string) => reverse.steps.find((s) => s.title.startsWith(start))!;

  it("replaces the snapshot, its copy and its restore with a replica made before the window and promoted in it, and arms the warm standby again", () => {
    expect(reverse.steps.map((s) => s.title.split(":")[0].split(" ").slice(0, 3).join(" "))).toEqual([
      "Check that us-east-1",
      "Copy the assets",
      "Rebuild us-east-1's database",
      "Maintenance window",
      "Copy the last",
      "Wait until acme-us-east-1-g2",
      "Verify",
      "Promote acme-us-east-1-g2",
      "Hand the identifier",
      "Gate",
      "Re-import the broker",
      "Lift the fences",
      "Return the site",
      "Smoke checks",
      "Arm the warm",
      "Environment files",
    ]);
    expect(reverse.steps.filter((s) => /(create|copy)-db-snapshot|restore-db-instance-from-db-snapshot/.test(s.commands.join(" ")))).toEqual([]);
    expect(failback.steps.filter((s) => /(create|copy)-db-snapshot|restore-db-instance-from-db-snapshot/.test(s.commands.join(" ")))).toHaveLength(3);
    expect(reverse.manualSteps).toBe(8);
  });

  it("makes us-east-1's new generation a cross-Region read replica of acme-us-east-2 on the primary's data key, in the primary's groups", () => {
    expect(titled("Rebuild us-east-1's database").commands).toEqual([
      "aws rds create-db-instance-read-replica --region us-east-1 --source-region us-east-2 --db-instance-identifier acme-us-east-1-g2 " +
        "--source-db-instance-identifier arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2 --kms-key-id alias/acme-data-us-east-1 " +
        "--db-instance-class db.r6g.large --db-subnet-group-name acme-us-east-1 --db-parameter-group-name acme-us-east-1-postgres16 " +
        "--vpc-security-group-ids $(aws ec2 describe-security-groups --region us-east-1 --filters Name=group-name,Values=acme-us-east-1-postgres --query 'SecurityGroups[0].GroupId' --output text) " +
        "--multi-az --no-publicly-accessible --deletion-protection --copy-tags-to-snapshot",
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1-g2",
    ]);
  });

  it("in the window: waits for the lag, verifies by checksum, then promotes the replica and gives it a secret of its own", () => {
    expect(titled("Verify").commands[1]).toContain("--region us-east-1 --db-instance-identifier acme-us-east-1-g2");
    expect(titled("Promote acme-us-east-1-g2").commands).toEqual([
      "aws rds promote-read-replica --region us-east-1 --db-instance-identifier acme-us-east-1-g2 --backup-retention-period 14",
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1-g2",
      "aws rds modify-db-instance --region us-east-1 --db-instance-identifier acme-us-east-1-g2 --manage-master-user-password --apply-immediately",
      "aws rds wait db-instance-available --region us-east-1 --db-instance-identifier acme-us-east-1-g2",
    ]);
  });

  it("arms the warm standby again: the promoted instance renamed aside and out of the state, a new replica deployed, the workloads and nodes back down", () => {
    expect(titled("Arm the warm").commands).toEqual([
      "terraform -chdir=cdktf.out/stacks/replication-us-east-2 init -input=false && " +
        `terraform -chdir=cdktf.out/stacks/replication-us-east-2 apply -destroy -auto-approve -input=false -target=${recoveryReplication}`,
      "aws rds modify-db-instance --region us-east-2 --db-instance-identifier acme-us-east-2 --new-db-instance-identifier acme-us-east-2-stale-202612041800 --apply-immediately",
      "aws rds wait db-instance-available --region us-east-2 --db-instance-identifier acme-us-east-2-stale-202612041800",
      `terraform -chdir=cdktf.out/stacks/application-us-east-2 init -input=false && terraform -chdir=cdktf.out/stacks/application-us-east-2 state rm ${recoveryAddress}`,
      "npx cdktf deploy application-us-east-2 --ignore-missing-stack-dependencies",
      "npx cdktf deploy workloads-us-east-2 --ignore-missing-stack-dependencies",
      "aws eks update-nodegroup-config --region us-east-2 --cluster-name acme-us-east-2 --nodegroup-name general --scaling-config minSize=1,maxSize=9,desiredSize=1",
      "aws rds stop-db-instance --region us-east-2 --db-instance-identifier acme-us-east-2-stale-202612041800",
    ]);
    // The pilot light's failback stands its recovery down with a fence instead.
    expect(failback.steps.map((s) => s.title).filter((t) => t.startsWith("Arm the warm"))).toEqual([]);
  });

  it("prints only cdktf commands that cdktf 0.21 runs as printed", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const refusals = reverse.steps.flatMap((s) => s.commands.flatMap(cdktfCommands)).flatMap((args) => cdktfRefusal(args, manifest) ?? []);
    expect(refusals).toEqual([]);
  });

  it("needs the recovery's database address", () => {
    expect(() => buildFailback(primary, warm, { stamp: "1", databaseResourceAddress: address })).toThrow(
      "failback: a warm standby's failback needs recoveryAddresses (its database and its backups' replication)",
    );
  });
});
