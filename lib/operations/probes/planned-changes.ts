import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** One resource change of a Terraform plan, as `terraform show -json` reports it. */
export interface PlannedChange {
  /** `aws_db_instance.resource`. */
  readonly address: string;
  readonly type: string;
  /** Terraform's actions: `["no-op"]`, `["update"]`, `["delete", "create"]` (a replacement)... */
  readonly actions: readonly string[];
  /** The attributes that force the replacement, as paths (`kms_key_id`); empty when none is named. */
  readonly replacedBecause: readonly string[];
}

/** What a plan of a synthesized stack comes to; `ok: false` with Terraform's own words when it could not plan. */
export type PlannedChanges = { readonly ok: true; readonly changes: readonly PlannedChange[] } | { readonly ok: false; readonly detail: string };

interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly mode?: string;
    readonly change: { readonly actions: readonly string[]; readonly replace_paths?: readonly (readonly (string | number)[])[] };
  }[];
}

/** The managed resources' changes of a plan in Terraform's JSON format (`terraform show -json <plan>`). */
export function plannedChangesOf(plan: PlanJson): PlannedChange[] {
  return (plan.resource_changes ?? [])
    .filter((r) => (r.mode ?? "managed") === "managed")
    .map((r) => ({
      address: r.address,
      type: r.type,
      actions: r.change.actions,
      replacedBecause: (r.change.replace_paths ?? []).map((p) => p.join(".")),
    }));
}

/** Removes `lifecycle.prevent_destroy` from every resource of a synthesized stack (a copy: the stack's own file is never written). */
export function withoutPreventDestroy<T>(stack: T): T {
  const copy = JSON.parse(JSON.stringify(stack)) as { resource?: Record<string, Record<string, { lifecycle?: Record<string, unknown> }>> };
  for (const byName of Object.values(copy.resource ?? {}))
    for (const resource of Object.values(byName)) {
      if (!resource.lifecycle) continue;
      delete resource.lifecycle.prevent_destroy;
      if (Object.keys(resource.lifecycle).length === 0) delete resource.lifecycle;
    }
  return copy as T;
}

function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  // Never spawnSync: a caller may serve Terraform's API calls from its own process (the drill's fault layer).
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, output: status === 0 ? stdout : `${stderr}${stdout}` }));
  });
}

/**
 * Plans a synthesized stack (`<cdktf.out>/stacks/<stack>`, its `cdk.tf.json`) against its state and
 * returns every resource change. The plan runs in a scratch folder on a copy of the stack without
 * `prevent_destroy` (with it, Terraform refuses the whole plan and does not say what forces the
 * replacement); it takes no state lock and is never applied: it is read, then removed.
 */
export async function probePlannedChanges(stackDir: string, env: NodeJS.ProcessEnv): Promise<PlannedChanges> {
  const stackFile = path.join(stackDir, "cdk.tf.json");
  if (!fs.existsSync(stackFile)) return { ok: false, detail: `no synthesized stack at ${stackFile}` };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dr-plan-gate-"));
  try {
    fs.writeFileSync(path.join(scratch, "cdk.tf.json"), JSON.stringify(withoutPreventDestroy(JSON.parse(fs.readFileSync(stackFile, "utf8"))), null, 2));
    const lock = path.join(stackDir, ".terraform.lock.hcl");
    if (fs.existsSync(lock)) fs.copyFileSync(lock, path.join(scratch, ".terraform.lock.hcl"));
    const steps: (readonly string[])[] = [
      ["init", "-input=false", "-no-color"],
      ["plan", "-input=false", "-no-color", "-lock=false", "-out=gate.tfplan"],
      ["show", "-json", "-no-color", "gate.tfplan"],
    ];
    let last = "";
    for (const args of steps) {
      const result = await terraform(args, scratch, env);
      if (result.status !== 0)
        return { ok: false, detail: `terraform ${args[0]} exited ${result.status}:\n${result.output.trim().split("\n").slice(-20).join("\n")}` };
      last = result.output;
    }
    return { ok: true, changes: plannedChangesOf(JSON.parse(last) as PlanJson) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
