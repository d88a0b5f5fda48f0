import { Testing, TerraformStack } from "cdktf";
import { addEnvironments } from "../app/assemble";
import * as fs from "fs";
import * as path from "path";
import { SHIPPED_STACK_IDS, shippedEnvironments, synthShipped } from "./support/shipped";
import { tempDir } from "./support/temp";
import { deployOrder } from "../lib/operations/stack-graph";


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
      // Flux installs right after the cluster (and the load balancer controller fills the target group
      // networking made before it); only the workloads layer waits for the datastores.
      expect([...manifest.stacks[`gitops-${region}`].dependencies].sort()).toEqual([`kubernetes-${region}`, `networking-${region}`]);
      expect([...manifest.stacks[`workloads-${region}`].dependencies].sort()).toEqual([`application-${region}`, `gitops-${region}`]);
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
    const dependents = Object.entries(manifest.stacks as Record<string, { dependencies: string[] }>).filter(([, stack]) => stack.dependencies.includes("standby-us-east-2"));
    expect(dependents.map(([id]) => id)).toEqual(["networking-us-east-2"]);
  });

  // Snapshots support review of the whole stack; the behaviour is asserted in the stack and
  // construct tests.
  it.each(stacks.map((s) => [s.node.id, s] as const))("%s matches its snapshot", (_id, stack) => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
