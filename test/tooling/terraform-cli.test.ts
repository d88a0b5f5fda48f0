import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_MIRROR_VARIABLE, terraformProcessEnv } from "../../lib/tooling/terraform-cli";
import { tempDir } from "../support/temp";

// The machine's own mirror when there is one: the config file is shared with every Terraform the
// other suites start, and a different mirror here would change it under them.
const mirror = process.env[PLUGIN_MIRROR_VARIABLE] ?? tempDir("dr-mirror-");

describe("terraformProcessEnv", () => {
  it("points Terraform at a config that installs from the mirror", () => {
    const env = terraformProcessEnv({ [PLUGIN_MIRROR_VARIABLE]: mirror });
    const text = fs.readFileSync(env.TF_CLI_CONFIG_FILE!, "utf8");
    expect(text).toContain(`path    = ${JSON.stringify(path.resolve(mirror))}`);
    // No shared plugin cache: parallel inits race on it (hashicorp/terraform#31964).
    expect(text).not.toMatch(/plugin_cache_dir/);
  });

  const realMirror = process.env[PLUGIN_MIRROR_VARIABLE];
  (realMirror ? it : it.skip)("lets init link the provider to the mirror's folder, copying nothing (this machine's mirror)", () => {
    const dir = tempDir("dr-init-");
    fs.writeFileSync(
      path.join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } } }),
    );
    const env = terraformProcessEnv({ ...process.env, [PLUGIN_MIRROR_VARIABLE]: realMirror });
    const init = spawnSync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
    expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: "" });
    const installed = path.join(dir, ".terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(installed)).toBe(fs.realpathSync(path.join(realMirror!, "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64")));
  });

  it("never rewrites the config in place: the same file is left alone, so a Terraform reading it never sees it empty", () => {
    const first = terraformProcessEnv({ [PLUGIN_MIRROR_VARIABLE]: mirror }).TF_CLI_CONFIG_FILE!;
    const before = fs.statSync(first);
    const second = terraformProcessEnv({ [PLUGIN_MIRROR_VARIABLE]: mirror }).TF_CLI_CONFIG_FILE!;
    const after = fs.statSync(second);
    expect(second).toBe(first);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(fs.readdirSync(path.dirname(first)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("leaves the environment as it is without a mirror", () => {
    const base = { PATH: "/bin" };
    expect(terraformProcessEnv(base)).toBe(base);
  });
});
