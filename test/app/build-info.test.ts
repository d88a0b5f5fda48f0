import * as fs from "fs";
import * as path from "path";
import { BUILD_INPUTS, BUILD_OUTPUTS, outdatedBuild, writeBuildInfo } from "../../app/build-info";
import { tempDir } from "../support/temp";

/**
 * Whether dist/ is the build of the tree as it is: what scripts/prepare.mjs asks before it builds
 * (npx dr-platform runs prepare in this repository; a needless build empties dist/ under
 * everything running from it). A small tree stands in for the repository.
 */
function tree() {
  const root = tempDir("build-info-");
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write("lib/a.ts", "export const a = 1;\n");
  write("environments/us-east-1.ts", "export default {};\n");
  write("package.json", "{}\n");
  write("backup/archive-database.sh", "#!/bin/sh\n");
  const dist = path.join(root, "dist");
  for (const output of ["main.js", "cli/main.js", "readiness/index.js", "backup/archive-database.sh"]) write(`dist/${output}`, "");
  writeBuildInfo(root, dist, ["lib", "environments"]);
  return { root, dist, write };
}

it("names what a build leaves and reads besides the sources", () => {
  expect(BUILD_OUTPUTS).toEqual(["main.js", "cli/main.js", "readiness/index.js", "backup"]);
  expect(BUILD_INPUTS).toEqual([
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "scripts/build.mjs",
    "scripts/readiness-bundle.mjs",
    "backup",
  ]);
});

it("a build of the tree as it is is current", () => {
  const { root, dist } = tree();
  expect(outdatedBuild(root, dist)).toEqual([]);
});

it("names every source and input added, changed or deleted since, the environment files too", () => {
  const { root, dist, write } = tree();
  write("lib/a.ts", "export const a = 2;\n");
  write("lib/b.ts", "export const b = 1;\n");
  fs.rmSync(path.join(root, "environments/us-east-1.ts"));
  write("backup/archive-database.sh", "#!/bin/sh\nexit 0\n");
  write("tsconfig.build.json", "{}\n");
  fs.rmSync(path.join(root, "package.json"));
  expect(outdatedBuild(root, dist)).toEqual([
    "lib/a.ts: changed since the last build",
    "lib/b.ts: added since the last build",
    "environments/us-east-1.ts: deleted since the last build",
    "tsconfig.build.json: added since the last build",
    "backup/archive-database.sh: changed since the last build",
    "package.json: deleted since the last build",
  ]);
});

it("a missing output, a missing record or a record without inputs is a build to make", () => {
  const { root, dist } = tree();
  fs.rmSync(path.join(dist, "readiness/index.js"));
  expect(outdatedBuild(root, dist)).toEqual(["dist/readiness/index.js is missing"]);
  const info = JSON.parse(fs.readFileSync(path.join(dist, "build-info.json"), "utf8"));
  fs.writeFileSync(path.join(dist, "build-info.json"), JSON.stringify({ ...info, inputs: undefined }));
  expect(outdatedBuild(root, dist)).toEqual(["dist/readiness/index.js is missing", "build-info.json records no build inputs (an older build)"]);
  fs.rmSync(path.join(dist, "build-info.json"));
  expect(outdatedBuild(root, dist)).toEqual(["dist/build-info.json is missing: no build"]);
});
