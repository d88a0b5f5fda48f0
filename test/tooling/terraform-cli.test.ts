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
    expect(text).toMatch(/^plugin_cache_dir = ".*plugin-cache"$/m);
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
