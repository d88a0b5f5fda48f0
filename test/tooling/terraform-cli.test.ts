import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { mirrorCliConfig, PLUGIN_MIRROR_VARIABLE, terraformProcessEnv } from "../../lib/tooling/terraform-cli";
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

  it("lets init link a provider to the mirror's folder, copying nothing (a mirror of its own, with its own config file)", () => {
    // A provider init installs but never runs: a placeholder binary in the unpacked layout.
    const own = tempDir("dr-own-mirror-");
    const os = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
    const platform = path.join(own, `registry.terraform.io/hashicorp/aws/5.100.0/${os}`);
    fs.mkdirSync(platform, { recursive: true });
    fs.writeFileSync(path.join(platform, "terraform-provider-aws_v5.100.0_x5"), "#!/bin/sh\n", { mode: 0o755 });
    const config = path.join(tempDir("dr-own-config-"), "mirror.tfrc");
    fs.writeFileSync(config, mirrorCliConfig(own));
    const dir = tempDir("dr-init-");
    fs.writeFileSync(
      path.join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } } }),
    );
    const init = spawnSync("terraform", ["init", "-input=false", "-no-color"], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: "" });
    const installed = path.join(dir, `.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/${os}`);
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(installed)).toBe(fs.realpathSync(platform));
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
