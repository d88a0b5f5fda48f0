import * as fs from "fs";
import * as path from "path";
import type { Environment } from "../../lib/environment";
import { buildPlan, deployCommand, type RecoveryPlan } from "../../lib/recovery/plan";
import { formatPlan } from "../../lib/recovery/format";
import { cdktfCommands, cdktfRefusal } from "../support/cdktf-selection";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";
import { planSummary } from "../support/plan";

const outdir = tempDir("dr-platform-plan-");
synthShipped(outdir);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const shipped = (region: string): Environment => shippedEnvironments().find((l) => l.environment.region === region)!.environment;
const RECOVERY = buildPlan(shipped("us-east-2"), manifest);
const PRIMARY = buildPlan(shipped("us-east-1"), manifest);
const summary = planSummary;

describe("buildPlan, a recovery (us-east-2, pilot light)", () => {
  it("declares, checks, synthesizes once, deploys the day's stacks on their true dependencies, waits for Flux, smoke-checks, then replicates", () => {
    expect(summary(RECOVERY)).toEqual([
      "gate declare <- -",
      "check switch <- declare",
      "check preflight <- switch",
      "check synth <- preflight",
      "deploy deploy:application-us-east-2 <- synth",
      "deploy deploy:kubernetes-us-east-2 <- synth",
      "deploy deploy:gitops-us-east-2 <- deploy:kubernetes-us-east-2,synth",
      "deploy deploy:workloads-us-east-2 <- deploy:application-us-east-2,deploy:gitops-us-east-2,synth",
      "check flux <- deploy:workloads-us-east-2",
      "check smoke <- flux",
      "deploy deploy:replication-us-east-2 <- deploy:application-us-east-2,smoke (after serving)",
    ]);
    expect(RECOVERY.manualSteps).toBe(1);
  });

  it("sets the failover switch in its own region first: a CloudWatch write, no Route 53 one", () => {
    expect(RECOVERY.steps.find((s) => s.id === "switch")!.commands).toEqual([
      "aws cloudwatch put-metric-data --region us-east-2 --namespace DR/Failover --metric-name PrimaryWithdrawn --dimensions Site=example.com --value 1",
    ]);
    expect(PRIMARY.steps.some((s) => s.id === "switch")).toBe(false);
  });

  it("prints every deploy with the flags cdktf needs for a stack whose dependencies were deployed before", () => {
    expect(RECOVERY.steps.find((s) => s.id === "deploy:application-us-east-2")!.commands).toEqual([
      "npx cdktf deploy application-us-east-2 --skip-synth --ignore-missing-stack-dependencies --auto-approve",
    ]);
    expect(deployCommand("x")).toBe("npx cdktf deploy x --skip-synth --ignore-missing-stack-dependencies --auto-approve");
    expect(RECOVERY.steps.find((s) => s.id === "preflight")!.commands).toEqual(["npx dr-platform preflight us-east-2 --outage"]);
  });

  it("keeps the peacetime layers out of the day: state bucket, standby, the pair's dns and the pilot light are preparation", () => {
    expect(RECOVERY.preparation.map((s) => s.id)).toEqual([
      "state-bucket",
      "deploy:standby-us-east-2",
      "deploy:dns-us-east-1",
      "deploy:networking-us-east-2",
      "git-credentials",
      "sops-config",
    ]);
    expect(RECOVERY.steps.filter((s) => s.stack && /^(standby|dns|networking)-/.test(s.stack))).toEqual([]);
  });

  it("backup-and-restore deploys the networking stack on the day, saying it makes the one Route 53 write", () => {
    const env = environment(recoveryInput({ tier: "backup-and-restore" }));
    const plan = buildPlan({ ...env, accountId: "123456789012" } as Environment, manifest);
    const networking = plan.steps.find((s) => s.id === "deploy:networking-us-east-2")!;
    expect(networking.note).toContain("Makes one Route 53 write");
    expect(plan.steps.find((s) => s.id === "deploy:application-us-east-2")!.after).toEqual(["deploy:networking-us-east-2", "synth"]);
    expect(plan.tier).toBe("backup-and-restore");
  });

  it("names the recovery's tier, and the runbook prints it under the title with where its cost and model are", () => {
    expect(RECOVERY.tier).toBe("pilot-light");
    expect(formatPlan(RECOVERY, "text").split("\n").slice(0, 4)).toEqual([
      "Recovery runbook: us-east-2",
      "",
      "Tier: pilot-light (what it prepares and costs: docs/tiers.md; its modelled recovery time: npx dr-platform rto us-east-2)",
      "",
    ]);
    expect(formatPlan(RECOVERY, "markdown").split("\n")[2]).toBe(
      "Tier: `pilot-light` (what it prepares and costs: docs/tiers.md; its modelled recovery time: `npx dr-platform rto us-east-2`)",
    );
    expect(PRIMARY).not.toHaveProperty("tier");
    expect(formatPlan(PRIMARY, "text").split("\n")[2]).toMatch(/^Run all of it with: /);
  });
});

