import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * The Lambda function's code as the package ships it: one file bundled from
 * lib/operations/readiness/handler.ts with everything it imports, loadable by Node alone (no
 * node_modules beside it), whose `handler` refuses an event that is not an environments pair.
 */
jest.setTimeout(60_000);

/** Runs `script` in a plain Node process (the bundle script is an ES module jest does not load). */
function node(script: string, cwd = REPO) {
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd, encoding: "utf8", timeout: 50_000 });
}

function bundle(out: string) {
  const built = node(
    `import { buildReadinessBundle } from ${JSON.stringify(path.join(REPO, "scripts/readiness-bundle.mjs"))}; buildReadinessBundle(${JSON.stringify(REPO)}, ${JSON.stringify(out)});`,
  );
  expect({ status: built.status, stderr: built.stderr }).toEqual({ status: 0, stderr: "" });
}

it("bundles the handler into one self-contained, deterministic file whose handler runs", () => {
  const out = path.join(tempDir("readiness-bundle-"), "readiness");
  bundle(out);
  expect(fs.readdirSync(out).sort()).toEqual(["function.zip", "index.js"]);
  // The deployment package: a standard ZIP (read by unzip here, by Lambda there) of index.js alone, mode 0644.
  const listing = spawnSync("unzip", ["-Z", "-l", path.join(out, "function.zip")], { encoding: "utf8" });
  expect(listing.status).toBe(0);
  expect(listing.stdout.split("\n").filter((l) => l.endsWith(" index.js"))).toEqual([expect.stringMatching(/^-rw-r--r-- .* index\.js$/)]);
  expect(listing.stdout).toMatch(/^1 file, /m);
  const unzipped = spawnSync("unzip", ["-p", path.join(out, "function.zip"), "index.js"], { maxBuffer: 64 * 1024 * 1024 });
  expect(unzipped.status).toBe(0);
  expect(Buffer.compare(unzipped.stdout, fs.readFileSync(path.join(out, "index.js")))).toBe(0);
  expect(spawnSync("unzip", ["-tq", path.join(out, "function.zip")], { encoding: "utf8" }).stdout.trim()).toBe(
    `No errors detected in compressed data of ${path.join(out, "function.zip")}.`,
  );
  // Outside the repository: nothing resolves from its node_modules.
  const isolated = tempDir("readiness-isolated-");
  fs.copyFileSync(path.join(out, "index.js"), path.join(isolated, "index.cjs"));
  const run = node(
    `import { createRequire } from "module"; const { handler } = createRequire(import.meta.url)("./index.cjs"); handler({ recovery: {}, primary: {} }).then(() => console.log("resolved"), (e) => console.log(e.message));`,
    isolated,
  );
  expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({
    status: 0,
    stdout: "readiness: event.recovery must be a recovery environment; event.primary must be a primary environment",
  });
  // The same sources give the same bytes: the standby stack's asset hash moves only with the code.
  const again = path.join(tempDir("readiness-again-"), "readiness");
  bundle(again);
  expect(fs.readFileSync(path.join(again, "index.js")).equals(fs.readFileSync(path.join(out, "index.js")))).toBe(true);
  expect(fs.readFileSync(path.join(again, "function.zip")).equals(fs.readFileSync(path.join(out, "function.zip")))).toBe(true);
});
