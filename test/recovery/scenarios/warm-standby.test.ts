import * as fs from "fs";
import * as path from "path";
import type { Environment } from "../../../lib/environment";
import { WARM_STANDBY_DAY } from "../../../lib/operations/rto";
import { buildPlan, type RecoveryPlan } from "../../../lib/recovery/plan";
import { shippedEnvironments, shippedWarmStandby, synthShipped } from "../../support/shipped";
import { tempDir } from "../../support/temp";
import { planSummary } from "../../support/plan";

/** The shipped pair with us-east-2 a warm standby: its plan (runbook, recover) and what its day deploys. */
const outdir = tempDir("dr-warm-standby-plan-");
synthShipped(outdir, shippedWarmStandby());
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const warm = shippedWarmStandby().find((l) => l.environment.region === "us-east-2")!.environment as Environment;
const PLAN = buildPlan(warm, manifest);
const summary = planSummary;
const resourceTypes = (dir: string, stack: string): string[] =>
  Object.keys(JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8")).resource ?? {});

/** The stacks a plan's day deploys that hold an EKS cluster, a node group or a DB instance and were not applied in its peacetime. */
function createdOnTheDay(plan: RecoveryPlan, dir: string): string[] {
  const prepared = new Set(plan.preparation.flatMap((s) => (s.stack ? [s.stack] : [])));
  const created = ["aws_eks_cluster", "aws_eks_node_group", "aws_db_instance"];
  return plan.steps
    .filter((s) => s.kind === "deploy" && !prepared.has(s.stack!))
    .filter((s) => resourceTypes(dir, s.stack!).some((t) => created.includes(t)))
    .map((s) => s.stack!);
}

describe("buildPlan, a warm standby (us-east-2)", () => {
  it("promotes and scales side by side after the preflight, applies application and workloads again, then Flux, the smoke check and the replication", () => {
    expect(summary(PLAN)).toEqual([
      "gate declare <- -",
      "check switch <- declare",
      "check preflight <- switch",
      "check promote-database <- preflight",
      "check database-credentials <- promote-database",
      "check scale-node-groups <- preflight",
      "check synth <- preflight",
      "deploy deploy:application-us-east-2 <- database-credentials,synth",
      "deploy deploy:workloads-us-east-2 <- database-credentials,deploy:application-us-east-2,synth",
      "check flux <- deploy:workloads-us-east-2,scale-node-groups",
      "check smoke <- flux",
      "deploy deploy:replication-us-east-2 <- deploy:application-us-east-2,smoke (after serving)",
    ]);
    expect([PLAN.tier, PLAN.manualSteps]).toEqual(["warm-standby", 1]);
  });

  it("prints the regional calls as they run: RDS promotes and gives a secret, EKS scales each node group to the file's sizes", () => {
    const commands = (id: string) => PLAN.steps.find((s) => s.id === id)!.commands;
    const instance = "--region us-east-2 --db-instance-identifier acme-us-east-2";
    expect(commands("promote-database")).toEqual([
      `aws rds promote-read-replica ${instance} --backup-retention-period 14`,
      `aws rds wait db-instance-available ${instance}`,
    ]);
    expect(commands("database-credentials")).toEqual([
      `aws rds modify-db-instance ${instance} --manage-master-user-password --apply-immediately`,
      `aws rds wait db-instance-available ${instance}`,
    ]);
    expect(commands("scale-node-groups")).toEqual([
      "aws eks update-nodegroup-config --region us-east-2 --cluster-name acme-us-east-2 --nodegroup-name general --scaling-config minSize=3,maxSize=9,desiredSize=3",
      "aws eks wait nodegroup-active --region us-east-2 --cluster-name acme-us-east-2 --nodegroup-name general",
    ]);
  });

  it("calls only the recovery region's RDS, EKS and CloudWatch from the command line: no IAM, no Route 53, no other region", () => {
    const aws = PLAN.steps.flatMap((s) => s.commands).filter((c) => c.startsWith("aws "));
    expect(aws.length).toBe(8); // the switch, two calls each to promote, give a secret and scale, the kubeconfig
    expect(aws.filter((c) => !/^aws (rds|eks|cloudwatch) /.test(c) || !c.includes("--region us-east-2") || /--region (?!us-east-2)/.test(c))).toEqual([]);
  });

  it("the day creates no EKS cluster, node group or database: every day deploy that holds one was applied in peacetime (a pilot light's would not be)", () => {
    expect(createdOnTheDay(PLAN, outdir)).toEqual([]);
    expect(PLAN.steps.filter((s) => s.kind === "deploy").map((s) => s.stack)).toEqual([
      "application-us-east-2",
      "workloads-us-east-2",
      "replication-us-east-2",
    ]);
    // The same measure on the pilot light of the shipped files finds the database and the cluster made on the day.
    const pilotDir = tempDir("dr-warm-standby-pilot-");
    synthShipped(pilotDir);
    const pilot = shippedEnvironments().find((l) => l.environment.region === "us-east-2")!.environment;
    const pilotPlan = buildPlan(pilot, JSON.parse(fs.readFileSync(path.join(pilotDir, "manifest.json"), "utf8")));
    expect(createdOnTheDay(pilotPlan, pilotDir)).toEqual(["application-us-east-2", "kubernetes-us-east-2"]);
  });

  it("prepares every stack but the replication in peacetime, after the standby layer, the pair's dns and the Git credentials (its Flux syncs from the start)", () => {
    expect(PLAN.preparation.map((s) => s.id)).toEqual([
      "state-bucket",
      "deploy:standby-us-east-2",
      "deploy:dns-us-east-1",
      "git-credentials",
      "sops-config",
      "deploy:networking-us-east-2",
      "deploy:application-us-east-2",
      "deploy:kubernetes-us-east-2",
      "deploy:gitops-us-east-2",
      "deploy:workloads-us-east-2",
    ]);
  });

  it("runs the calls the model times (WARM_STANDBY_DAY), under the same names", () => {
    const calls = PLAN.steps.filter((s) => s.kind === "check" && s.commands.every((c) => /^aws (rds|eks) /.test(c) && !c.includes("&&")));
    expect(calls.map((s) => s.id)).toEqual(["promote-database", "database-credentials", "scale-node-groups"]);
    for (const call of calls) expect(WARM_STANDBY_DAY.map((a) => a.id)).toContain(call.id);
  });

  it("says the database is promoted, not restored, and that the reapplied stacks create nothing", () => {
    expect(PLAN.notNeeded).toContain(
      "Restoring the database: application-us-east-2's read replica of us-east-1's database is promoted (the promote step); nothing is restored or created.",
    );
    expect(PLAN.steps.find((s) => s.id === "deploy:application-us-east-2")!.note).toBe(
      "Creates nothing: application-us-east-2 stands since peacetime; its outputs now name the promoted database's secret.",
    );
  });
});
