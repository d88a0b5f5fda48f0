import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import { run } from "../support/run";
import { shippedRestoringDatabase, shippedWarmStandby, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/**
 * `terraform validate` of every synthesized stack that only needs the AWS provider, against the
 * real hashicorp/aws 5.100.0 (from the mirror named by TF_PLUGIN_MIRROR when set, else the
 * registry). Stacks that need the helm/kubernetes providers are listed and left out: those
 * provider binaries are not installable on the CI machines (see README).
 */
jest.setTimeout(120_000);

const outdir = tempDir("dr-platform-validate-");
synthShipped(outdir);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const stacks = Object.values(manifest.stacks) as { name: string; synthesizedStackPath: string; workingDirectory: string }[];

function providersOf(stack: { synthesizedStackPath: string }): string[] {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8"));
  return Object.keys(json.terraform?.required_providers ?? {}).sort();
}

const awsOnly = stacks.filter((s) => providersOf(s).every((p) => p === "aws"));

describe("terraform validate", () => {
  it("covers every stack but the gitops and workloads ones, which alone need the helm/kubernetes providers", () => {
    const left = stacks.filter((s) => !awsOnly.includes(s)).map((s) => [s.name, providersOf(s)]);
    expect(left).toEqual([
      ["gitops-us-east-1", ["aws", "helm", "kubernetes"]],
      ["gitops-us-east-2", ["aws", "helm", "kubernetes"]],
      ["workloads-us-east-1", ["aws", "helm", "kubernetes"]],
      ["workloads-us-east-2", ["aws", "helm", "kubernetes"]],
    ]);
    expect(awsOnly.map((s) => s.name)).toEqual(
      expect.arrayContaining(["networking-us-east-1", "application-us-east-1", "kubernetes-us-east-1", "state-acme-terraform-state"]),
    );
  });

  it.each(awsOnly.map((s) => [s.name, s] as const))("%s is valid against the real AWS provider", (_name, stack) => {
    const cwd = path.join(outdir, stack.workingDirectory);
    const init = run("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd });
    expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: "" });
    const validate = run("terraform", ["validate", "-json", "-no-color"], { cwd });
    const report = JSON.parse(validate.stdout);
    expect(report.diagnostics).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it("application-us-east-1 while database generation 2 is restored from generation 1 (restore_to_point_in_time by identifier, the replication replaced with it) is valid too", () => {
    const restoring = new App({ outdir: tempDir("dr-platform-validate-g2-") });
    addEnvironments(restoring, shippedRestoringDatabase());
    restoring.synth();
    const cwd = path.join(restoring.outdir, "stacks", "application-us-east-1");
    const json = JSON.parse(fs.readFileSync(path.join(cwd, "cdk.tf.json"), "utf8"));
    expect(Object.values(json.resource.aws_db_instance).map((db: any) => db.restore_to_point_in_time)).toEqual([
      { source_db_instance_identifier: "acme-us-east-1", restore_time: "2026-12-01T10:00:00Z" },
    ]);
    const init = run("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd });
    expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: "" });
    const report = JSON.parse(run("terraform", ["validate", "-json", "-no-color"], { cwd }).stdout);
    expect([report.diagnostics, report.valid]).toEqual([[], true]);
  });

  it.each(["application-us-east-2", "kubernetes-us-east-2"])(
    "%s of a warm standby (a cross-Region read replica; node groups of one node) is valid too",
    (stack) => {
      const warm = tempDir("dr-platform-validate-warm-");
      synthShipped(warm, shippedWarmStandby());
      const cwd = path.join(warm, "stacks", stack);
      const json = JSON.parse(fs.readFileSync(path.join(cwd, "cdk.tf.json"), "utf8"));
      if (stack.startsWith("application-")) {
        expect(Object.values(json.resource.aws_db_instance).map((db: any) => db.replicate_source_db)).toEqual([
          "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1",
        ]);
      } else {
        expect(Object.values(json.resource.aws_eks_node_group).map((g: any) => g.scaling_config)).toEqual([{ min_size: 1, max_size: 9, desired_size: 1 }]);
      }
      const init = run("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd });
      expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: "" });
      const report = JSON.parse(run("terraform", ["validate", "-json", "-no-color"], { cwd }).stdout);
      expect([report.diagnostics, report.valid]).toEqual([[], true]);
    },
  );
});
