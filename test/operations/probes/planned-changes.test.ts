import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { plannedChangesOf, probePlannedChanges, withoutPreventDestroy } from "../../../lib/operations/probes/planned-changes";
import { terraformProcessEnv } from "../../../lib/tooling/terraform-cli";
import { tempDir } from "../../support/temp";

/**
 * The plan probe with real Terraform on a stack that needs no provider (terraform_data, a local
 * state): applied once, then changed so that its protected resource must be replaced.
 */
describe("probePlannedChanges (real Terraform)", () => {
  const env = terraformProcessEnv(process.env);
  let stackDir: string;
  let statePath: string;
  const stack = (key: string) => ({
    terraform: { backend: { local: { path: statePath } } },
    resource: {
      terraform_data: {
        database: { input: "orders", triggers_replace: [key], lifecycle: { prevent_destroy: true } },
        other: { input: "x", lifecycle: { prevent_destroy: true, ignore_changes: ["input"] } },
      },
    },
  });
  const write = (key: string) => fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(stack(key)));
  const terraform = (...args: string[]) => spawnSync("terraform", args, { cwd: stackDir, env, encoding: "utf8" });

  beforeAll(() => {
    const dir = tempDir("plan-gate-");
    stackDir = path.join(dir, "stacks", "application-us-east-1");
    statePath = path.join(dir, "state", "application-us-east-1.tfstate");
    fs.mkdirSync(stackDir, { recursive: true });
    write("key-a");
    expect(terraform("init", "-input=false", "-no-color").status).toBe(0);
    expect(terraform("apply", "-auto-approve", "-input=false", "-no-color").status).toBe(0);
  }, 60_000);

  it("reads no change when the stack is as applied", async () => {
    expect(await probePlannedChanges(stackDir, env)).toEqual({
      ok: true,
      changes: [
        { address: "terraform_data.database", type: "terraform_data", actions: ["no-op"], replacedBecause: [] },
        { address: "terraform_data.other", type: "terraform_data", actions: ["no-op"], replacedBecause: [] },
      ],
    });
  }, 60_000);

  it("names the replacement and what forces it, where Terraform itself refuses the plan; writes neither the stack nor the state", async () => {
    write("key-b");
    const own = terraform("plan", "-input=false", "-no-color");
    // Terraform's own plan stops at prevent_destroy without saying why the resource is replaced.
    expect({ status: own.status, refused: /Instance cannot be destroyed/.test(own.stderr) }).toEqual({ status: 1, refused: true });
    const stackBefore = fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8");
    const stateBefore = fs.readFileSync(statePath, "utf8");
    expect(await probePlannedChanges(stackDir, env)).toEqual({
      ok: true,
      changes: [
        { address: "terraform_data.database", type: "terraform_data", actions: ["delete", "create"], replacedBecause: ["triggers_replace"] },
        { address: "terraform_data.other", type: "terraform_data", actions: ["no-op"], replacedBecause: [] },
      ],
    });
    expect(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).toBe(stackBefore);
    expect(fs.readFileSync(statePath, "utf8")).toBe(stateBefore);
    expect(fs.existsSync(`${statePath}.lock.info`)).toBe(false);
  }, 60_000);

  it("says why when there is no plan: no synthesized stack, or Terraform's error", async () => {
    expect(await probePlannedChanges(path.join(stackDir, "..", "missing"), env)).toEqual({
      ok: false,
      detail: `no synthesized stack at ${path.join(stackDir, "..", "missing", "cdk.tf.json")}`,
    });
    fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ resource: { terraform_data: { broken: { input: "${var.missing}" } } } }));
    const result = await probePlannedChanges(stackDir, env);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toMatch(/^terraform plan exited 1:\n[\s\S]*Reference to undeclared input variable/);
  }, 60_000);
});

describe("the plan's pieces", () => {
  it("keeps managed resources of Terraform's JSON plan, with replace paths joined", () => {
    expect(
      plannedChangesOf({
        resource_changes: [
          {
            address: "aws_db_instance.resource",
            type: "aws_db_instance",
            mode: "managed",
            change: { actions: ["delete", "create"], replace_paths: [["kms_key_id"], ["tags", "Name"]] },
          },
          { address: "data.aws_caller_identity.me", type: "aws_caller_identity", mode: "data", change: { actions: ["read"] } },
          { address: "aws_s3_bucket.b", type: "aws_s3_bucket", mode: "managed", change: { actions: ["no-op"] } },
        ],
      }),
    ).toEqual([
      { address: "aws_db_instance.resource", type: "aws_db_instance", actions: ["delete", "create"], replacedBecause: ["kms_key_id", "tags.Name"] },
      { address: "aws_s3_bucket.b", type: "aws_s3_bucket", actions: ["no-op"], replacedBecause: [] },
    ]);
    expect(plannedChangesOf({})).toEqual([]);
  });

  it("lifts prevent_destroy on a copy and keeps every other lifecycle setting", () => {
    const stack = {
      resource: {
        aws_db_instance: { a: { identifier: "x", lifecycle: { prevent_destroy: true, ignore_changes: ["tags"] } } },
        aws_s3_bucket: { b: { bucket: "y", lifecycle: { prevent_destroy: true } }, c: { bucket: "z" } },
      },
    };
    const before = JSON.stringify(stack);
    expect(withoutPreventDestroy(stack)).toEqual({
      resource: {
        aws_db_instance: { a: { identifier: "x", lifecycle: { ignore_changes: ["tags"] } } },
        aws_s3_bucket: { b: { bucket: "y" }, c: { bucket: "z" } },
      },
    });
    expect(JSON.stringify(stack)).toBe(before);
  });
});