describe("buildPlan, a primary rebuilt in place (us-east-1)", () => {
  it("says, at its application deploy, which snapshot the database is restored from when its file names one", () => {
    const base = environment(primaryInput());
    const restored = environment(
      primaryInput({ database: { ...base.database, restore: { from: "snapshot", snapshotIdentifier: "acme-us-east-1-from-vault" } } }),
    );
    const noteOf = (plan: RecoveryPlan) => plan.steps.find((s) => s.id === "deploy:application-us-east-1")!.note;
    expect(noteOf(buildPlan({ ...restored, accountId: "123456789012" } as Environment, manifest))).toBe(
      'Restores the database from DB snapshot acme-us-east-1-from-vault (database.restore): it must be in us-east-1, in account 123456789012, encrypted with a key the account may use (a shared snapshot is copied first: docs/database-scenario.md, "A primary rebuilt from a snapshot").',
    );
    expect(noteOf(PRIMARY)).toBeUndefined();
  });

  it("deploys its zone and layers in dependency order; the state bucket and the Git credentials' value are preparation", () => {
    expect(summary(PRIMARY)).toEqual([
      "check synth <- -",
      "deploy deploy:dns-us-east-1 <- synth",
      "deploy deploy:networking-us-east-1 <- deploy:dns-us-east-1,synth",
      "deploy deploy:vault-us-east-1 <- synth",
      "deploy deploy:application-us-east-1 <- deploy:networking-us-east-1,deploy:vault-us-east-1,synth",
      "deploy deploy:kubernetes-us-east-1 <- deploy:application-us-east-1,deploy:networking-us-east-1,synth",
      "deploy deploy:gitops-us-east-1 <- deploy:kubernetes-us-east-1,deploy:networking-us-east-1,synth",
      "deploy deploy:workloads-us-east-1 <- deploy:application-us-east-1,deploy:gitops-us-east-1,deploy:networking-us-east-1,synth",
      "check flux <- deploy:workloads-us-east-1",
      "gate name-servers <- deploy:dns-us-east-1",
      "check smoke <- flux,name-servers",
      "gate replicate-existing <- deploy:application-us-east-1 (after serving)",
    ]);
    expect(PRIMARY.preparation.map((s) => s.id)).toEqual(["state-bucket", "git-credentials"]);
    // The primary's application stack makes the secret; the operator puts its value once.
    expect(PRIMARY.preparation[1]).toMatchObject({
      kind: "gate",
      title:
        "Once, after application-us-east-1 made it: put Flux's Git credentials into acme/flux/platform-k8s-git in us-east-1 (the replica in us-east-2 follows)",
      commands: ["aws secretsmanager put-secret-value --region us-east-1 --secret-id acme/flux/platform-k8s-git --secret-string file://git-credentials.json"],
    });
  });
});

describe("every cdktf command the plans print runs as printed (cdktf 0.21's stack selection and flags)", () => {
  const printed = [RECOVERY, PRIMARY].flatMap((plan) => [...plan.preparation, ...plan.steps].flatMap((s) => s.commands));
  const commands = printed.flatMap(cdktfCommands);

  it("finds the commands to check", () => {
    expect(commands.length).toBeGreaterThanOrEqual(14);
  });

  it.each(commands.map((c) => [c.join(" ")]))("cdktf %s", (line) => {
    expect(cdktfRefusal(line.split(" "), manifest)).toBeUndefined();
  });

  it("the check refuses what cdktf refuses: a day stack without --ignore-missing-stack-dependencies, or an unknown flag", () => {
    expect(cdktfRefusal(["deploy", "application-us-east-2", "--auto-approve"], manifest)).toBe(
      "Usage Error: The following dependencies are not included in the stacks to run: networking-us-east-2. Either add them or add the --ignore-missing-stack-dependencies flag.",
    );
    expect(cdktfRefusal(["deploy", "application-us-east-2", "--ignore-missing-dependencies"], manifest)).toBe(
      "cdktf deploy has no --ignore-missing-dependencies",
    );
    expect(cdktfRefusal(["destroy", "networking-us-east-2"], manifest)).toMatch(
      /^Usage Error: The following dependant stacks are not included in the stacks to run: /,
    );
  });
});
