import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Environment variable naming a Terraform provider filesystem mirror (a folder laid out as
 * `registry.terraform.io/<namespace>/<type>/<version>/<os_arch>/`). When set, the tools of this
 * project run Terraform with a CLI config that installs providers from it instead of the
 * registry, for machines without registry access. Unset: Terraform's own configuration applies.
 */
export const PLUGIN_MIRROR_VARIABLE = "TF_PLUGIN_MIRROR";

/**
 * Text of a Terraform CLI config that installs every provider from `mirror`. An unpacked mirror
 * needs no plugin cache: `terraform init` links each stack's provider to the mirror's folder (no
 * copy of its ~700 MB). A shared plugin_cache_dir is not concurrency safe (hashicorp/terraform#31964:
 * parallel inits fail "after installing ... it is still not detected in .terraform/providers"),
 * and this project's recoveries run inits side by side.
 */
export function mirrorCliConfig(mirror: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/*/*"]',
    "  }",
    "  direct {",
    '    exclude = ["registry.terraform.io/*/*"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * The process environment for running Terraform (or the cdktf CLI, which runs Terraform).
 * With `TF_PLUGIN_MIRROR` set, writes a CLI config under the system temp folder and points
 * `TF_CLI_CONFIG_FILE` at it; otherwise returns `base` unchanged.
 */
export function terraformProcessEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const mirror = base[PLUGIN_MIRROR_VARIABLE];
  if (!mirror) return base;
  if (!fs.existsSync(mirror)) {
    throw new Error(`${PLUGIN_MIRROR_VARIABLE}=${mirror}: no such folder`);
  }
  const folder = path.join(os.tmpdir(), "dr-platform-terraform");
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, "mirror.tfrc");
  writeAtomically(file, mirrorCliConfig(path.resolve(mirror)));
  return { ...base, TF_CLI_CONFIG_FILE: file, CHECKPOINT_DISABLE: "1" };
}

/**
 * Other processes (a Terraform starting, another tool of this project) read the config at any
 * moment: a file truncated and rewritten in place can be read empty, and a Terraform that reads an
 * empty config looks for the providers in the registry, which an offline machine cannot reach
 * ("Could not retrieve the list of available versions"). So the file is left alone when it already
 * says the same, and otherwise replaced whole by a rename.
 */
function writeAtomically(file: string, text: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
