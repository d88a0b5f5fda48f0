// npm run build: the package in dist/. tsc -p tsconfig.build.json compiles the library, the stacks,
// the app, the CLI, main.ts and the environment files (JavaScript, declarations, source maps); the
// job scripts are copied to dist/backup/, where lib/backup/job-parts resolves them from the
// compiled code (`../../backup` from dist/lib/backup/, as from lib/backup/ in the source tree); and
// dist/build-info.json records the hash of every compiled source (app/build-info.ts), so that the
// repository's app refuses a build older than the code and reads an edited environment file from
// its source; the bins are made executable. dist/ is emptied first: a deleted source never survives in it.
// The readiness check's Lambda code is bundled into dist/readiness/ (scripts/readiness-bundle.mjs).
// Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildReadinessBundle } from "./readiness-bundle.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const CONFIG = "tsconfig.build.json";
const require = createRequire(import.meta.url);

/** `lib/**\/*.ts` -> `lib`, `main.ts` -> `main.ts`: what the build compiles, from its own config. */
function roots() {
  const { include } = JSON.parse(fs.readFileSync(path.join(ROOT, CONFIG), "utf8"));
  return include.map((pattern) => pattern.replace(/\/\*\*\/\*\.ts$/, ""));
}

fs.rmSync(DIST, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", CONFIG], { cwd: ROOT, stdio: "inherit" });
if (tsc.status !== 0) {
  fs.rmSync(DIST, { recursive: true, force: true });
  process.stderr.write(`build: tsc -p ${CONFIG} failed; dist/ removed\n`);
  process.exit(tsc.status ?? 1);
}
fs.cpSync(path.join(ROOT, "backup"), path.join(DIST, "backup"), { recursive: true });
buildReadinessBundle(ROOT, path.join(DIST, "readiness"));
require(path.join(DIST, "app/build-info.js")).writeBuildInfo(ROOT, DIST, roots());
// The package's bins are run by path (npx in this repository, npm's link in a consumer's): tsc
// writes them 0644, and `npx dr-platform` would be refused with "Permission denied".
for (const bin of Object.values(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).bin ?? {})) {
  fs.chmodSync(path.join(ROOT, bin), 0o755);
}
