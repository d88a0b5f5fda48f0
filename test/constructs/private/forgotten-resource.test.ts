import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { ForgottenResource } from "../../../lib/constructs/private/forgotten-resource";
import { run } from "../../support/run";
import { tempDir } from "../../support/temp";

/**
 * A resource that a later version stops making: version 1 makes a bucket at `part/old`, version 2
 * a ForgottenResource there. Real Terraform (the AWS provider from the mirror) plans version 2
 * against version 1's state: it forgets the bucket and deletes nothing; with no such state, nothing.
 */
jest.setTimeout(120_000);

function synth(version: 1 | 2): { dir: string; json: any } {
  const app = new App({ outdir: tempDir("forgotten-resource-") });
  const stack = new TerraformStack(app, "stack");
  // The state in the stack's own folder (cdktf's default is a file in the working directory).
  new LocalBackend(stack, { path: "terraform.tfstate" });
  new AwsProvider(stack, "aws", {
    region: "us-east-1",
    accessKey: "test",
    secretKey: "test",
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: "true",
  });
  const part = new Construct(stack, "part");
  if (version === 1) new S3Bucket(part, "old", { bucket: "acme-old" });
  else new ForgottenResource(part, "old", { resourceType: "aws_s3_bucket" });
  app.synth();
  const dir = path.join(app.outdir, "stacks", "stack");
  return { dir, json: JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) };
}

const before = synth(1);
const after = synth(2);
const oldId = Object.keys(before.json.resource.aws_s3_bucket)[0];

describe("ForgottenResource", () => {
  it("names the resource that had its path, by the address it had, and asks Terraform not to destroy it", () => {
    expect(oldId).toMatch(/^part_old_[0-9A-F]{8}$/);
    expect(after.json.removed).toEqual([{ from: `aws_s3_bucket.${oldId}`, lifecycle: { destroy: false } }]);
    expect(after.json.resource).toBeUndefined();
  });

  it("makes real Terraform forget the resource of an earlier state without deleting it, and do nothing without one", () => {
    const stateFile = path.join(after.dir, "terraform.tfstate");
    const init = run("terraform", ["init", "-input=false", "-no-color"], { cwd: after.dir });
    expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: "" });
    const validate = run("terraform", ["validate", "-json", "-no-color"], { cwd: after.dir });
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, diagnostics: [] });

    const empty = run("terraform", ["plan", "-input=false", "-no-color", "-refresh=false"], { cwd: after.dir });
    expect({ status: empty.status, stderr: empty.stderr }).toEqual({ status: 0, stderr: "" });
    expect(empty.stdout).toContain("No changes.");

    const state = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "forgotten-resource-test",
      outputs: {},
      resources: [
        {
          mode: "managed",
          type: "aws_s3_bucket",
          name: oldId,
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{ schema_version: 0, attributes: { id: "acme-old", bucket: "acme-old" } }],
        },
      ],
    };
    fs.writeFileSync(stateFile, JSON.stringify(state));
    const plan = run("terraform", ["plan", "-input=false", "-no-color", "-refresh=false"], { cwd: after.dir });
    expect(plan.stderr).toBe("");
    expect(plan.stdout).toContain("Terraform will discard its tracking information for\nthe following objects, but it will not delete them:");
    expect(plan.stdout).toContain(` - aws_s3_bucket.${oldId}`);
    expect(plan.stdout).toContain(`# aws_s3_bucket.${oldId} will no longer be managed by Terraform, but will not be destroyed`);
    expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 0 to destroy.");
  });
});
