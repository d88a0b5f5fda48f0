import * as fs from "fs";
import * as path from "path";
import * as barrel from "../../lib/constructs";

/** lib/constructs/index.ts: every public construct file, never a private helper. */
const DIR = path.resolve(__dirname, "../../lib/constructs");
const source = fs.readFileSync(path.join(DIR, "index.ts"), "utf8");
const reexported = [...source.matchAll(/^export \* from "\.\/([^"]+)";$/gm)].map((m) => m[1]);

it("re-exports every file of lib/constructs and nothing from private/", () => {
  const files = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts")
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();
  expect([...reexported].sort()).toEqual(files);
  expect(source).not.toMatch(/from "\.\/private/);
});

it("exposes the constructs other teams build with, and no private helper", () => {
  expect(Object.keys(barrel)).toEqual(expect.arrayContaining(["DrAssetsBucket", "HostingServicesBucket", "BackupUser", "FluxBootstrap", "SecureBucket"]));
  // Names exported by lib/constructs/private/*.ts.
  const privateNames = fs
    .readdirSync(path.join(DIR, "private"))
    .flatMap((f) => [...fs.readFileSync(path.join(DIR, "private", f), "utf8").matchAll(/^export (?:function|class|const) (\w+)/gm)].map((m) => m[1]));
  expect(privateNames.length).toBeGreaterThan(0);
  expect(Object.keys(barrel).filter((name) => privateNames.includes(name))).toEqual([]);
});
