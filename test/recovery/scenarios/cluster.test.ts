import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../../app/assemble";
import type { Environment, LoadedEnvironment } from "../../../lib/environment";
import { buildClusterPlan } from "../../../lib/recovery/scenarios/cluster";
import { formatPlan } from "../../../lib/recovery/format";
import type { RecoveryPlan } from "../../../lib/recovery/plan";
import { manifestOf, synthApp } from "../../support/app-synth";
import { cdktfCommands, cdktfRefusal } from "../../support/cdktf-selection";
import { shippedEnvironments, synthShipped } from "../../support/shipped";
import { resources } from "../../support/synth";
import { tempDir } from "../../support/temp";

const outdir = tempDir("dr-platform-cluster-plan-");
synthShipped(outdir);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const shipped = (region: string): Environment => shippedEnvironments().find((l) => l.environment.region === region)!.environment;

/** The shipped environments with us-east-1's file edited as the plan's second step says. */
function rebuilding(): LoadedEnvironment[] {
  return shippedEnvironments().map((l) =>
    l.environment.region === "us-east-1"
      ? { ...l, environment: { ...l.environment, kubernetes: { ...l.environment.kubernetes, generation: 2, retiringGeneration: 1 } } }
      : l,
  ) as LoadedEnvironment[];
}
const rebuilt = new App({ outdir: tempDir("dr-platform-cluster-rebuilt-") });
addEnvironments(rebuilt, rebuilding());
const read = synthApp(rebuilt);
const rebuiltManifest = manifestOf(rebuilt);
const edited = rebuilding().find((l) => l.environment.region === "us-east-1")!.environment;

const PRIMARY = buildClusterPlan(shipped("us-east-1"), manifest);
const summary = (plan: RecoveryPlan) =>
  plan.steps.map((s) => `${s.kind} ${s.id} <- ${s.after.join(",") || "-"}${s.phase === "after-serving" ? " (after serving)" : ""}`);

describe("buildClusterPlan (runbook --scenario cluster, rebuild-cluster)", () => {
  it("builds generation 2 beside 1, waits for its pods, moves the binding, smoke-checks, then retires 1 on the operator's word", () => {
    expect(summary(PRIMARY)).toEqual([
      "gate declare <- -",
      "gate generation <- declare",
      "check synth <- generation",
      "deploy deploy:kubernetes-us-east-1-g2 <- synth",
      "deploy deploy:gitops-us-east-1-g2 <- deploy:kubernetes-us-east-1-g2",
      "deploy deploy:workloads-us-east-1-g2 <- deploy:gitops-us-east-1-g2",
      "check pods-ready <- deploy:workloads-us-east-1-g2",
      "deploy deploy:workloads-us-east-1 <- pods-ready",
      "check smoke <- deploy:workloads-us-east-1",
      "gate retire <- smoke (after serving)",
      "check destroy <- retire (after serving)",
      "gate forget <- destroy (after serving)",
    ]);
    expect([PRIMARY.scenario, PRIMARY.manualSteps, PRIMARY.preparation]).toEqual(["cluster", 4, []]);
  });

  it("is printed as the cluster rebuild that rebuild-cluster runs", () => {
    const text = formatPlan(PRIMARY, "text").split("\n");
    expect(text[0]).toBe("Cluster rebuild runbook: us-east-1");
    expect(text[2]).toMatch(/^Run all of it with: npx dr-platform rebuild-cluster us-east-1 /);
  });

  it("is the same plan when built from the edited environment file (a run resumes across the edit)", () => {
    expect(buildClusterPlan(edited, rebuiltManifest)).toEqual(PRIMARY);
  });

  it("prints commands that cdktf 0.21 runs on the app synthesized after the edit (and refuses on the one before it)", () => {
    const commands = PRIMARY.steps.flatMap((s) => s.commands.flatMap(cdktfCommands));
    expect(commands.map((c) => c.slice(0, 2).join(" "))).toEqual([
      "synth",
      "deploy kubernetes-us-east-1-g2",
      "deploy gitops-us-east-1-g2",
      "deploy workloads-us-east-1-g2",
      "deploy workloads-us-east-1",
      "destroy workloads-us-east-1",
      "destroy workloads-us-east-1",
    ]);
    for (const command of commands) expect({ command, refusal: cdktfRefusal(command, rebuiltManifest) }).toEqual({ command, refusal: undefined });
    expect(cdktfRefusal(cdktfCommands(PRIMARY.steps[3].commands[0])[0], manifest)).toMatch(/kubernetes-us-east-1-g2/);
    expect(PRIMARY.steps[3].commands).toEqual(["npx cdktf deploy kubernetes-us-east-1-g2 --ignore-missing-stack-dependencies --skip-synth --auto-approve"]);
  });

  it("waits for the new cluster's pods through its own kubeconfig, and keeps the protected secrets key out of the destroy", () => {
    expect(PRIMARY.steps.find((s) => s.id === "pods-ready")!.commands[0]).toBe(
      "aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1-g2 && kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m && kubectl -n site wait pods --all --for=condition=Ready --timeout=10m",
    );
    expect(PRIMARY.steps.find((s) => s.id === "destroy")!.commands[0]).toBe(
      "terraform -chdir=cdktf.out/stacks/kubernetes-us-east-1 init -input=false && terraform -chdir=cdktf.out/stacks/kubernetes-us-east-1 state list | grep '^aws_kms_key\\.cluster_secrets-key_' | xargs -r terraform -chdir=cdktf.out/stacks/kubernetes-us-east-1 state rm",
    );
  });

  it("a recovery's plan says its standby stack made the new generation's roles", () => {
    const plan = buildClusterPlan(shipped("us-east-2"), manifest);
    expect(plan.steps.find((s) => s.id === "generation")!.note).toContain("made in peacetime by standby-us-east-2");
    expect(plan.steps.find((s) => s.id === "forget")!.note).toContain("deploy standby-us-east-2 in peacetime");
  });

  it("refuses a manifest without the serving generation's stacks", () => {
    expect(() =>
      buildClusterPlan({ ...edited, kubernetes: { ...edited.kubernetes, generation: 4, retiringGeneration: 3 } } as Environment, rebuiltManifest),
    ).toThrow("manifest.json has no stack kubernetes-us-east-1-g3; synthesize again");
  });
});

