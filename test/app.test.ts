import { Testing, TerraformStack } from "cdktf";
import { addEnvironments } from "../app/assemble";
import * as fs from "fs";
import * as path from "path";
import { SHIPPED_STACK_IDS, shippedEnvironments, synthShipped } from "./support/shipped";
import { tempDir } from "./support/temp";
import { deployOrder } from "../lib/operations/stack-graph";
import { BACKUP_REPLICATION_TAG, databaseArn } from "../lib/naming";

describe("addEnvironments with the shipped environments", () => {
  const app = Testing.app();
  addEnvironments(app, shippedEnvironments());
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);

  it("makes one state bootstrap per state bucket, the layer stacks of each environment and the recovery's standby stack", () => {
    expect(stacks.map((s) => s.node.id).sort()).toEqual([...SHIPPED_STACK_IDS]);
  });

  it("orders the layers of each environment: networking, application, kubernetes, gitops, workloads", () => {
    const outdir = tempDir("dr-platform-manifest-");
    synthShipped(outdir);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    for (const region of ["us-east-1", "us-east-2"]) {
      const ids = ["networking", "application", "kubernetes", "gitops", "workloads"].map((layer) => `${layer}-${region}`);
      // The layer stacks of the region in dependency order (the standby layer is peacetime only).
      expect(deployOrder(manifest, (id) => ids.includes(id))).toEqual(ids);
      // The networking layer reads the pair's zone and certificates from dns-us-east-1 (peacetime).
      // A recovery's also follows its standby layer (flow-log role, logs key), both peacetime.
      expect(manifest.stacks[ids[0]].dependencies).toEqual(region === "us-east-1" ? ["dns-us-east-1"] : ["dns-us-east-1", "standby-us-east-2"]);
      expect(manifest.stacks[ids[1]].dependencies).toContain(ids[0]);
      // Flux and the load balancer controller install right after the cluster; only the workloads
      // layer waits for the datastores (and binds the site's pods to the target group networking made).
      expect([...manifest.stacks[`gitops-${region}`].dependencies].sort()).toEqual([`kubernetes-${region}`, `networking-${region}`]);
      expect([...manifest.stacks[`workloads-${region}`].dependencies].sort()).toEqual([`application-${region}`, `gitops-${region}`, `networking-${region}`]);
    }
    // A primary's kubernetes layer reads its application layer (SOPS key, assets policy); a
    // recovery's names everything by ARN and depends on its network only.
    expect(manifest.stacks["kubernetes-us-east-1"].dependencies.sort()).toEqual(["application-us-east-1", "networking-us-east-1"]);
    expect(manifest.stacks["kubernetes-us-east-2"].dependencies).toEqual(["networking-us-east-2"]);
  });

  it("makes a standby stack for the recovery only, deployed after its primary's application stack, on which only the pilot light depends", () => {
    const outdir = tempDir("dr-platform-manifest-");
    synthShipped(outdir);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).filter((id) => id.startsWith("standby-"))).toEqual(["standby-us-east-2"]);
    // It reads the SOPS key's ARN from the primary's application state.
    expect(manifest.stacks["standby-us-east-2"].dependencies).toEqual(["application-us-east-1"]);
    // Only the pilot light's networking stack (peacetime too: its flow logs use the standby layer's
    // role and key); nothing deployed on the day waits for the standby layer.
    const dependents = Object.entries(manifest.stacks as Record<string, { dependencies: string[] }>).filter(([, stack]) =>
      stack.dependencies.includes("standby-us-east-2"),
    );
    expect(dependents.map(([id]) => id)).toEqual(["networking-us-east-2"]);
  });

  it("makes a replication stack for the recovery only, after its application stack, on which no stack depends (workloads wait for application only)", () => {
    const outdir = tempDir("dr-platform-manifest-");
    synthShipped(outdir);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).filter((id) => id.startsWith("replication-"))).toEqual(["replication-us-east-2"]);
    expect(manifest.stacks["replication-us-east-2"].dependencies).toEqual(["application-us-east-2"]);
    const dependents = Object.entries(manifest.stacks as Record<string, { dependencies: string[] }>).filter(([, stack]) =>
      stack.dependencies.includes("replication-us-east-2"),
    );
    expect(dependents).toEqual([]);
    expect(manifest.stacks["workloads-us-east-2"].dependencies).toContain("application-us-east-2");
    expect(manifest.stacks["workloads-us-east-2"].dependencies).not.toContain("replication-us-east-2");
  });

  // DR-RDS-5 sees one stack and accepts an instance whose BackupReplication tag names a
  // replication stack: this checks, across stacks, that the named stack really replicates the
  // backups of that instance (by its ARN), so the tag cannot lie.
  it("every database tagged BackupReplication=<stack> is replicated by that stack, by its ARN, into another region", () => {
    const outdir = tempDir("dr-platform-marker-");
    synthShipped(outdir);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const json = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[id].synthesizedStackPath), "utf8"));
    const tagged: [string, string, string][] = [];
    for (const id of Object.keys(manifest.stacks)) {
      for (const instance of Object.values(json(id).resource?.aws_db_instance ?? {}) as any[]) {
        const replicatedIn = instance.tags?.[BACKUP_REPLICATION_TAG];
        if (replicatedIn === undefined) continue;
        const provider = json(id).provider.aws.find((p: any) => p.alias === undefined);
        tagged.push([id, replicatedIn, databaseArn(provider.region, provider.allowed_account_ids[0], instance.identifier)]);
      }
    }
    expect(tagged).toEqual([["application-us-east-2", "replication-us-east-2", "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2"]]);
    for (const [, replicatedIn, arn] of tagged) {
      const stack = json(replicatedIn);
      const replications = Object.values(stack.resource.aws_db_instance_automated_backups_replication) as any[];
      expect(replications.map((r) => r.source_db_instance_arn)).toEqual([arn]);
      const dr = stack.provider.aws.find((p: any) => p.alias === replications[0].provider.split(".")[1]);
      expect(dr.region).toBe("us-west-2");
    }
  });

  // Snapshots support review of the whole stack; the behaviour is asserted in the stack and
  // construct tests.
  // The readiness function's archive is the package's own build (dist/readiness): its hash
  // changes with every change to the operations code, so the snapshot names it by placeholder;
  // test/constructs/readiness-check.test.ts asserts that the hash follows the bundle.
  it.each(stacks.map((s) => [s.node.id, s] as const))("%s matches its snapshot", (_id, stack) => {
    expect(withoutBundleHash(Testing.synth(stack))).toMatchSnapshot();
  });
});

function withoutBundleHash(synthesized: string): string {
  const functions = JSON.parse(synthesized).resource?.aws_lambda_function ?? {};
  let result = synthesized;
  for (const fn of Object.values(functions) as any[]) {
    if (!String(fn.function_name).includes("-readiness-")) continue;
    expect(fn.source_code_hash).toMatch(/^[0-9A-F]{32}$/);
    expect(fn.filename).toMatch(new RegExp(`^assets/readiness_code_[0-9A-F]{8}/${fn.source_code_hash}/function\\.zip$`));
    result = result.split(fn.source_code_hash).join("<readiness bundle hash>");
  }
  return result;
}
