import { Testing, TerraformStack } from "cdktf";
import { addEnvironments } from "../lib/app";
import { shippedEnvironments } from "./support/shipped";

describe("addEnvironments with the shipped environments", () => {
  const app = Testing.app();
  addEnvironments(app, shippedEnvironments());
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);

  it("makes one state bootstrap per state bucket and the layer stacks of each environment", () => {
    expect(stacks.map((s) => s.node.id).sort()).toEqual([
      "application-us-east-1",
      "application-us-east-2",
      "networking-us-east-1",
      "networking-us-east-2",
      "state-acme-terraform-state",
    ]);
  });

  // Snapshots support review of the whole stack; the behaviour is asserted in the stack and
  // construct tests.
  it.each(stacks.map((s) => [s.node.id, s] as const))("%s matches its snapshot", (_id, stack) => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