describe("the app while a cluster is rebuilt (kubernetes.generation 2, retiringGeneration 1)", () => {
  it("has both generations' cluster stacks; the new one after the same networking and application", () => {
    expect(rebuiltManifest.stacks["kubernetes-us-east-1-g2"].dependencies).toEqual(manifest.stacks["kubernetes-us-east-1"].dependencies);
    expect(rebuiltManifest.stacks["gitops-us-east-1-g2"].dependencies).toEqual(["kubernetes-us-east-1-g2", "networking-us-east-1"]);
    expect(
      Object.keys(rebuiltManifest.stacks)
        .filter((id) => id.endsWith("-g2"))
        .sort(),
    ).toEqual(["gitops-us-east-1-g2", "kubernetes-us-east-1-g2", "workloads-us-east-1-g2"]);
  });

  it("names generation 2's cluster and associates its pods with roles named after it, trusting that cluster only", () => {
    const k2 = read("kubernetes-us-east-1-g2");
    expect(Object.values(resources(k2, "aws_eks_cluster")).map((c: any) => c.name)).toEqual(["acme-us-east-1-g2"]);
    const roles = Object.values(resources(k2, "aws_iam_role")).filter((r: any) => JSON.stringify(r.assume_role_policy).includes("pods.eks"));
    expect(roles.map((r: any) => r.name).sort()).toEqual([
      "acme-backup-job-us-east-1-g2",
      "acme-flux-us-east-1-g2",
      "acme-lb-controller-us-east-1-g2",
      "acme-workload-us-east-1-g2",
    ]);
    for (const role of roles as any[]) {
      expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.ArnEquals).toEqual({
        "aws:SourceArn": "arn:aws:eks:us-east-1:123456789012:cluster/acme-us-east-1-g2",
      });
    }
    const associations = Object.values(resources(k2, "aws_eks_pod_identity_association")) as any[];
    // Flux's kustomize-controller and Git credentials job, the workloads, the backup jobs, the load balancer controller.
    expect(associations).toHaveLength(5);
    for (const a of associations) expect(a.cluster_name).toMatch(/^\$\{aws_eks_cluster\..*\.name\}$/);
  });

  it("binds the site and runs the library's CronJobs in the serving generation only", () => {
    const kinds = (stack: string) => ({
      bindings: Object.values(resources(read(stack), "kubernetes_manifest")).filter((m: any) => m.manifest.kind === "TargetGroupBinding").length,
      cronJobs: Object.keys(resources(read(stack), "kubernetes_cron_job_v1")).length,
    });
    // The archive, the definitions export, the broker password rotation and the two restore tests
    // (the archives' and the shipped primary's point-in-time test of the RDS backups).
    expect(kinds("workloads-us-east-1-g2")).toEqual({ bindings: 1, cronJobs: 5 });
    expect(kinds("workloads-us-east-1")).toEqual({ bindings: 0, cronJobs: 0 });
  });
});
