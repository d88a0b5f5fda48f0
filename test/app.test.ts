import { Testing, TerraformStack } from "cdktf";
import { addEnvironments } from "../app/assemble";
import * as fs from "fs";
import * as path from "path";
import { shippedEnvironments, synthShipped } from "./support/shipped";
import { tempDir } from "./support/temp";
import { deployOrder } from "../lib/operations/stack-graph";


describe("addEnvironments with the shipped environments", () => {
  const app = Testing.app();
  addEnvironments(app, shippedEnvironments());
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);

  it("makes one state bootstrap per state bucket and the layer stacks of each environment", () => {
    expect(stacks.map((s) => s.node.id).sort()).toEqual([
      "application-us-east-1",
      "application-us-east-2",
      "gitops-us-east-1",
      "gitops-us-east-2",
      "kubernetes-us-east-1",
      "kubernetes-us-east-2",
      "networking-us-east-1",
      "networking-us-east-2",
      "state-acme-terraform-state",
    ]);
  });

  it("orders the layers of each environment: networking, application, kubernetes, gitops", () => {
    const outdir = tempDir("dr-platform-manifest-");
    synthShipped(outdir);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    for (const region of ["us-east-1", "us-east-2"]) {
      const ids = ["networking", "application", "kubernetes", "gitops"].map((layer) => `${layer}-${region}`);
      // What `cdktf deploy '*-<region>'` runs: the matching stacks in dependency order.
      expect(deployOrder(manifest, (id) => id.endsWith(`-${region}`))).toEqual(ids);
      expect(manifest.stacks[ids[0]].dependencies).toEqual([]);
      for (let i = 1; i < ids.length; i++) expect(manifest.stacks[ids[i]].dependencies).toContain(ids[i - 1]);
    }
  });

  // Snapshots support review of the whole stack; the behaviour is asserted in the stack and
  // construct tests.
  it.each(stacks.map((s) => [s.node.id, s] as const))("%s matches its snapshot", (_id, stack) => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
